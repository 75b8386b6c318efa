// Canonical printing of an operation for CacheKeys (cache_key.hpp). The print is only ever
// compared, never parsed again, so it needs to be unambiguous, not valid GraphQL.
#include "graphql/cache_key.hpp"

#include <algorithm>
#include <initializer_list>

#include "values.hpp"

namespace sonique::graphql {
namespace {

using VK = ast::Value::Kind;

constexpr size_t kMaxShapes = 512;
constexpr size_t kMaxRememberedQuery = 8192;  // as Engine::prepare's own cache

class Printer {
  public:
    explicit Printer(const ast::Document& doc, const ast::Operation& op) : doc_(doc), op_(op) {}

    // False when the operation must not be cached (introspection).
    bool print(std::string& out) {
        out_ = &out;
        set(op_.selections);
        return ok_;
    }
    std::vector<const ast::VariableDefinition*> variables;

  private:
    void value(const ast::Value& v) {
        std::string& o = *out_;
        switch (v.kind) {
            case VK::kVariable:
                o += '$';
                o += std::to_string(variable(v.text));
                return;
            case VK::kString:
                o += dump_json(Json(v.text));
                return;
            case VK::kEnum:
                o += '#';  // an enum value never reads as another kind of literal
                o += v.text;
                return;
            case VK::kList:
                o += '[';
                for (size_t i = 0; i < v.items.size(); ++i) {
                    if (i) o += ',';
                    value(*v.items[i]);
                }
                o += ']';
                return;
            case VK::kObject: {
                // Input-object field order has no meaning.
                std::vector<const std::pair<std::string, ast::ValuePtr>*> fields;
                for (const auto& f : v.fields)
                    fields.push_back(&f);
                std::sort(fields.begin(), fields.end(),
                          [](auto* a, auto* b) { return a->first < b->first; });
                o += '{';
                for (size_t i = 0; i < fields.size(); ++i) {
                    if (i) o += ',';
                    o += fields[i]->first;
                    o += ':';
                    value(*fields[i]->second);
                }
                o += '}';
                return;
            }
            default:
                o += print_value(v);  // null, true/false, int and float source text
        }
    }

    size_t variable(const std::string& name) {
        for (size_t i = 0; i < variables.size(); ++i)
            if (variables[i]->name == name) return i;
        for (const auto& d : op_.variables)
            if (d.name == name) {
                variables.push_back(&d);
                return variables.size() - 1;
            }
        ok_ = false;  // validation rejects undefined variables; never key such a document
        return 0;
    }

    // Argument order has no meaning.
    void arguments(const std::vector<ast::Argument>& args) {
        if (args.empty()) return;
        std::vector<const ast::Argument*> sorted;
        for (const auto& a : args)
            sorted.push_back(&a);
        std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->name < b->name; });
        *out_ += '(';
        for (size_t i = 0; i < sorted.size(); ++i) {
            if (i) *out_ += ',';
            *out_ += sorted[i]->name;
            *out_ += ':';
            value(*sorted[i]->value);
        }
        *out_ += ')';
    }

    void directives(const std::vector<ast::Directive>& list) {
        for (const auto& d : list) {
            *out_ += '@';
            *out_ += d.name;
            arguments(d.arguments);
        }
    }

    void set(const ast::SelectionSet& selections) {
        *out_ += '{';
        bool first = true;
        items(selections, first);
        *out_ += '}';
    }

    // The schema has object types only (no interfaces or unions), so a valid fragment always
    // applies where it is spread, and collecting fields takes its selections in place: a
    // fragment without directives is spliced into the enclosing set, whether named or inline.
    void items(const ast::SelectionSet& selections, bool& first) {
        for (const auto& s : selections) {
            const ast::SelectionSet* inner = nullptr;
            if (s.kind == ast::Selection::Kind::kInline) inner = &s.selections;
            if (s.kind == ast::Selection::Kind::kSpread) {
                const ast::Fragment* f = doc_.fragment(s.name);
                if (!f) {
                    ok_ = false;
                    continue;
                }
                inner = &f->selections;
                if (!f->directives.empty()) {
                    fragment(*inner, {&s.directives, &f->directives}, first);
                    continue;
                }
            }
            if (inner && s.directives.empty()) {
                items(*inner, first);
                continue;
            }
            if (inner) {
                fragment(*inner, {&s.directives}, first);
                continue;
            }
            if (!first) *out_ += ',';
            first = false;
            field(s);
        }
    }

