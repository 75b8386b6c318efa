#pragma once
// The syntax tree of an executable GraphQL document (no type-system definitions).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graphql/error.hpp"

namespace sonique::graphql::ast {

struct Value;
using ValuePtr = std::unique_ptr<Value>;

// A literal or a variable reference. Enum values keep their name in `text`.
struct Value {
    enum class Kind { kNull, kInt, kFloat, kString, kBoolean, kEnum, kList, kObject, kVariable };
    Kind kind = Kind::kNull;
    std::string text;  // int/float source text, string contents, enum or variable name
    bool boolean = false;
    std::vector<ValuePtr> items;                           // kList
    std::vector<std::pair<std::string, ValuePtr>> fields;  // kObject, in source order
    Location loc;
};

// A type reference as written: Int, [Int], Int!, [Album!]!
struct TypeName {
    std::string name;  // empty for a list
    bool non_null = false;
    std::unique_ptr<TypeName> of;  // list item type
};

struct Argument {
    std::string name;
    ValuePtr value;
    Location loc;
};

struct Directive {
    std::string name;
    std::vector<Argument> arguments;
    Location loc;
};

struct Selection;
using SelectionSet = std::vector<Selection>;

// A field, a fragment spread or an inline fragment.
struct Selection {
    enum class Kind { kField, kSpread, kInline };
    Kind kind = Kind::kField;
    std::string alias;           // field: alias or empty
    std::string name;            // field name or spread fragment name
    std::string type_condition;  // inline fragment: may be empty
    std::vector<Argument> arguments;
    std::vector<Directive> directives;
    SelectionSet selections;
    bool has_selections = false;  // a field with braces (even empty ones are a syntax error)
    Location loc;
    const std::string& response_key() const { return alias.empty() ? name : alias; }
};

struct VariableDefinition {
    std::string name;
    TypeName type;
    ValuePtr default_value;  // null when absent
    Location loc;
};

struct Operation {
    std::string type = "query";  // query | mutation | subscription
    std::string name;            // empty: anonymous
    std::vector<VariableDefinition> variables;
    std::vector<Directive> directives;
    SelectionSet selections;
    Location loc;
};

struct Fragment {
    std::string name;
    std::string type_condition;
    std::vector<Directive> directives;
    SelectionSet selections;
    Location loc;
};

struct Document {
    std::vector<Operation> operations;
    std::vector<Fragment> fragments;
    const Fragment* fragment(const std::string& name) const {
        for (const auto& f : fragments)
            if (f.name == name) return &f;
        return nullptr;
    }
};

// "[Album!]!" form of a type reference.
std::string to_string(const TypeName& type);

}  // namespace sonique::graphql::ast
