// A recursive-descent parser of the criteria grammar:
//   expr := and ('or' and)*    and := term ('and' term)*
//   term := '(' expr ')' | property op "value" | property 'exists' (true|false)
// Two passes: the class conditions pick the target, then SQL is written for it (class
// conditions become true or false there).
#include "search_criteria.hpp"

#include "core/strings.hpp"
#include "soap.hpp"

namespace sonique::dlna {
namespace {

struct Token {
    enum Kind { kWord, kString, kOpen, kClose, kEnd } kind = kEnd;
    std::string text;
};

[[noreturn]] void bad(const std::string& why) {
    throw SoapFault(kBadSearchCriteria, "Unsupported or invalid search criteria: " + why);
}

std::vector<Token> tokenize(std::string_view s) {
    std::vector<Token> out;
    size_t i = 0;
    while (i < s.size()) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            ++i;
        } else if (c == '(' || c == ')') {
            out.push_back({c == '(' ? Token::kOpen : Token::kClose, std::string(1, c)});
            ++i;
        } else if (c == '"') {
            std::string v;
            ++i;
            for (;;) {
                if (i >= s.size()) bad("unterminated string");
                if (s[i] == '\\' && i + 1 < s.size()) {
                    v += s[i + 1];
                    i += 2;
                } else if (s[i] == '"') {
                    ++i;
                    break;
                } else {
                    v += s[i++];
                }
            }
            out.push_back({Token::kString, std::move(v)});
        } else {
            size_t j = i;
            while (j < s.size() && s[j] != ' ' && s[j] != '\t' && s[j] != '(' && s[j] != ')' &&
                   s[j] != '"' && s[j] != '\n' && s[j] != '\r')
                ++j;
            out.push_back({Token::kWord, std::string(s.substr(i, j - i))});
            i = j;
        }
        if (out.size() > 512) bad("too long");
    }
    out.push_back({Token::kEnd, {}});
    return out;
}

