#pragma once
// Encryption of setting values: XSalsa20-Poly1305 (crypto_secretbox) with a key derived from
// ENCRYPTION_KEY by BLAKE2b (crypto_generichash); stored as base64(nonce | ciphertext).
#include <optional>
#include <string>
#include <string_view>

namespace sonique::services::detail {

// Throws std::runtime_error only if libsodium cannot initialise. Any thread.
std::string encrypt_setting(std::string_view plain, std::string_view secret);
// nullopt when the text is not something encrypt_setting produced with this secret.
std::optional<std::string> decrypt_setting(std::string_view stored, std::string_view secret);

}  // namespace sonique::services::detail
