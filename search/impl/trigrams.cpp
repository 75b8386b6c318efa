// pg_trgm's trigram functions re-expressed (see trigrams.hpp): PostgreSQL 15's generate_trgm and
// cnt_sml (calc_word_similarity's extent search is TypeaheadSnapshot::word_sim, over stored
// trigram ids: snapshot_candidates.cpp).
#include "trigrams.hpp"

#include <wctype.h>
#include <algorithm>
#include <array>
#include <stdexcept>

namespace sonique::search {
namespace {

// PostgreSQL's legacy CRC-32: the table of the reflected polynomial 0xEDB88320, fed through the
// non-reflected loop (pg_crc.h, COMP_LEGACY_CRC32). pg_trgm keeps it for trigrams with multi-byte
// characters, so a different CRC would give different trigrams.
const std::array<uint32_t, 256>& crc_table() {
    static const std::array<uint32_t, 256> table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    return table;
}

// Three characters of bytelen bytes as pg_trgm stores them: the bytes themselves when there are
// three, else the first three bytes in memory (little-endian: the low ones) of the CRC.
Trigram compact(const char* p, size_t bytelen) {
    auto b = reinterpret_cast<const unsigned char*>(p);
    if (bytelen == 3) return (Trigram(b[0]) << 16) | (Trigram(b[1]) << 8) | b[2];
    const auto& table = crc_table();
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < bytelen; ++i)
        crc = table[((crc >> 24) ^ b[i]) & 0xFF] ^ (crc << 8);
    crc ^= 0xFFFFFFFFu;
    return ((crc & 0xFF) << 16) | (crc & 0xFF00) | ((crc >> 16) & 0xFF);
}

// The code point at p and its length in bytes (text is valid UTF-8: PostgreSQL's or checked).
char32_t decode(const unsigned char* p, size_t left, int& len) {
    unsigned char c = p[0];
    if (c < 0x80 || left < 2) return len = 1, c;
    if (c < 0xE0) return len = 2, ((c & 0x1F) << 6) | (p[1] & 0x3F);
    if (c < 0xF0 || left < 4)
        return len = std::min<int>(3, static_cast<int>(left)),
               ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (left > 2 ? (p[2] & 0x3F) : 0);
    return len = 4,
           ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

float calc_sml(int count, int len1, int len2) {
    return static_cast<float>(count) / static_cast<float>(len1 + len2 - count);
}

}  // namespace

WordChars::WordChars(const std::string& ctype) {
    if (ctype == "C" || ctype == "POSIX") return;
    locale_ = newlocale(LC_CTYPE_MASK, ctype.c_str(), static_cast<locale_t>(nullptr));
    if (!locale_) throw std::runtime_error("locale " + ctype + " is not available here");
}

WordChars::~WordChars() {
    if (locale_) freelocale(locale_);
}

bool WordChars::is_word(char32_t cp, int len) const {
    if (len == 1)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    return locale_ && iswalnum_l(static_cast<wint_t>(cp), locale_);
}

void trigram_sequence(std::string_view text, const WordChars& words, std::vector<Trigram>& out) {
    out.clear();
    auto p = reinterpret_cast<const unsigned char*>(text.data());
    size_t n = text.size(), i = 0;
    // One padded word at a time: its characters' byte offsets in buf.
    std::string buf;
    std::vector<size_t> starts;
    while (i < n) {
        int len = 1;
        char32_t cp = decode(p + i, n - i, len);
        if (!words.is_word(cp, len)) {
            i += len;
            continue;
        }
        buf.assign("  ");
        starts.assign({0, 1});
        while (i < n) {
            cp = decode(p + i, n - i, len);
            if (!words.is_word(cp, len)) break;
            starts.push_back(buf.size());
            buf.append(text.substr(i, len));
            i += len;
        }
        starts.push_back(buf.size());
        buf.push_back(' ');
        starts.push_back(buf.size());  // the end
        for (size_t c = 0; c + 3 < starts.size(); ++c)
            out.push_back(compact(buf.data() + starts[c], starts[c + 3] - starts[c]));
    }
}

void inner_trigrams(std::string_view text, const WordChars& words, std::vector<Trigram>& out) {
    out.clear();
    auto p = reinterpret_cast<const unsigned char*>(text.data());
    size_t n = text.size(), i = 0;
    std::vector<size_t> starts;  // byte offsets of the current word's characters
    while (i <= n) {
        int len = 1;
        bool word = i < n && words.is_word(decode(p + i, n - i, len), len);
        if (word) {
            starts.push_back(i);
        } else {
            starts.push_back(i);  // the end of the word
            for (size_t c = 0; c + 3 < starts.size(); ++c)
                out.push_back(compact(text.data() + starts[c], starts[c + 3] - starts[c]));
            starts.clear();
        }
        i += len;
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}

void trigram_set(std::string_view text, const WordChars& words, std::vector<Trigram>& out) {
    trigram_sequence(text, words, out);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}

float trigram_similarity(const std::vector<Trigram>& a, const std::vector<Trigram>& b) {
    if (a.empty() || b.empty()) return 0.0f;
    int count = 0;
    for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
        if (a[i] < b[j]) {
            ++i;
        } else if (a[i] > b[j]) {
            ++j;
        } else {
            ++count, ++i, ++j;
        }
    }
    return calc_sml(count, static_cast<int>(a.size()), static_cast<int>(b.size()));
}

}  // namespace sonique::search