// LIKE pattern for a contains/startsWith value: its wildcards escaped.
std::string like_escaped(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

SearchTarget class_target(const std::string& cls) {
    if (cls.starts_with("object.container.album")) return SearchTarget::kAlbums;
    if (cls.starts_with("object.container.person")) return SearchTarget::kArtists;
    return SearchTarget::kTracks;
}

// The class an object of the target has.
std::string target_class(SearchTarget t) {
    switch (t) {
        case SearchTarget::kAlbums:
            return "object.container.album.musicAlbum";
        case SearchTarget::kArtists:
            return "object.container.person.musicArtist";
        default:
            return "object.item.audioItem.musicTrack";
    }
}

class Parser {
  public:
    Parser(std::vector<Token> tokens, SearchSql& out, int first, bool pick)
        : t_(std::move(tokens)), out_(out), next_param_(first), pick_(pick) {}

    std::string parse() {
        std::string e = expr(0);
        if (t_[pos_].kind != Token::kEnd) bad("unexpected " + t_[pos_].text);
        return e;
    }
    bool target_set = false;

  private:
    const Token& take() { return t_[pos_ < t_.size() - 1 ? pos_++ : pos_]; }
    bool word(const char* w) {
        if (t_[pos_].kind == Token::kWord && to_lower(t_[pos_].text) == w) {
            ++pos_;
            return true;
        }
        return false;
    }

    std::string expr(int depth) {
        if (depth > 16) bad("nested too deep");
        std::string e = conj(depth);
        while (word("or"))
            e = "(" + e + " OR " + conj(depth) + ")";
        return e;
    }
    std::string conj(int depth) {
        std::string e = term(depth);
        while (word("and"))
            e = "(" + e + " AND " + term(depth) + ")";
        return e;
    }
    std::string param(std::string v) {
        out_.params.push_back(std::move(v));
        return "$" + std::to_string(next_param_++);
    }
    std::string column(const std::string& p) {
        switch (out_.target) {
            case SearchTarget::kTracks:
                if (p == "dc:title") return "t.title";
                if (p == "dc:creator" || p == "upnp:artist") return "ar.name";
                if (p == "upnp:album") return "al.title";
                if (p == "upnp:genre") return "t.genre";
                if (p == "dc:date") return "t.year";
                break;
            case SearchTarget::kAlbums:
                if (p == "dc:title" || p == "upnp:album") return "al.title";
                if (p == "dc:creator" || p == "upnp:artist") return "aa.name";
                if (p == "dc:date") return "al.release_year";
                if (p == "upnp:genre") return "NULL::text";
                break;
            case SearchTarget::kArtists:
                if (p == "dc:title" || p == "dc:creator" || p == "upnp:artist") return "ar.name";
                if (p == "upnp:album" || p == "upnp:genre" || p == "dc:date") return "NULL::text";
                break;
        }
        bad("unknown property " + p.substr(0, 40));
    }
    std::string term(int depth) {
        if (++conditions_ > 64) bad("too many conditions");
        const Token& tk = take();
        if (tk.kind == Token::kOpen) {
            std::string e = expr(depth + 1);
            if (take().kind != Token::kClose) bad("missing )");
            return e;
        }
        if (tk.kind == Token::kWord && tk.text == "*" && t_.size() == 2) return "true";
        if (tk.kind != Token::kWord) bad("expected a property");
        std::string prop = tk.text;
        const Token& op_tok = take();
        if (op_tok.kind != Token::kWord) bad("expected an operator");
        std::string op = op_tok.text;
        const Token& v = take();
        if (op == "exists") {
            if (v.kind != Token::kWord || (v.text != "true" && v.text != "false"))
                bad("exists takes true or false");
            if (prop == "upnp:class") return v.text;
            return column(prop) + (v.text == "true" ? " IS NOT NULL" : " IS NULL");
        }
        if (v.kind != Token::kString) bad("expected a quoted value");
        if (prop == "upnp:class") return class_condition(op, v.text);
        std::string col = column(prop);
        std::string lv = "lower(" + col + ")";
        if (op == "=") return lv + " = lower(" + param(v.text) + ")";
        if (op == "!=")
            return "(" + col + " IS NULL OR " + lv + " <> lower(" + param(v.text) + "))";
        if (op == "contains")
            return lv + " LIKE '%' || lower(" + param(like_escaped(v.text)) + ") || '%'";
        if (op == "doesNotContain")
            return "(" + col + " IS NULL OR " + lv + " NOT LIKE '%' || lower(" +
                   param(like_escaped(v.text)) + ") || '%')";
        if (op == "startsWith")
            return lv + " LIKE lower(" + param(like_escaped(v.text)) + ") || '%'";
        if (op == "<" || op == "<=" || op == ">" || op == ">=")
            return lv + " " + op + " lower(" + param(v.text) + ")";
        bad("unknown operator " + op.substr(0, 20));
    }
    std::string class_condition(const std::string& op, const std::string& cls) {
        if (pick_ && !target_set && (op == "=" || op == "derivedfrom")) {
            out_.target = class_target(cls);
            target_set = true;
        }
        std::string mine = target_class(out_.target);
        bool match;
        if (op == "=") {
            match = mine == cls;
        } else if (op == "derivedfrom") {
            match = mine == cls || mine.starts_with(cls + ".");
        } else if (op == "!=") {
            match = mine != cls;
        } else if (op == "contains") {
            match = mine.find(cls) != std::string::npos;
        } else {
            bad("unsupported operator on upnp:class");
        }
        return match ? "true" : "false";
    }

    std::vector<Token> t_;
    size_t pos_ = 0;
    SearchSql& out_;
    int next_param_;
    bool pick_;
    int conditions_ = 0;
};

}  // namespace

SearchSql parse_search(std::string_view criteria, int first_param) {
    if (criteria.size() > 4096) bad("too long");
    auto tokens = tokenize(criteria);
    if (tokens.size() == 1) bad("empty");
    SearchSql out;
    {
        // First pass: which kind of object the class conditions ask for.
        SearchSql probe;
        Parser p(tokens, probe, first_param, true);
        p.parse();
        out.target = probe.target;
    }
    Parser p(std::move(tokens), out, first_param, false);
    out.where = p.parse();
    return out;
}

}  // namespace sonique::dlna
