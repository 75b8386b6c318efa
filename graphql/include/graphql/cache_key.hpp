#pragma once
// The cache identity of a GraphQL request (issue 20): two requests with the same key have the
// same response, whatever their whitespace, comments, operation and fragment names, variable
// names, or the order of their arguments and input-object fields. Selection order is kept: it
// fixes the key order of the response.
//
// The key is the selected operation printed canonically (fragments inlined, arguments sorted,
// variables numbered by first use) followed by the coerced values of the variables it uses, so
// variables that differ never share a key. Only queries are keyed: a mutation, a subscription,
// introspection (__schema, __type), a document that does not parse or validate (limits
// included) or variables that do not coerce have no key and must be executed.
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "graphql/execute.hpp"

namespace sonique::graphql {

class CacheKeys {
  public:
    explicit CacheKeys(const Engine& engine) : engine_(engine) {}

    // The request's key, or nullopt when it must not be served from a cache. Throws only
    // std::bad_alloc. Any thread: the canonical print of each document is remembered.
    std::optional<std::string> key(const Request& request) const;

    // The canonical print of one operation of a document and the variables it uses.
    struct Shape {
        bool cacheable = false;
        std::string text;
        std::vector<const ast::VariableDefinition*> variables;  // in order of first use
        std::shared_ptr<const PreparedDocument> prepared;       // keeps the definitions alive
    };

  private:
    std::shared_ptr<const Shape> shape(const Request& request) const;

    const Engine& engine_;
    mutable std::mutex mutex_;
    mutable std::unordered_map<std::string, std::shared_ptr<const Shape>> shapes_;
};

}  // namespace sonique::graphql
