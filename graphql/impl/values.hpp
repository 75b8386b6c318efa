#pragma once
// Input values: checking literals, coercing literals and variables to JSON, output scalars.
#include <optional>
#include <string>
#include <string_view>

#include "graphql/ast.hpp"
#include "graphql/schema.hpp"

namespace sonique::graphql {

// Why the literal is not valid for type, or nullopt. Variables are accepted here (their use
// is checked separately).
std::optional<std::string> literal_error(const Schema& s, const ast::Value& v,
                                         std::string_view type);

// A literal as JSON, variables substituted from vars (coerced variable values). A variable
// that was not provided yields nullopt (so that the argument's default applies).
std::optional<Json> coerce_literal(const Schema& s, const ast::Value& v, std::string_view type,
                                   const Json& vars);

// A variable's JSON value coerced to type. Throws GraphQLError with what is wrong and where
// (path like "$where.year").
Json coerce_input(const Schema& s, const Json& v, std::string_view type, const std::string& path);

// Arguments of a field or directive: provided literals coerced, defaults applied, required
// ones checked. Throws FieldError.
Json coerce_arguments(const Schema& s, const std::vector<InputValue>& defs,
                      const std::vector<ast::Argument>& args, const Json& vars);

// An output leaf value serialised for a scalar or enum type; nullopt when it cannot be.
std::optional<Json> serialize_leaf(const TypeDef& type, const Json& v);
// Whether serialize_leaf(type, v) would return v unchanged (then v can be moved, not copied).
bool serializes_as_is(const TypeDef& type, const Json& v);

// Canonical text of a value (to compare the arguments of two same-named fields).
std::string print_value(const ast::Value& v);

}  // namespace sonique::graphql
