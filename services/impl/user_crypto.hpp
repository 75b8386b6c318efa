#pragma once
// The secrets of user accounts: constant-time comparisons, the Subsonic token (MD5, from
// OpenSSL's libcrypto: libsodium has no MD5), API keys and generated passwords. Any thread.
#include <optional>
#include <string>
#include <string_view>

namespace sonique::services::detail {

// Lowercase hex MD5 of text (the Subsonic token is md5(password + salt)).
std::string md5_hex(std::string_view text);
// Equality of two secrets in time independent of where they differ (both are hashed first, so
// that their lengths do not show either).
bool secrets_equal(std::string_view a, std::string_view b);
// The BLAKE2b hash of an API key's secret part, in hex.
std::string api_key_hash(std::string_view secret);

struct ApiKeyParts {
    std::string id;      // 16 hex digits, stored as is
    std::string secret;  // 64 hex digits, stored hashed
};
// A fresh key: "<id>.<secret>".
ApiKeyParts new_api_key();
// Splits "<id>.<secret>"; nullopt when the text does not have that shape.
std::optional<ApiKeyParts> split_api_key(std::string_view key);
// A password of 20 characters from an unambiguous alphabet (about 100 bits).
std::string generate_password();

}  // namespace sonique::services::detail
