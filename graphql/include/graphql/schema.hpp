#pragma once
// A schema description: object, input object, enum and scalar types with their fields, and
// the batch resolvers that fetch field values. Types are referred to by their SDL form
// ("Int!", "[Album!]!"). Built once, then read-only and shared by every thread.
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"

namespace sonique::graphql {

using TypeRef = std::string;  // SDL form: Name, [T], T!

// Helpers over the SDL form.
bool is_non_null(std::string_view t);
std::string_view nullable(std::string_view t);    // strips one trailing '!'
bool is_list(std::string_view t);                 // after nullable()
std::string_view list_item(std::string_view t);   // "[X]" or "[X]!" -> "X"
std::string_view named_type(std::string_view t);  // innermost name

enum class Kind { kScalar, kObject, kInputObject, kEnum };

struct InputValue {
    std::string name;
    TypeRef type;
    std::optional<Json> default_value;
    std::string description;
};

// What a resolver learns about the field being resolved.
struct ResolveInfo {
    std::span<const Json* const> parents;  // one per object being completed
    const Json& args;                      // coerced arguments (defaults applied)
    // Names of the sub-fields selected under this field (after fragments and directives).
    const std::vector<std::string>& selected;
    void* context;  // the request context passed to execute()
    bool selects(std::string_view name) const;
};

// Returns one value per parent, in order: scalars, Json objects (the next level's parents),
// arrays for lists, null. Throw FieldError for an expected failure.
using Resolver = std::function<std::vector<Json>(const ResolveInfo&)>;

struct FieldDef {
    std::string name;
    TypeRef type;
    std::string description;
    std::vector<InputValue> args;
    Resolver resolve;  // empty: the parent's property of the same name
    const InputValue* arg(std::string_view n) const;
};

struct TypeDef {
    std::string name;
    Kind kind = Kind::kObject;
    std::string description;
    std::vector<FieldDef> fields;          // kObject
    std::vector<InputValue> input_fields;  // kInputObject
    std::vector<std::string> enum_values;  // kEnum

    const FieldDef* field(std::string_view n) const;
    FieldDef* field(std::string_view n);
    const InputValue* input_field(std::string_view n) const;
    // Chained building: field("id", "Int!", "Identifier").
    TypeDef& add_field(std::string n, TypeRef t, std::string desc = {},
                       std::vector<InputValue> args = {}, Resolver r = {});
};

class Schema {
  public:
    // Holds the built-in scalars and the introspection types.
    Schema();
    Schema(const Schema&) = delete;
    Schema& operator=(const Schema&) = delete;

    TypeDef& add_type(std::string name, Kind kind, std::string description = {});
    const TypeDef* find(std::string_view name) const;
    TypeDef* find(std::string_view name);
    void set_query_type(std::string name) { query_ = std::move(name); }
    void set_mutation_type(std::string name) { mutation_ = std::move(name); }
    const TypeDef* query_type() const { return find(query_); }
    const TypeDef* mutation_type() const { return mutation_.empty() ? nullptr : find(mutation_); }
    // __schema and __type, answered on the query type.
    const FieldDef* meta_field(std::string_view name) const;
    const std::map<std::string, TypeDef, std::less<>>& types() const { return types_; }
    bool is_input_type(std::string_view t) const;
    bool is_leaf_type(std::string_view t) const;

  private:
    void add_introspection();
    std::map<std::string, TypeDef, std::less<>> types_;
    std::string query_ = "Query";
    std::string mutation_;
    std::vector<FieldDef> meta_;
};

// A JSON value written as a GraphQL literal (for introspection's defaultValue).
std::string graphql_literal(const Json& v);

}  // namespace sonique::graphql
