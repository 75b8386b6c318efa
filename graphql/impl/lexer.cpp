#include "lexer.hpp"

#include <cctype>
#include <cstdint>
#include <vector>

#include "core/strings.hpp"

namespace sonique::graphql {
namespace {

bool name_start(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool name_char(char c) {
    return name_start(c) || std::isdigit(static_cast<unsigned char>(c));
}
bool digit(char c) {
    return c >= '0' && c <= '9';
}

void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

Tok punctuator(char c) {
    switch (c) {
        case '!':
            return Tok::kBang;
        case '$':
            return Tok::kDollar;
        case '&':
            return Tok::kAmp;
        case '(':
            return Tok::kLParen;
        case ')':
            return Tok::kRParen;
        case ':':
            return Tok::kColon;
        case '=':
            return Tok::kEquals;
        case '@':
            return Tok::kAt;
        case '[':
            return Tok::kLBracket;
        case ']':
            return Tok::kRBracket;
        case '{':
            return Tok::kLBrace;
        case '}':
            return Tok::kRBrace;
        case '|':
            return Tok::kPipe;
        default:
            return Tok::kEnd;
    }
}

}  // namespace

void Lexer::fail(const std::string& what, Location loc) const {
    throw GraphQLError("Syntax Error: " + what, {loc});
}

void Lexer::skip_ignored() {
    while (pos_ < src_.size()) {
        char c = src_[pos_];
        if (c == '\n') {
            newline_at(++pos_);
        } else if (c == '\r') {
            pos_ += peek(1) == '\n' ? 2 : 1;
            newline_at(pos_);
        } else if (c == ' ' || c == '\t' || c == ',') {
            ++pos_;
        } else if (c == '#') {
            while (pos_ < src_.size() && src_[pos_] != '\n' && src_[pos_] != '\r')
                ++pos_;
        } else if (src_.substr(pos_, 3) == "\xEF\xBB\xBF") {
            pos_ += 3;  // byte order mark
        } else {
            return;
        }
    }
}

Token Lexer::next() {
    skip_ignored();
    Location loc = here();
    if (pos_ >= src_.size()) return {Tok::kEnd, "", loc};
    if (++tokens_ > max_tokens_)
        throw GraphQLError("Query has too many tokens (limit " + std::to_string(max_tokens_) + ")",
                           {loc});
    char c = src_[pos_];
    if (Tok p = punctuator(c); p != Tok::kEnd) {
        ++pos_;
        return {p, std::string(1, c), loc};
    }
    if (c == '.') {
        if (src_.substr(pos_, 3) != "...") fail("Unexpected \".\".", loc);
        pos_ += 3;
        return {Tok::kSpread, "...", loc};
    }
    if (name_start(c)) {
        size_t start = pos_;
        while (pos_ < src_.size() && name_char(src_[pos_]))
            ++pos_;
        return {Tok::kName, std::string(src_.substr(start, pos_ - start)), loc};
    }
    if (c == '-' || digit(c)) return number(loc);
    if (c == '"') return src_.substr(pos_, 3) == "\"\"\"" ? block_string(loc) : string(loc);
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F)
        fail("Invalid character in document.", loc);
    fail(std::string("Unexpected character \"") + c + "\".", loc);
}

Token Lexer::number(Location loc) {
    size_t start = pos_;
    if (peek() == '-') ++pos_;
    if (peek() == '0') {
        ++pos_;
        if (digit(peek())) fail("Invalid number, unexpected digit after 0.", here());
    } else {
        if (!digit(peek())) fail("Invalid number, expected digit.", here());
        while (digit(peek()))
            ++pos_;
    }
    bool is_float = false;
    if (peek() == '.') {
        is_float = true;
        ++pos_;
        if (!digit(peek())) fail("Invalid number, expected digit after \".\".", here());
        while (digit(peek()))
            ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
        is_float = true;
        ++pos_;
        if (peek() == '+' || peek() == '-') ++pos_;
        if (!digit(peek())) fail("Invalid number, expected digit in exponent.", here());
        while (digit(peek()))
            ++pos_;
    }
    if (name_start(peek()) || peek() == '.') fail("Invalid number, unexpected character.", here());
    return {is_float ? Tok::kFloat : Tok::kInt, std::string(src_.substr(start, pos_ - start)), loc};
}

void Lexer::escape(std::string& out, Location loc) {
    char e = peek(1);
    pos_ += 2;
    switch (e) {
        case '"':
            out += '"';
            return;
        case '\\':
            out += '\\';
            return;
        case '/':
            out += '/';
            return;
        case 'b':
            out += '\b';
            return;
        case 'f':
            out += '\f';
            return;
        case 'n':
            out += '\n';
            return;
        case 'r':
            out += '\r';
            return;
        case 't':
            out += '\t';
            return;
        case 'u':
            break;
        default:
            fail("Invalid escape sequence in string.", loc);
    }
    auto hex4 = [&](uint32_t& cp) {
        cp = 0;
        for (int i = 0; i < 4; ++i) {
            char h = peek();
            if (!std::isxdigit(static_cast<unsigned char>(h))) fail("Invalid Unicode escape.", loc);
            cp = cp * 16 + static_cast<uint32_t>(digit(h) ? h - '0' : (std::tolower(h) - 'a' + 10));
            ++pos_;
        }
    };
    uint32_t cp = 0;
    hex4(cp);
    if (cp >= 0xD800 && cp <= 0xDBFF && peek() == '\\' && peek(1) == 'u') {
        pos_ += 2;
        uint32_t low = 0;
        hex4(low);
        if (low < 0xDC00 || low > 0xDFFF) fail("Invalid Unicode escape.", loc);
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
        fail("Invalid Unicode escape.", loc);
    }
    append_utf8(out, cp);
}

Token Lexer::string(Location loc) {
    std::string out;
    ++pos_;
    while (true) {
        if (pos_ >= src_.size() || peek() == '\n' || peek() == '\r')
            fail("Unterminated string.", loc);
        char c = src_[pos_];
        if (c == '"') break;
        if (c == '\\') {
            escape(out, here());
            continue;
        }
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t')
            fail("Invalid character within string.", here());
        out += c;
        ++pos_;
    }
    ++pos_;
    if (!is_valid_utf8(out)) fail("Invalid UTF-8 in string.", loc);
    return {Tok::kString, std::move(out), loc};
}

Token Lexer::block_string(Location loc) {
    // Raw text up to the closing """, then the specification's common-indent removal.
    std::string raw;
    pos_ += 3;
    while (true) {
        if (pos_ >= src_.size()) fail("Unterminated string.", loc);
        if (src_.substr(pos_, 3) == "\"\"\"") break;
        if (src_.substr(pos_, 4) == "\\\"\"\"") {
            raw += "\"\"\"";
            pos_ += 4;
            continue;
        }
        char c = src_[pos_++];
        if (c == '\n' || (c == '\r' && peek() != '\n')) newline_at(pos_);
        raw += c;
    }
    pos_ += 3;
    std::string out;
    size_t common = std::string::npos;
    auto lines = std::vector<std::string>();
    for (size_t s = 0;;) {
        size_t e = raw.find('\n', s);
        std::string line = raw.substr(s, e == std::string::npos ? std::string::npos : e - s);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
        if (e == std::string::npos) break;
        s = e + 1;
    }
    for (size_t i = 1; i < lines.size(); ++i) {
        size_t indent = lines[i].find_first_not_of(" \t");
        if (indent != std::string::npos && indent < common) common = indent;
    }
    for (size_t i = 1; i < lines.size() && common != std::string::npos; ++i)
        lines[i] = lines[i].size() >= common ? lines[i].substr(common) : "";
    auto blank = [](const std::string& l) {
        return l.find_first_not_of(" \t") == std::string::npos;
    };
    size_t first = 0, last = lines.size();
    while (first < last && blank(lines[first]))
        ++first;
    while (last > first && blank(lines[last - 1]))
        --last;
    for (size_t i = first; i < last; ++i)
        out += (i > first ? "\n" : "") + lines[i];
    if (!is_valid_utf8(out)) fail("Invalid UTF-8 in string.", loc);
    return {Tok::kString, std::move(out), loc};
}

std::string describe(const Token& t) {
    switch (t.kind) {
        case Tok::kEnd:
            return "<EOF>";
        case Tok::kName:
            return "Name \"" + t.text + "\"";
        case Tok::kInt:
            return "Int \"" + t.text + "\"";
        case Tok::kFloat:
            return "Float \"" + t.text + "\"";
        case Tok::kString:
            return "String";
        default:
            return "\"" + t.text + "\"";
    }
}

}  // namespace sonique::graphql
