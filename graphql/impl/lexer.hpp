#pragma once
// Tokens of GraphQL source text. Internal to the parser.
#include <cstddef>
#include <string>
#include <string_view>

#include "graphql/error.hpp"

namespace sonique::graphql {

enum class Tok {
    kEnd,
    kBang,
    kDollar,
    kAmp,
    kLParen,
    kRParen,
    kSpread,
    kColon,
    kEquals,
    kAt,
    kLBracket,
    kRBracket,
    kLBrace,
    kRBrace,
    kPipe,
    kName,
    kInt,
    kFloat,
    kString,
};

struct Token {
    Tok kind = Tok::kEnd;
    std::string text;  // names, numbers, decoded strings
    Location loc;
};

class Lexer {
  public:
    Lexer(std::string_view src, size_t max_tokens) : src_(src), max_tokens_(max_tokens) {}
    // The next token. Throws GraphQLError on a character or string that is not valid.
    Token next();

  private:
    void skip_ignored();
    Token number(Location loc);
    Token string(Location loc);
    Token block_string(Location loc);
    void escape(std::string& out, Location loc);
    [[noreturn]] void fail(const std::string& what, Location loc) const;
    Location here() const { return {line_, static_cast<int>(pos_ - line_start_) + 1}; }
    char peek(size_t ahead = 0) const {
        return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
    }
    void newline_at(size_t next_pos) {
        ++line_;
        line_start_ = next_pos;
    }

    std::string_view src_;
    size_t pos_ = 0;
    size_t line_start_ = 0;
    int line_ = 1;
    size_t tokens_ = 0;
    size_t max_tokens_;
};

// A human-readable description of a token for "Unexpected ..." messages.
std::string describe(const Token& t);

}  // namespace sonique::graphql
