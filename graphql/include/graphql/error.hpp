#pragma once
// Errors in the GraphQL response format: {"message", "locations": [{line, column}], "path"}.
#include <stdexcept>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace sonique::graphql {

// A position in the query text, 1-based as the specification requires.
struct Location {
    int line = 0;
    int column = 0;
};

// A request error (syntax, validation, limits, variables): execution does not start.
class GraphQLError : public std::runtime_error {
  public:
    GraphQLError(std::string message, std::vector<Location> locations = {})
        : std::runtime_error(message), locations_(std::move(locations)) {}
    const std::vector<Location>& locations() const noexcept { return locations_; }
    // {"message": ..., "locations": [...]} (locations omitted when unknown).
    Json to_json() const;

  private:
    std::vector<Location> locations_;
};

// Thrown by resolvers for an expected failure; its message reaches the client as a field error.
// Any other exception becomes "Internal error" (no internals leak).
class FieldError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

Json error_json(const std::string& message, const std::vector<Location>& locations);

}  // namespace sonique::graphql
