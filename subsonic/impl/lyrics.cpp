#include "lyrics.hpp"

#include <algorithm>
#include <cctype>

#include "core/strings.hpp"

namespace sonique::subsonic {
namespace {

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
}

// "mm:ss", "mm:ss.f…" or "mm:ss:ff" in milliseconds; nullopt when it is no time.
std::optional<int64_t> parse_time(std::string_view t) {
    auto colon = t.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::string_view min = t.substr(0, colon), rest = t.substr(colon + 1);
    auto frac_at = rest.find_first_of(".:");
    std::string_view sec = rest.substr(0, frac_at);
    std::string_view frac = frac_at == std::string_view::npos ? "" : rest.substr(frac_at + 1);
    if (!all_digits(min) || min.size() > 4 || !all_digits(sec) || sec.size() > 2)
        return std::nullopt;
    if (frac_at != std::string_view::npos && (!all_digits(frac) || frac.size() > 3))
        return std::nullopt;
    int64_t ms = (std::stoll(std::string(min)) * 60 + std::stoll(std::string(sec))) * 1000;
    if (!frac.empty()) {
        int64_t f = std::stoll(std::string(frac));
        for (size_t i = frac.size(); i < 3; ++i)
            f *= 10;  // ".5" is 500 ms, ".05" 50 ms
        ms += f;
    }
    return ms;
}

std::string_view trim_view(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

// Drops enhanced LRC's word times ("<00:01.50>") from a line's text.
std::string without_word_times(std::string_view s) {
    std::string out;
    while (!s.empty()) {
        auto open = s.find('<');
        auto close = open == std::string_view::npos ? open : s.find('>', open);
        if (close == std::string_view::npos || !parse_time(s.substr(open + 1, close - open - 1))) {
            out.append(s.substr(0, open == std::string_view::npos ? s.size() : open + 1));
            s.remove_prefix(open == std::string_view::npos ? s.size() : open + 1);
            continue;
        }
        out.append(s.substr(0, open));
        s.remove_prefix(close + 1);
    }
    return std::string(trim_view(out));
}

// "ar", "offset", ...: a word of letters. "[Verse 1: Alice]" in plain lyrics is text, not a tag.
bool is_tag_key(std::string_view key) {
    return !key.empty() && key.size() <= 16 && std::all_of(key.begin(), key.end(), [](char c) {
        return std::isalpha(static_cast<unsigned char>(c));
    });
}

void read_tag(Lyrics& out, std::string_view key, std::string_view value) {
    std::string k = to_lower(std::string(trim_view(key)));
    std::string v(trim_view(value));
    if (k == "ar" && !v.empty()) out.artist = v;
    if (k == "ti" && !v.empty()) out.title = v;
    if (k == "la" && !v.empty()) out.lang = v;
    if (k == "offset") {
        if (auto n = parse_int(v.starts_with('+') ? v.substr(1) : v)) out.offset_ms = *n;
    }
}

}  // namespace

Lyrics parse_lyrics(std::string_view text) {
    Lyrics out;
    std::vector<std::string> plain;
    for (const auto& raw : split(text, '\n')) {
        std::string_view line = raw;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        std::vector<int64_t> times;
        bool tagged = false;
        std::string_view rest = trim_view(line);
        while (rest.starts_with('[')) {
            auto close = rest.find(']');
            if (close == std::string_view::npos) break;
            std::string_view inside = rest.substr(1, close - 1);
            if (auto t = parse_time(inside)) {
                times.push_back(*t);
            } else if (auto colon = inside.find(':'); colon != std::string_view::npos &&
                                                      times.empty() &&
                                                      is_tag_key(inside.substr(0, colon))) {
                read_tag(out, inside.substr(0, colon), inside.substr(colon + 1));
                tagged = true;
            } else {
                break;
            }
            rest = rest.substr(close + 1);
        }
        if (!times.empty()) {
            std::string value = without_word_times(rest);
            for (int64_t t : times)
                out.lines.push_back({t, value});
        } else if (!tagged) {
            plain.emplace_back(line);
        }
    }
    out.synced = !out.lines.empty();
    if (out.synced) {
        std::stable_sort(out.lines.begin(), out.lines.end(),
                         [](const auto& a, const auto& b) { return *a.start_ms < *b.start_ms; });
        return out;
    }
    while (!plain.empty() && trim_view(plain.back()).empty())
        plain.pop_back();
    size_t first = 0;
    while (first < plain.size() && trim_view(plain[first]).empty())
        ++first;
    for (size_t i = first; i < plain.size(); ++i)
        out.lines.push_back({std::nullopt, plain[i]});
    return out;
}

std::string plain_lyrics(const Lyrics& lyrics) {
    std::string out;
    for (size_t i = 0; i < lyrics.lines.size(); ++i) {
        if (i) out += '\n';
        out += lyrics.lines[i].text;
    }
    return out;
}

}  // namespace sonique::subsonic