    // A fragment with directives (@include, @skip), kept as a unit.
    void fragment(const ast::SelectionSet& selections,
                  std::initializer_list<const std::vector<ast::Directive>*> lists, bool& first) {
        if (!first) *out_ += ',';
        first = false;
        *out_ += "...";
        for (const auto* l : lists)
            directives(*l);
        set(selections);
    }

    void field(const ast::Selection& s) {
        if (s.name == "__schema" || s.name == "__type") ok_ = false;
        if (!s.alias.empty() && s.alias != s.name) {
            *out_ += s.alias;
            *out_ += ':';
        }
        *out_ += s.name;
        arguments(s.arguments);
        directives(s.directives);
        if (s.has_selections) set(s.selections);
    }

    const ast::Document& doc_;
    const ast::Operation& op_;
    std::string* out_ = nullptr;
    bool ok_ = true;
};

const ast::Operation* pick(const ast::Document& doc, const std::string& name) {
    if (name.empty()) return doc.operations.size() == 1 ? &doc.operations.front() : nullptr;
    for (const auto& op : doc.operations)
        if (op.name == name) return &op;
    return nullptr;
}

}  // namespace

std::shared_ptr<const CacheKeys::Shape> CacheKeys::shape(const Request& request) const {
    std::string memo_key;
    const bool remember = request.query.size() <= kMaxRememberedQuery;
    if (remember) {
        memo_key.reserve(request.query.size() + 1 + request.operation_name.size());
        memo_key.append(request.query).append(1, '\0').append(request.operation_name);
        std::lock_guard lock(mutex_);
        if (auto it = shapes_.find(memo_key); it != shapes_.end()) return it->second;
    }
    auto s = std::make_shared<Shape>();
    s->prepared = engine_.prepare(request.query);
    const ast::Operation* op = nullptr;
    if (s->prepared->errors.empty()) op = pick(s->prepared->doc, request.operation_name);
    if (op && op->type == "query") {
        Printer p(s->prepared->doc, *op);
        s->cacheable = p.print(s->text);
        s->variables = std::move(p.variables);
    }
    if (!s->cacheable) s->text.clear();
    if (remember) {
        std::lock_guard lock(mutex_);
        if (shapes_.size() >= kMaxShapes) shapes_.clear();
        shapes_.emplace(std::move(memo_key), s);
    }
    return s;
}

std::optional<std::string> CacheKeys::key(const Request& request) const {
    auto s = shape(request);
    if (!s->cacheable) return std::nullopt;
    const Schema& schema = engine_.schema();
    if (!request.variables.is_null() && !request.variables.is_object()) return std::nullopt;
    // Each used variable as [value], or [] when absent (an absent variable is not null: the
    // argument's default applies).
    Json values = Json::array();
    try {
        for (const ast::VariableDefinition* v : s->variables) {
            const std::string type = ast::to_string(v->type);
            auto given = request.variables.is_object() ? request.variables.find(v->name)
                                                       : request.variables.end();
            if (request.variables.is_object() && given != request.variables.end()) {
                values.push_back(Json::array({coerce_input(schema, *given, type, "$" + v->name)}));
            } else if (v->default_value) {
                // As Engine::execute coerces it: a default that yields nothing is null.
                auto d = coerce_literal(schema, *v->default_value, type, Json::object());
                values.push_back(Json::array({d.value_or(Json())}));
            } else if (is_non_null(type)) {
                return std::nullopt;  // execution answers the error
            } else {
                values.push_back(Json::array());
            }
        }
    } catch (const GraphQLError&) {
        return std::nullopt;
    }
    std::string key = s->text;
    key += '\n';
    key += dump_json(values);
    return key;
}

}  // namespace sonique::graphql
