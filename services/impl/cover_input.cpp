// Cover request bodies: data-URL prefixes, strict base64, the JSON Schema and entity types.
#include <sodium.h>

#include <mutex>
#include <stdexcept>

#include "core/strings.hpp"
#include "media_rules.hpp"
#include "services/covers.hpp"

namespace sonique::services {
namespace {

void ensure_sodium() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0) throw std::runtime_error("libsodium initialisation failed");
    });
}

std::optional<std::string> base64_variant(std::string_view text, int variant) {
    std::string out(text.size() / 4 * 3 + 3, '\0');
    size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), " \t\r\n", &length, &end, variant) != 0)
        return std::nullopt;
    if (end != text.data() + text.size()) return std::nullopt;  // trailing garbage
    out.resize(length);
    return out;
}

}  // namespace

std::optional<std::string> decode_cover_data(std::string_view text) {
    ensure_sodium();
    if (starts_with(text, "data:")) {
        const auto comma = text.find(',');
        if (comma == std::string_view::npos) return std::nullopt;
        std::string header = to_lower(text.substr(0, comma));
        if (header.size() < 7 || header.substr(header.size() - 7) != ";base64") return std::nullopt;
        text.remove_prefix(comma + 1);
    }
    if (trim(text).empty()) return std::nullopt;
    if (auto out = base64_variant(text, sodium_base64_VARIANT_ORIGINAL)) return out;
    return base64_variant(text, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
}

namespace {
Json type_names() {
    return Json::array({"track", "album", "artist"});
}
}  // namespace

JsonText CoverService::types() {
    return JsonText::from(type_names());
}

JsonText CoverService::schema() {
    return JsonText::from(
        Json{{"title", "CoverCreate"},
             {"type", "object"},
             {"required", Json::array({"entity_type", "entity_id", "cover_data"})},
             {"properties",
              {{"entity_type", {{"type", "string"}, {"enum", type_names()}}},
               {"entity_id", {{"type", "integer"}}},
               {"cover_data",
                {{"type", "string"},
                 {"description",
                  "Image bytes in base64, optionally prefixed with data:<mime>;base64,"}}},
               {"mime_type", {{"type", Json::array({"string", "null"})}}},
               {"url", {{"type", Json::array({"string", "null"})}}}}}});
}

}  // namespace sonique::services
