// The music path template: its variables and its validation.
#include <set>

#include "core/strings.hpp"
#include "services/settings.hpp"

namespace sonique::services {
namespace {

const char* kExample = "{album_artist}/{album}/{disc_track} - {artist} - {title}";

const Json& variables() {
    static const Json v = {
        {"{artist}", "Artiste de la piste"},
        {"{album_artist}", "Artiste de l'album"},
        {"{album}", "Titre de l'album"},
        {"{title}", "Titre de la piste"},
        {"{track}", "Numéro de piste sur deux chiffres (03)"},
        {"{disc}", "Numéro de disque"},
        {"{disc_track}", "Disque et piste (1-03), ou la piste seule pour un seul disque"},
        {"{year}", "Année de sortie (AAAA)"},
        {"{genre}", "Genre principal"}};
    return v;
}

// Checks one path segment: its braces and variable names. Literal text is free.
bool valid_segment(std::string_view segment, bool& saw_variable) {
    if (segment.empty() || segment == "." || segment == "..") return false;
    size_t i = 0;
    while (i < segment.size()) {
        const char c = segment[i];
        if (c == '}') return false;
        if (c != '{') {
            ++i;
            continue;
        }
        const size_t close = segment.find('}', i);
        if (close == std::string_view::npos) return false;
        const std::string name(segment.substr(i, close - i + 1));
        if (name.find('{', 1) != std::string::npos || !variables().contains(name)) return false;
        saw_variable = true;
        i = close + 1;
    }
    return true;
}

}  // namespace

Json path_variables() {
    return Json{{"variables", variables()}, {"example", kExample}};
}

bool valid_path_template(std::string_view tmpl) {
    if (tmpl.empty() || tmpl.size() > 1024 || !is_valid_utf8(tmpl)) return false;
    if (tmpl.front() == '/' || tmpl.find('\\') != std::string_view::npos) return false;
    for (unsigned char c : tmpl)
        if (c < 0x20 || c == 0x7f) return false;
    bool saw_variable = false;
    for (const auto& segment : split(tmpl, '/'))
        if (!valid_segment(segment, saw_variable)) return false;
    return saw_variable;
}

}  // namespace sonique::services
