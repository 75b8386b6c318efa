#pragma once
// Helpers of the validator shared between its files.
#include <functional>
#include <string>
#include <vector>

#include "graphql/ast.hpp"
#include "graphql/parser.hpp"
#include "graphql/schema.hpp"

namespace sonique::graphql {

// Calls use(name, expected type, location has a default, loc) for every variable in v.
void collect_variable_uses(
    const Schema& s, const ast::Value& v, std::string_view type, bool has_default,
    const std::function<void(const std::string&, const std::string&, bool, Location)>& use);

// Whether a variable of type var_type may be used where loc_type is expected.
bool usage_allowed(std::string_view var_type, std::string_view loc_type, bool has_default);

// Visits the fields of a selection set, looking into inline fragments and spreads (each
// fragment once) but not into sub-selections.
void for_each_field(const ast::Document& doc, const ast::SelectionSet& set,
                    const std::function<void(const ast::Selection&)>& fn);

// Same field name and same arguments.
bool same_field(const ast::Selection& a, const ast::Selection& b);

// Depth, field count and alias count of each operation, fragments expanded.
void check_limits(const ast::Document& doc, const Limits& limits,
                  std::vector<GraphQLError>& errors);

}  // namespace sonique::graphql
