#include "core/json.hpp"
#include "core/log.hpp"
#include "scanner/scanner.hpp"

namespace sonique::scanner {
namespace {

// A settings value holding a JSON array of file names; nullopt when absent or malformed.
std::optional<std::vector<std::string>> names_from(const std::optional<std::string>& value) {
    if (!value) return std::nullopt;
    try {
        Json j = parse_json(*value);
        if (!j.is_array()) return std::nullopt;
        std::vector<std::string> out;
        for (const auto& v : j)
            if (v.is_string() && !v.get<std::string>().empty()) out.push_back(v.get<std::string>());
        return out;
    } catch (const std::exception&) {
        log::warn("scan: setting value is not a JSON array: ", *value);
        return std::nullopt;
    }
}

}  // namespace

void load_cover_settings(db::Connection& conn, CoverRules& rules) {
    auto r = conn.exec(
        "SELECT key, value FROM settings WHERE key IN ('album_cover_files', 'artist_image_files')");
    for (int i = 0; i < r.rows(); ++i) {
        auto names = names_from(r.opt_str(i, 1));
        if (!names) continue;
        if (r.text(i, 0) == "album_cover_files")
            rules.album_cover_files = *names;
        else
            rules.artist_image_files = *names;
    }
}

}  // namespace sonique::scanner
