#pragma once
// A strict, bounded parser of executable GraphQL documents (October 2021 specification).
#include <cstddef>
#include <string_view>

#include "graphql/ast.hpp"

namespace sonique::graphql {

// Request limits. The parser enforces size, token count and nesting (so that no input can
// exhaust the stack); validation enforces depth, field count and aliases.
struct Limits {
    size_t max_query_bytes = 64 * 1024;
    size_t max_tokens = 10000;
    int max_nesting = 64;   // brackets of any kind, checked while parsing
    int max_depth = 15;     // field nesting after fragment expansion
    int max_fields = 1000;  // fields after fragment expansion (complexity)
    int max_aliases = 100;
    int max_list_items = 1000;  // items of a list argument or variable
};

// Parses text. Throws GraphQLError ("Syntax Error: ..." with the location, or a limit error).
// Any thread.
ast::Document parse(std::string_view text, const Limits& limits = {});

}  // namespace sonique::graphql
