// Validation rules: operations, fragments, fields, arguments, directives and variables. The
// checks of limits (depth, fields, aliases) are in validate_limits.cpp.
#include "validate.hpp"

#include <map>
#include <set>

#include "validate_internal.hpp"
#include "values.hpp"

namespace sonique::graphql {
namespace {

using namespace ast;

// A use of $name at a position of type `type`.
struct Usage {
    std::string name;
    std::string type;
    bool has_location_default;
    Location loc;
};

class Validator {
  public:
    Validator(const Schema& s, const Document& d, std::vector<GraphQLError>& errors)
        : s_(s), doc_(d), errors_(errors) {}
    void run();

  private:
    void error(std::string msg, std::vector<Location> locs) {
        if (errors_.size() < 100) errors_.emplace_back(std::move(msg), std::move(locs));
    }
    void operations();
    void fragment_definitions();
    void selections(const TypeDef& type, const SelectionSet& set, std::vector<Usage>& uses,
                    std::set<std::string>& spreads);
    void field(const TypeDef& type, const Selection& f, std::vector<Usage>& uses,
               std::set<std::string>& spreads);
    void arguments(const std::vector<InputValue>& defs, const std::vector<Argument>& args,
                   const std::string& owner, Location loc, std::vector<Usage>& uses);
    void directives(const std::vector<Directive>& ds, bool allowed, std::vector<Usage>& uses);
    void variables(const Operation& op, const std::vector<Usage>& uses);
    void collect_uses(const std::string& frag, std::set<std::string>& seen,
                      std::vector<Usage>& out);
    bool cyclic(const std::string& frag, std::vector<std::string>& path);
    void same_response_names(const TypeDef& type, const SelectionSet& set);

