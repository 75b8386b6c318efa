#pragma once
// Executes GraphQL requests against a schema. Each field is resolved once per level for all
// the objects of that level (one resolver call for the albums of every artist, one for the
// tracks of every album), so resolvers can batch their queries.
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "graphql/ast.hpp"
#include "graphql/parser.hpp"
#include "graphql/schema.hpp"

namespace sonique::graphql {

struct Request {
    std::string query;
    Json variables = Json::object();  // null or an object
    std::string operation_name;       // empty: the only operation
};

// A parsed document with its validation errors, shared between requests with the same text.
struct PreparedDocument {
    ast::Document doc;
    std::vector<GraphQLError> errors;
};

class Engine {
  public:
    Engine(std::shared_ptr<const Schema> schema, Limits limits = {});

    // The serialised response: {"data": ...} and/or {"errors": [...]}, keys in selection
    // order. Client mistakes are errors in the response, never exceptions. A resolver's
    // FieldError or sonique::Error becomes a field error with its message; any other exception
    // a field error "Internal error" (logged). Any thread; context goes to every resolver.
    std::string execute(const Request& request, void* context) const;

    // Parses and validates (cached by query text). Any thread.
    std::shared_ptr<const PreparedDocument> prepare(const std::string& query) const;

    const Schema& schema() const noexcept { return *schema_; }
    const Limits& limits() const noexcept { return limits_; }

  private:
    std::shared_ptr<const Schema> schema_;
    Limits limits_;
    mutable std::mutex mutex_;
    mutable std::unordered_map<std::string, std::shared_ptr<const PreparedDocument>> cache_;
};

// A response holding only request errors (for errors found before execution).
std::string error_response(const std::vector<GraphQLError>& errors);

}  // namespace sonique::graphql
