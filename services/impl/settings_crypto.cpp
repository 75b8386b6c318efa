#include "settings_crypto.hpp"

#include <sodium.h>

#include <mutex>
#include <stdexcept>
#include <vector>

namespace sonique::services::detail {
namespace {

using Key = std::vector<unsigned char>;

Key derive_key(std::string_view secret) {
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0) throw std::runtime_error("libsodium initialisation failed");
    });
    Key key(crypto_secretbox_KEYBYTES);
    crypto_generichash(key.data(), key.size(),
                       reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                       nullptr, 0);
    return key;
}

}  // namespace

std::string encrypt_setting(std::string_view plain, std::string_view secret) {
    const Key key = derive_key(secret);
    std::vector<unsigned char> box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                   plain.size());
    unsigned char* nonce = box.data();
    randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), nonce,
                          key.data());
    std::string out(sodium_base64_ENCODED_LEN(box.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), box.data(), box.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

std::optional<std::string> decrypt_setting(std::string_view stored, std::string_view secret) {
    const Key key = derive_key(secret);
    std::vector<unsigned char> box(stored.size());
    size_t length = 0;
    if (sodium_base642bin(box.data(), box.size(), stored.data(), stored.size(), nullptr, &length,
                          nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
        return std::nullopt;
    const size_t header = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
    if (length < header) return std::nullopt;
    std::string plain(length - header, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                   box.data() + crypto_secretbox_NONCEBYTES,
                                   length - crypto_secretbox_NONCEBYTES, box.data(),
                                   key.data()) != 0)
        return std::nullopt;
    return plain;
}

}  // namespace sonique::services::detail