    const Schema& s_;
    const Document& doc_;
    std::vector<GraphQLError>& errors_;
    std::map<std::string, std::vector<Usage>> frag_uses_;
    std::map<std::string, std::set<std::string>> frag_spreads_;
    std::set<std::string> used_fragments_;
};

void Validator::run() {
    fragment_definitions();
    operations();
    for (const auto& f : doc_.fragments)
        if (!used_fragments_.count(f.name))
            error("Fragment \"" + f.name + "\" is never used.", {f.loc});
    std::set<std::string> reported;
    for (const auto& f : doc_.fragments) {
        std::vector<std::string> path;
        if (!reported.count(f.name) && cyclic(f.name, path)) {
            for (const auto& p : path)
                reported.insert(p);
            error("Cannot spread fragment \"" + f.name + "\" within itself.", {f.loc});
        }
    }
}

void Validator::fragment_definitions() {
    std::set<std::string> names;
    for (const auto& f : doc_.fragments) {
        if (!names.insert(f.name).second)
            error("There can be only one fragment named \"" + f.name + "\".", {f.loc});
        const TypeDef* t = s_.find(f.type_condition);
        if (!t) {
            error("Unknown type \"" + f.type_condition + "\".", {f.loc});
            continue;
        }
        if (t->kind != Kind::kObject) {
            error("Fragment \"" + f.name + "\" cannot condition on non composite type \"" +
                      t->name + "\".",
                  {f.loc});
            continue;
        }
        directives(f.directives, false, frag_uses_[f.name]);
        selections(*t, f.selections, frag_uses_[f.name], frag_spreads_[f.name]);
    }
}

void Validator::operations() {
    std::set<std::string> names;
    for (const auto& op : doc_.operations) {
        if (op.name.empty() && doc_.operations.size() > 1)
            error("This anonymous operation must be the only defined operation.", {op.loc});
        if (!op.name.empty() && !names.insert(op.name).second)
            error("There can be only one operation named \"" + op.name + "\".", {op.loc});
        const TypeDef* root = op.type == "query"      ? s_.query_type()
                              : op.type == "mutation" ? s_.mutation_type()
                                                      : nullptr;
        if (!root) {
            error("Schema is not configured to execute " + op.type + " operation.", {op.loc});
            continue;
        }
        std::vector<Usage> uses;
        std::set<std::string> spreads;
        directives(op.directives, false, uses);
        selections(*root, op.selections, uses, spreads);
        std::set<std::string> seen;
        for (const auto& sp : spreads)
            collect_uses(sp, seen, uses);
        variables(op, uses);
    }
}

void Validator::collect_uses(const std::string& frag, std::set<std::string>& seen,
                             std::vector<Usage>& out) {
    if (!seen.insert(frag).second) return;
    used_fragments_.insert(frag);
    auto& u = frag_uses_[frag];
    out.insert(out.end(), u.begin(), u.end());
    for (const auto& sp : frag_spreads_[frag])
        collect_uses(sp, seen, out);
}

bool Validator::cyclic(const std::string& frag, std::vector<std::string>& path) {
    if (std::find(path.begin(), path.end(), frag) != path.end()) return true;
    if (path.size() > 200) return true;  // far deeper than any sane document
    path.push_back(frag);
    for (const auto& sp : frag_spreads_[frag])
        if (cyclic(sp, path)) return true;
    path.pop_back();
    return false;
}

void Validator::selections(const TypeDef& type, const SelectionSet& set, std::vector<Usage>& uses,
                           std::set<std::string>& spreads) {
    same_response_names(type, set);
    for (const auto& sel : set) {
        directives(sel.directives, true, uses);
        if (sel.kind == Selection::Kind::kField) {
            field(type, sel, uses, spreads);
            continue;
        }
        const std::string& cond =
            sel.kind == Selection::Kind::kSpread
                ? (doc_.fragment(sel.name) ? doc_.fragment(sel.name)->type_condition : type.name)
                : (sel.type_condition.empty() ? type.name : sel.type_condition);
        if (sel.kind == Selection::Kind::kSpread && !doc_.fragment(sel.name)) {
            error("Unknown fragment \"" + sel.name + "\".", {sel.loc});
            continue;
        }
        const TypeDef* ct = s_.find(cond);
        if (!ct) {
            error("Unknown type \"" + cond + "\".", {sel.loc});
            continue;
        }
        if (ct->name != type.name) {
            error("Fragment cannot be spread here as objects of type \"" + type.name +
                      "\" can never be of type \"" + ct->name + "\".",
                  {sel.loc});
            continue;
        }
        if (sel.kind == Selection::Kind::kSpread)
            spreads.insert(sel.name);
        else
            selections(*ct, sel.selections, uses, spreads);
    }
}

void Validator::field(const TypeDef& type, const Selection& f, std::vector<Usage>& uses,
                      std::set<std::string>& spreads) {
    if (f.name == "__typename") {
        if (f.has_selections)
            error(
                "Field \"__typename\" must not have a selection since type \"String!\" has no "
                "subfields.",
                {f.loc});
        return;
    }
    const FieldDef* def = type.field(f.name);
    if (!def && &type == s_.query_type()) def = s_.meta_field(f.name);
    if (!def) {
        error("Cannot query field \"" + f.name + "\" on type \"" + type.name + "\".", {f.loc});
        return;
    }
    arguments(def->args, f.arguments, "field \"" + type.name + "." + f.name + "\"", f.loc, uses);
    const TypeDef* t = s_.find(named_type(def->type));
    if (!t) return;
    if (t->kind == Kind::kObject && !f.has_selections)
        error("Field \"" + f.name + "\" of type \"" + def->type +
                  "\" must have a selection of subfields. Did you mean \"" + f.name + " { ... }\"?",
              {f.loc});
    else if (t->kind != Kind::kObject && f.has_selections)
        error("Field \"" + f.name + "\" must not have a selection since type \"" + def->type +
                  "\" has no subfields.",
              {f.loc});
    else if (t->kind == Kind::kObject)
        selections(*t, f.selections, uses, spreads);
}

void Validator::arguments(const std::vector<InputValue>& defs, const std::vector<Argument>& args,
                          const std::string& owner, Location loc, std::vector<Usage>& uses) {
    std::set<std::string> seen;
    for (const auto& a : args) {
        if (!seen.insert(a.name).second)
            error("There can be only one argument named \"" + a.name + "\".", {a.loc});
        const InputValue* def = nullptr;
        for (const auto& d : defs)
            if (d.name == a.name) def = &d;
        if (!def) {
            error("Unknown argument \"" + a.name + "\" on " + owner + ".", {a.loc});
            continue;
        }
        if (auto e = literal_error(s_, *a.value, def->type)) error(*e, {a.value->loc});
        collect_variable_uses(s_, *a.value, def->type, def->default_value.has_value(),
                              [&](const std::string& n, const std::string& t, bool d, Location l) {
                                  uses.push_back({n, t, d, l});
                              });
    }
    for (const auto& d : defs)
        if (is_non_null(d.type) && !d.default_value && !seen.count(d.name))
            error("Argument \"" + d.name + "\" of type \"" + d.type +
                      "\" is required, but it was not provided.",
                  {loc});
}

void Validator::directives(const std::vector<Directive>& ds, bool allowed,
                           std::vector<Usage>& uses) {
    static const std::vector<InputValue> kIf{{"if", "Boolean!", std::nullopt, ""}};
    std::set<std::string> seen;
    for (const auto& d : ds) {
        if (d.name != "include" && d.name != "skip") {
            error("Unknown directive \"@" + d.name + "\".", {d.loc});
            continue;
        }
        if (!allowed) error("Directive \"@" + d.name + "\" may not be used here.", {d.loc});
        if (!seen.insert(d.name).second)
            error("The directive \"@" + d.name + "\" can only be used once at this location.",
                  {d.loc});
        arguments(kIf, d.arguments, "directive \"@" + d.name + "\"", d.loc, uses);
    }
}

void Validator::variables(const Operation& op, const std::vector<Usage>& uses) {
    std::string in_op = op.name.empty() ? "." : " in operation \"" + op.name + "\".";
    std::set<std::string> defined, used;
    for (const auto& v : op.variables) {
        std::string t = to_string(v.type);
        if (!defined.insert(v.name).second)
            error("There can be only one variable named \"$" + v.name + "\".", {v.loc});
        if (!s_.find(named_type(t)))
            error("Unknown type \"" + std::string(named_type(t)) + "\".", {v.loc});
        else if (!s_.is_input_type(t))
            error("Variable \"$" + v.name + "\" cannot be non-input type \"" + t + "\".", {v.loc});
        else if (v.default_value)
            if (auto e = literal_error(s_, *v.default_value, t)) error(*e, {v.default_value->loc});
    }
    for (const auto& u : uses) {
        used.insert(u.name);
        const VariableDefinition* def = nullptr;
        for (const auto& v : op.variables)
            if (v.name == u.name) def = &v;
        if (!def) {
            error("Variable \"$" + u.name + "\" is not defined" +
                      (op.name.empty() ? "." : " by operation \"" + op.name + "\"."),
                  {u.loc, op.loc});
            continue;
        }
        std::string vt = to_string(def->type);
        bool has_default = def->default_value && def->default_value->kind != Value::Kind::kNull;
        if (!usage_allowed(vt, u.type, has_default || u.has_location_default))
            error("Variable \"$" + u.name + "\" of type \"" + vt +
                      "\" used in position expecting type \"" + u.type + "\".",
                  {def->loc, u.loc});
    }
    for (const auto& v : op.variables)
        if (!used.count(v.name))
            error("Variable \"$" + v.name + "\" is never used" + in_op, {v.loc});
}

void Validator::same_response_names(const TypeDef& type, const SelectionSet& set) {
    std::map<std::string, const Selection*> by_key;
    for_each_field(doc_, set, [&](const Selection& f) {
        auto [it, fresh] = by_key.emplace(f.response_key(), &f);
        if (fresh || same_field(*it->second, f)) return;
        error("Fields \"" + f.response_key() +
                  "\" conflict because they are different fields or have different arguments on "
                  "type \"" +
                  type.name +
                  "\". Use different aliases on the fields to fetch both if this was intentional.",
              {it->second->loc, f.loc});
    });
}

}  // namespace

std::vector<GraphQLError> validate(const Schema& schema, const Document& doc,
                                   const Limits& limits) {
    std::vector<GraphQLError> errors;
    Validator(schema, doc, errors).run();
    if (errors.empty()) check_limits(doc, limits, errors);
    return errors;
}

}  // namespace sonique::graphql
