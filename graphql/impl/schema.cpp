#include "graphql/schema.hpp"

#include <algorithm>

#include "graphql/error.hpp"

namespace sonique::graphql {

bool is_non_null(std::string_view t) {
    return !t.empty() && t.back() == '!';
}

std::string_view nullable(std::string_view t) {
    return is_non_null(t) ? t.substr(0, t.size() - 1) : t;
}

bool is_list(std::string_view t) {
    return !t.empty() && t.front() == '[';
}

std::string_view list_item(std::string_view t) {
    t = nullable(t);
    return t.size() >= 2 ? t.substr(1, t.size() - 2) : t;
}

std::string_view named_type(std::string_view t) {
    size_t b = t.find_first_not_of('[');
    size_t e = t.find_first_of("]!", b);
    return t.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b);
}

bool ResolveInfo::selects(std::string_view name) const {
    return std::find(selected.begin(), selected.end(), name) != selected.end();
}

const InputValue* FieldDef::arg(std::string_view n) const {
    for (const auto& a : args)
        if (a.name == n) return &a;
    return nullptr;
}

const FieldDef* TypeDef::field(std::string_view n) const {
    for (const auto& f : fields)
        if (f.name == n) return &f;
    return nullptr;
}

FieldDef* TypeDef::field(std::string_view n) {
    for (auto& f : fields)
        if (f.name == n) return &f;
    return nullptr;
}

const InputValue* TypeDef::input_field(std::string_view n) const {
    for (const auto& f : input_fields)
        if (f.name == n) return &f;
    return nullptr;
}

TypeDef& TypeDef::add_field(std::string n, TypeRef t, std::string desc,
                            std::vector<InputValue> args, Resolver r) {
    fields.push_back({std::move(n), std::move(t), std::move(desc), std::move(args), std::move(r)});
    return *this;
}

Schema::Schema() {
    add_type("Int", Kind::kScalar, "A signed 32-bit integer.");
    add_type("Float", Kind::kScalar, "A double-precision floating-point number.");
    add_type("String", Kind::kScalar, "UTF-8 text.");
    add_type("Boolean", Kind::kScalar, "true or false.");
    add_type("ID", Kind::kScalar, "A unique identifier, serialized as a string.");
    add_introspection();
}

TypeDef& Schema::add_type(std::string name, Kind kind, std::string description) {
    TypeDef t;
    t.name = name;
    t.kind = kind;
    t.description = std::move(description);
    return types_[name] = std::move(t);
}

const TypeDef* Schema::find(std::string_view name) const {
    auto it = types_.find(name);
    return it == types_.end() ? nullptr : &it->second;
}

TypeDef* Schema::find(std::string_view name) {
    auto it = types_.find(name);
    return it == types_.end() ? nullptr : &it->second;
}

const FieldDef* Schema::meta_field(std::string_view name) const {
    for (const auto& f : meta_)
        if (f.name == name) return &f;
    return nullptr;
}

bool Schema::is_input_type(std::string_view t) const {
    const TypeDef* d = find(named_type(t));
    return d && d->kind != Kind::kObject;
}

bool Schema::is_leaf_type(std::string_view t) const {
    const TypeDef* d = find(named_type(t));
    return d && (d->kind == Kind::kScalar || d->kind == Kind::kEnum);
}

std::string graphql_literal(const Json& v) {
    if (v.is_array()) {
        std::string s = "[";
        for (size_t i = 0; i < v.size(); ++i)
            s += (i ? ", " : "") + graphql_literal(v[i]);
        return s + "]";
    }
    if (v.is_object()) {
        std::string s = "{";
        bool first = true;
        for (const auto& [k, x] : v.items()) {
            s += (first ? "" : ", ") + k + ": " + graphql_literal(x);
            first = false;
        }
        return s + "}";
    }
    return dump_json(v);
}

}  // namespace sonique::graphql
