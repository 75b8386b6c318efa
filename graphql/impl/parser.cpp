// Recursive descent over the lexer. Every recursion (selection sets, values, list types) goes
// through Nest, which bounds the depth so that "{{{{..." cannot exhaust the stack.
#include "graphql/parser.hpp"

#include "lexer.hpp"

namespace sonique::graphql {
namespace {

using namespace ast;

class Parser {
  public:
    Parser(std::string_view text, const Limits& limits)
        : lexer_(text, limits.max_tokens), limits_(limits) {
        tok_ = lexer_.next();
    }
    Document document();

  private:
    // Counts one level of nesting for its lifetime.
    struct Nest {
        Nest(Parser& p, Location loc) : p(p) {
            if (++p.nesting_ > p.limits_.max_nesting)
                throw GraphQLError("Query is nested too deeply (limit " +
                                       std::to_string(p.limits_.max_nesting) + ")",
                                   {loc});
        }
        ~Nest() { --p.nesting_; }
        Parser& p;
    };

    Token advance() {
        Token t = std::move(tok_);
        tok_ = lexer_.next();
        return t;
    }
    bool peek(Tok k) const { return tok_.kind == k; }
    bool peek_name(const char* n) const { return tok_.kind == Tok::kName && tok_.text == n; }
    bool skip(Tok k) {
        if (!peek(k)) return false;
        advance();
        return true;
    }
    [[noreturn]] void unexpected() const {
        throw GraphQLError("Syntax Error: Unexpected " + describe(tok_) + ".", {tok_.loc});
    }
    Token expect(Tok k, const char* what) {
        if (!peek(k))
            throw GraphQLError(
                std::string("Syntax Error: Expected ") + what + ", found " + describe(tok_) + ".",
                {tok_.loc});
        return advance();
    }
    std::string name() { return expect(Tok::kName, "Name").text; }

    Operation operation();
    Fragment fragment();
    std::vector<VariableDefinition> variable_definitions();
    TypeName type_name();
    SelectionSet selection_set();
    Selection selection();
    std::vector<Argument> arguments(bool is_const);
    std::vector<Directive> directives(bool is_const);
    ValuePtr value(bool is_const);
    ValuePtr list_or_object(bool is_const, Location loc);

