#include "tag_split.hpp"

#include <cctype>
#include <cstdlib>

#include "core/strings.hpp"

namespace sonique::scanner {
namespace {

bool matches_at(std::string_view text, size_t pos, std::string_view word, bool fold) {
    if (word.empty() || pos + word.size() > text.size()) return false;
    for (size_t i = 0; i < word.size(); ++i) {
        char a = text[pos + i], b = word[i];
        if (fold) {
            a = static_cast<char>(std::tolower(static_cast<unsigned char>(a)));
            b = static_cast<char>(std::tolower(static_cast<unsigned char>(b)));
        }
        if (a != b) return false;
    }
    return true;
}

void push_unique(std::vector<std::string>& out, std::string_view part) {
    std::string t = trim(part);
    if (t.empty()) return;
    std::string low = to_lower(t);
    for (const auto& o : out)
        if (to_lower(o) == low) return;
    out.push_back(std::move(t));
}

}  // namespace

std::vector<std::string> split_values(std::string_view value, const SplitRules& rules) {
    std::vector<std::string> out;
    std::string current;
    size_t i = 0;
    while (i < value.size()) {
        bool advanced = false;
        for (const auto& ex : rules.exceptions) {
            if (matches_at(value, i, ex, true)) {
                current.append(value.substr(i, ex.size()));
                i += ex.size();
                advanced = true;
                break;
            }
        }
        if (advanced) continue;
        for (const auto& sep : rules.separators) {
            if (matches_at(value, i, sep, true)) {
                push_unique(out, current);
                current.clear();
                i += sep.size();
                advanced = true;
                break;
            }
        }
        if (!advanced) current.push_back(value[i++]);
    }
    push_unique(out, current);
    return out;
}

std::vector<std::string> split_all(const std::vector<std::string>& values,
                                   const SplitRules& rules) {
    std::vector<std::string> out;
    for (const auto& v : values)
        for (auto& part : split_values(v, rules))
            push_unique(out, part);
    return out;
}

std::optional<int> total_of(std::string_view number) {
    auto slash = number.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    auto v = parse_int(trim(number.substr(slash + 1)));
    if (!v || *v <= 0 || *v > 100000) return std::nullopt;
    return static_cast<int>(*v);
}

bool truthy(std::string_view value) {
    std::string v = to_lower(trim(value));
    return v == "1" || v == "true" || v == "yes";
}

std::optional<double> leading_double(std::string_view value) {
    std::string t = trim(value);
    if (t.empty()) return std::nullopt;
    char* end = nullptr;
    double d = std::strtod(t.c_str(), &end);
    if (end == t.c_str() || d != d || d > 1e9 || d < -1e9) return std::nullopt;
    return d;
}

std::optional<std::string> year_of(std::string_view date) {
    std::string t = trim(date);
    if (t.size() < 4) return std::nullopt;
    for (int i = 0; i < 4; ++i)
        if (!std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
    if (t.size() > 4 && std::isdigit(static_cast<unsigned char>(t[4]))) return std::nullopt;
    return t.substr(0, 4);
}

void parse_key(std::string_view text, std::optional<std::string>& key,
               std::optional<std::string>& scale) {
    std::string t = trim(text);
    if (t.empty()) return;
    char root = static_cast<char>(std::toupper(static_cast<unsigned char>(t[0])));
    if (root < 'A' || root > 'G') {
        key = t;  // Open Key / Camelot notations are kept as written
        return;
    }
    std::string k(1, root);
    size_t i = 1;
    if (i < t.size() && (t[i] == '#' || t[i] == 'b')) k.push_back(t[i++]);
    std::string rest = to_lower(trim(std::string_view(t).substr(i)));
    key = k;
    if (rest == "m" || rest == "min" || rest == "minor")
        scale = "minor";
    else if (rest.empty() || rest == "maj" || rest == "major")
        scale = "major";
}

}  // namespace sonique::scanner
