#include "xml_text.hpp"

#include <cstdint>

namespace sonique::dlna {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0.
size_t utf8_length(std::string_view s, size_t i) {
    auto b = static_cast<uint8_t>(s[i]);
    size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k)
        if ((static_cast<uint8_t>(s[i + k]) & 0xC0) != 0x80) return 0;
    uint32_t cp = n == 1 ? b : b & (0x7F >> n);
    for (size_t k = 1; k < n; ++k)
        cp = cp << 6 | (static_cast<uint8_t>(s[i + k]) & 0x3F);
    // Overlong forms, surrogates and past U+10FFFF are not UTF-8.
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
    if (cp == 0xFFFE || cp == 0xFFFF) return 0;
    return n;
}

// Printable ASCII that needs no escape: copied by runs, not byte by byte (a Browse answer's
// DIDL-Lite is escaped once more as SOAP's Result: this loop was a tenth of the server's CPU
// in the crawl of bench/dlna).
template <bool kQuotes>
bool plain(char c) {
    auto b = static_cast<uint8_t>(c);
    return b >= 0x20 && b < 0x80 && c != '&' && c != '<' && c != '>' &&
           (!kQuotes || (c != '"' && c != '\''));
}

// kQuotes: " and ' as references too (attribute values); without, as they are (element
// content, where XML needs neither escaped).
template <bool kQuotes>
void append(std::string& out, std::string_view text) {
    out.reserve(out.size() + text.size());
    for (size_t i = 0; i < text.size();) {
        size_t run = i;
        while (run < text.size() && plain<kQuotes>(text[run]))
            ++run;
        if (run > i) {
            out.append(text.data() + i, run - i);
            i = run;
            if (i == text.size()) break;
        }
        char c = text[i];
        switch (c) {
            case '&':
                out += "&amp;";
                ++i;
                continue;
            case '<':
                out += "&lt;";
                ++i;
                continue;
            case '>':
                out += "&gt;";
                ++i;
                continue;
            case '"':
                if (!kQuotes) break;
                out += "&quot;";
                ++i;
                continue;
            case '\'':
                if (!kQuotes) break;
                out += "&apos;";
                ++i;
                continue;
            default:
                break;
        }
        auto b = static_cast<uint8_t>(c);
        if (b < 0x20) {
            if (c == '\t' || c == '\n' || c == '\r') out += c;
            ++i;
            continue;
        }
        size_t n = utf8_length(text, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        out.append(text.substr(i, n));
        i += n;
    }
}

}  // namespace

void append_escaped(std::string& out, std::string_view text) {
    append<true>(out, text);
}

void append_content_escaped(std::string& out, std::string_view text) {
    append<false>(out, text);
}

std::string escaped(std::string_view text) {
    std::string out;
    append_escaped(out, text);
    return out;
}

}  // namespace sonique::dlna
