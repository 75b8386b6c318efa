#include "user_crypto.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <stdexcept>

#include "core/strings.hpp"

namespace sonique::services::detail {
namespace {

void init_sodium() {
    static const bool ok = sodium_init() >= 0;
    if (!ok) throw std::runtime_error("libsodium initialisation failed");
}

std::string random_hex(size_t bytes) {
    init_sodium();
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    return hex_encode(raw);
}

bool is_hex(std::string_view text) {
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

}  // namespace

std::string md5_hex(std::string_view text) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_md5(), nullptr) != 1)
        throw std::runtime_error("MD5 is not available");
    return hex_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

bool secrets_equal(std::string_view a, std::string_view b) {
    init_sodium();
    unsigned char ha[crypto_generichash_BYTES];
    unsigned char hb[crypto_generichash_BYTES];
    crypto_generichash(ha, sizeof ha, reinterpret_cast<const unsigned char*>(a.data()), a.size(),
                       nullptr, 0);
    crypto_generichash(hb, sizeof hb, reinterpret_cast<const unsigned char*>(b.data()), b.size(),
                       nullptr, 0);
    return sodium_memcmp(ha, hb, sizeof ha) == 0;
}

std::string api_key_hash(std::string_view secret) {
    init_sodium();
    unsigned char h[crypto_generichash_BYTES];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(secret.data()),
                       secret.size(), nullptr, 0);
    return hex_encode(std::string_view(reinterpret_cast<const char*>(h), sizeof h));
}

ApiKeyParts new_api_key() {
    return {random_hex(8), random_hex(32)};
}

std::optional<ApiKeyParts> split_api_key(std::string_view key) {
    auto dot = key.find('.');
    if (dot != 16 || key.size() != 16 + 1 + 64) return std::nullopt;
    ApiKeyParts p{std::string(key.substr(0, dot)), std::string(key.substr(dot + 1))};
    if (!is_hex(p.id) || !is_hex(p.secret)) return std::nullopt;
    return p;
}

std::string generate_password() {
    init_sodium();
    // No 0/O, 1/l/I: the password is read from a terminal and typed into a phone.
    static constexpr std::string_view kAlphabet =
        "abcdefghijkmnopqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    std::string out;
    for (int i = 0; i < 20; ++i)
        out += kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))];
    return out;
}

}  // namespace sonique::services::detail
