#include "ids.hpp"

#include <charconv>

namespace sonique::subsonic {
namespace {

std::string_view prefix(IdKind kind) {
    switch (kind) {
        case IdKind::kArtist:
            return "ar-";
        case IdKind::kAlbum:
            return "al-";
        case IdKind::kTrack:
            return "tr-";
        case IdKind::kGenre:
            return "ge-";
        case IdKind::kPlaylist:
            return "pl-";
        case IdKind::kRadio:
            return "ra-";
    }
    return "";
}

}  // namespace

std::string make_id(IdKind kind, int64_t id) {
    return std::string(prefix(kind)) + std::to_string(id);
}

std::optional<int64_t> parse_id(std::string_view text, IdKind kind) {
    std::string_view p = prefix(kind);
    if (text.size() <= p.size() || text.substr(0, p.size()) != p) return std::nullopt;
    std::string_view digits = text.substr(p.size());
    // One spelling per id: "al-05" is not "al-5".
    if (digits.front() < '1' || digits.front() > '9') return std::nullopt;
    int64_t value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return value;
}

}  // namespace sonique::subsonic