    Lexer lexer_;
    const Limits& limits_;
    Token tok_;
    int nesting_ = 0;
};

Document Parser::document() {
    Document doc;
    if (peek(Tok::kEnd)) throw GraphQLError("Syntax Error: Unexpected <EOF>.", {tok_.loc});
    while (!peek(Tok::kEnd)) {
        if (peek(Tok::kLBrace) || peek_name("query") || peek_name("mutation") ||
            peek_name("subscription")) {
            doc.operations.push_back(operation());
        } else if (peek_name("fragment")) {
            doc.fragments.push_back(fragment());
        } else {
            unexpected();
        }
    }
    return doc;
}

Operation Parser::operation() {
    Operation op;
    op.loc = tok_.loc;
    if (peek(Tok::kLBrace)) {
        op.selections = selection_set();
        return op;
    }
    op.type = advance().text;
    if (peek(Tok::kName)) op.name = advance().text;
    if (peek(Tok::kLParen)) op.variables = variable_definitions();
    op.directives = directives(false);
    op.selections = selection_set();
    return op;
}

Fragment Parser::fragment() {
    Fragment f;
    f.loc = advance().loc;
    if (peek_name("on")) unexpected();
    f.name = name();
    if (!peek_name("on"))
        throw GraphQLError("Syntax Error: Expected \"on\", found " + describe(tok_) + ".",
                           {tok_.loc});
    advance();
    f.type_condition = name();
    f.directives = directives(false);
    f.selections = selection_set();
    return f;
}

std::vector<VariableDefinition> Parser::variable_definitions() {
    std::vector<VariableDefinition> out;
    expect(Tok::kLParen, "\"(\"");
    do {
        VariableDefinition v;
        v.loc = expect(Tok::kDollar, "\"$\"").loc;
        v.name = name();
        expect(Tok::kColon, "\":\"");
        v.type = type_name();
        if (skip(Tok::kEquals)) v.default_value = value(true);
        directives(true);
        out.push_back(std::move(v));
    } while (!skip(Tok::kRParen));
    return out;
}

TypeName Parser::type_name() {
    TypeName t;
    if (peek(Tok::kLBracket)) {
        Nest nest(*this, tok_.loc);
        advance();
        t.of = std::make_unique<TypeName>(type_name());
        expect(Tok::kRBracket, "\"]\"");
    } else {
        t.name = name();
    }
    t.non_null = skip(Tok::kBang);
    return t;
}

SelectionSet Parser::selection_set() {
    Nest nest(*this, tok_.loc);
    expect(Tok::kLBrace, "\"{\"");
    SelectionSet out;
    do {
        out.push_back(selection());
    } while (!skip(Tok::kRBrace));
    return out;
}

Selection Parser::selection() {
    Selection s;
    s.loc = tok_.loc;
    if (skip(Tok::kSpread)) {
        if (peek(Tok::kName) && !peek_name("on")) {
            s.kind = Selection::Kind::kSpread;
            s.name = advance().text;
            s.directives = directives(false);
            return s;
        }
        s.kind = Selection::Kind::kInline;
        if (peek_name("on")) {
            advance();
            s.type_condition = name();
        }
        s.directives = directives(false);
        s.selections = selection_set();
        s.has_selections = true;
        return s;
    }
    s.name = name();
    if (skip(Tok::kColon)) {
        s.alias = std::move(s.name);
        s.name = name();
    }
    s.arguments = arguments(false);
    s.directives = directives(false);
    if (peek(Tok::kLBrace)) {
        s.selections = selection_set();
        s.has_selections = true;
    }
    return s;
}

std::vector<Argument> Parser::arguments(bool is_const) {
    std::vector<Argument> out;
    if (!skip(Tok::kLParen)) return out;
    do {
        Argument a;
        a.loc = tok_.loc;
        a.name = name();
        expect(Tok::kColon, "\":\"");
        a.value = value(is_const);
        out.push_back(std::move(a));
    } while (!skip(Tok::kRParen));
    return out;
}

std::vector<Directive> Parser::directives(bool is_const) {
    std::vector<Directive> out;
    while (peek(Tok::kAt)) {
        Directive d;
        d.loc = advance().loc;
        d.name = name();
        d.arguments = arguments(is_const);
        out.push_back(std::move(d));
    }
    return out;
}

ValuePtr Parser::value(bool is_const) {
    auto v = std::make_unique<Value>();
    v->loc = tok_.loc;
    switch (tok_.kind) {
        case Tok::kLBracket:
        case Tok::kLBrace:
            return list_or_object(is_const, tok_.loc);
        case Tok::kDollar:
            if (is_const) unexpected();
            advance();
            v->kind = Value::Kind::kVariable;
            v->text = name();
            return v;
        case Tok::kInt:
            v->kind = Value::Kind::kInt;
            break;
        case Tok::kFloat:
            v->kind = Value::Kind::kFloat;
            break;
        case Tok::kString:
            v->kind = Value::Kind::kString;
            break;
        case Tok::kName:
            if (tok_.text == "true" || tok_.text == "false") {
                v->kind = Value::Kind::kBoolean;
                v->boolean = tok_.text == "true";
            } else {
                v->kind = tok_.text == "null" ? Value::Kind::kNull : Value::Kind::kEnum;
            }
            break;
        default:
            unexpected();
    }
    v->text = advance().text;
    return v;
}

ValuePtr Parser::list_or_object(bool is_const, Location loc) {
    Nest nest(*this, loc);
    auto v = std::make_unique<Value>();
    v->loc = loc;
    if (skip(Tok::kLBracket)) {
        v->kind = Value::Kind::kList;
        while (!skip(Tok::kRBracket)) {
            if (v->items.size() >= static_cast<size_t>(limits_.max_list_items))
                throw GraphQLError("List value has too many items", {loc});
            v->items.push_back(value(is_const));
        }
        return v;
    }
    expect(Tok::kLBrace, "\"{\"");
    v->kind = Value::Kind::kObject;
    while (!skip(Tok::kRBrace)) {
        Location field_loc = tok_.loc;
        std::string key = name();
        for (const auto& [k, _] : v->fields)
            if (k == key)
                throw GraphQLError("There can be only one input field named \"" + key + "\".",
                                   {field_loc});
        expect(Tok::kColon, "\":\"");
        v->fields.emplace_back(std::move(key), value(is_const));
    }
    return v;
}

}  // namespace

Document parse(std::string_view text, const Limits& limits) {
    if (text.size() > limits.max_query_bytes)
        throw GraphQLError("Query is too large (" + std::to_string(text.size()) + " bytes, limit " +
                           std::to_string(limits.max_query_bytes) + ")");
    Parser p(text, limits);
    return p.document();
}

namespace ast {
std::string to_string(const TypeName& type) {
    std::string s = type.of ? "[" + to_string(*type.of) + "]" : type.name;
    return type.non_null ? s + "!" : s;
}
}  // namespace ast

}  // namespace sonique::graphql
