#pragma once
// Validation of an executable document against a schema (the specification's rules that
// matter for a read API) and the request limits (depth, fields, aliases).
#include <vector>

#include "graphql/ast.hpp"
#include "graphql/parser.hpp"
#include "graphql/schema.hpp"

namespace sonique::graphql {

// The errors found, in document order; empty when the document is valid. Any thread.
std::vector<GraphQLError> validate(const Schema& schema, const ast::Document& doc,
                                   const Limits& limits);

}  // namespace sonique::graphql
