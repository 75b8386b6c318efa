#include <set>

#include "validate_internal.hpp"
#include "values.hpp"

namespace sonique::graphql {
namespace {

using namespace ast;

void for_each_field_in(const Document& doc, const SelectionSet& set, std::set<std::string>& seen,
                       const std::function<void(const Selection&)>& fn) {
    for (const auto& sel : set) {
        if (sel.kind == Selection::Kind::kField) {
            fn(sel);
        } else if (sel.kind == Selection::Kind::kInline) {
            for_each_field_in(doc, sel.selections, seen, fn);
        } else if (const Fragment* f = doc.fragment(sel.name); f && seen.insert(sel.name).second) {
            for_each_field_in(doc, f->selections, seen, fn);
        }
    }
}

// Thrown to stop walking when a limit is exceeded.
struct LimitExceeded {
    std::string message;
    Location loc;
};

struct Walk {
    const Document& doc;
    const Limits& limits;
    int fields = 0;
    int aliases = 0;

    void selections(const SelectionSet& set, int depth) {
        for (const auto& sel : set) {
            if (++fields > limits.max_fields)
                throw LimitExceeded{
                    "Query has too many fields (limit " + std::to_string(limits.max_fields) + ")",
                    sel.loc};
            if (sel.kind == Selection::Kind::kField) {
                if (!sel.alias.empty() && ++aliases > limits.max_aliases)
                    throw LimitExceeded{"Query has too many aliases (limit " +
                                            std::to_string(limits.max_aliases) + ")",
                                        sel.loc};
                if (depth + 1 > limits.max_depth)
                    throw LimitExceeded{
                        "Query is too deep (limit " + std::to_string(limits.max_depth) + " levels)",
                        sel.loc};
                selections(sel.selections, depth + 1);
            } else if (sel.kind == Selection::Kind::kInline) {
                selections(sel.selections, depth);
            } else if (const Fragment* f = doc.fragment(sel.name)) {
                selections(f->selections, depth);
            }
        }
    }
};

}  // namespace

void collect_variable_uses(
    const Schema& s, const Value& v, std::string_view type, bool has_default,
    const std::function<void(const std::string&, const std::string&, bool, Location)>& use) {
    if (v.kind == Value::Kind::kVariable) {
        use(v.text, std::string(type), has_default, v.loc);
    } else if (v.kind == Value::Kind::kList) {
        std::string_view item = is_list(nullable(type)) ? list_item(type) : type;
        for (const auto& i : v.items)
            collect_variable_uses(s, *i, item, false, use);
    } else if (v.kind == Value::Kind::kObject) {
        const TypeDef* d = s.find(nullable(type));
        for (const auto& [k, fv] : v.fields) {
            const InputValue* f = d ? d->input_field(k) : nullptr;
            if (f) collect_variable_uses(s, *fv, f->type, f->default_value.has_value(), use);
        }
    }
}

bool usage_allowed(std::string_view var, std::string_view loc, bool has_default) {
    if (is_non_null(loc)) {
        if (!is_non_null(var) && !has_default) return false;
        return usage_allowed(nullable(var), nullable(loc), false);
    }
    var = nullable(var);
    if (is_list(loc) != is_list(var)) return false;
    if (is_list(loc)) return usage_allowed(list_item(var), list_item(loc), false);
    return var == loc;
}

void for_each_field(const Document& doc, const SelectionSet& set,
                    const std::function<void(const Selection&)>& fn) {
    std::set<std::string> seen;
    for_each_field_in(doc, set, seen, fn);
}

bool same_field(const Selection& a, const Selection& b) {
    if (a.name != b.name || a.arguments.size() != b.arguments.size()) return false;
    for (const auto& x : a.arguments) {
        bool found = false;
        for (const auto& y : b.arguments)
            found = found || (x.name == y.name && print_value(*x.value) == print_value(*y.value));
        if (!found) return false;
    }
    return true;
}

void check_limits(const Document& doc, const Limits& limits, std::vector<GraphQLError>& errors) {
    for (const auto& op : doc.operations) {
        Walk w{doc, limits};
        try {
            w.selections(op.selections, 0);
        } catch (const LimitExceeded& e) {
            errors.emplace_back(e.message, std::vector<Location>{e.loc});
        }
    }
}

}  // namespace sonique::graphql
