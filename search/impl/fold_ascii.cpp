#include "fold_ascii.hpp"

#include <array>
#include <cstring>

namespace sonique::search {
namespace {

bool is_blank(char c) {
    return c == ' ';  // the only blank in printable ASCII
}
bool is_punct(char c) {
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

constexpr std::array<const char*, 14> kArticles = {
    "the", "an", "a", "le", "la", "les", "die", "der", "das", "el", "los", "las", "il", nullptr};

}  // namespace

std::optional<std::pair<std::string, std::string>> fold_ascii(std::string_view text) {
    std::string folded(text);
    for (char& c : folded) {
        if (c < 0x20 || c > 0x7E) return std::nullopt;
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    // ^\s*((the|an|a|...)\s+|l')
    size_t start = 0, i = 0;
    while (i < folded.size() && is_blank(folded[i]))
        ++i;
    std::string_view rest = std::string_view(folded).substr(i);
    if (rest.substr(0, 2) == "l'") {
        start = i + 2;
    } else {
        for (const char* article : kArticles) {
            if (!article) break;
            size_t n = std::strlen(article);
            if (rest.size() > n && rest.substr(0, n) == article && is_blank(rest[n])) {
                size_t j = i + n;
                while (j < folded.size() && is_blank(folded[j]))
                    ++j;
                start = j;
                break;
            }
        }
    }
    std::string key;
    for (size_t j = start; j < folded.size(); ++j)
        if (!is_blank(folded[j]) && !is_punct(folded[j])) key.push_back(folded[j]);
    return std::make_pair(std::move(folded), std::move(key));
}

const char* const* fold_probes() {
    static const char* const probes[] = {
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstu"
        "vwxyz{|}~",
        "The Beatles",
        "  the   x",
        "THE",
        "the",
        "L'Amour",
        "l'",
        " l'x",
        "A",
        "a b",
        "An Apple",
        "Las Vegas",
        "les",
        "Les Rita",
        "Die Toten",
        "DER x",
        "das",
        "El Camino",
        "los x",
        "Il Divo",
        "la la",
        "AC/DC",
        "thex y",
        "the.x",
        nullptr};
    return probes;
}

}  // namespace sonique::search
