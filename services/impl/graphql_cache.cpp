// GraphQL query answers through the cache (issue 20). Every catalog write, through the API or
// by a scan batch, and every cover write bumps the "library" namespace after it commits and
// before it answers (invalidate_catalog, CoverService::invalidate, the scan's committed hook),
// so an answer stored under it is never served after a write that could change it. The near
// cache and single flight come with Cache::get_or_load.
#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "services/graphql_library.hpp"

namespace sonique::services {
namespace {

// Thrown by the loader so that an answer with errors (a missing variable, a database outage
// reported as a field error) is returned to this caller but never stored.
struct NotStored {
    std::string body;
};

// The engine writes "errors" first, before "data" (graphql/impl/execution.cpp, engine.cpp).
bool has_errors(const std::string& body) {
    return body.starts_with("{\"errors\":");
}

}  // namespace

GraphqlService::Answer GraphqlService::answer(const graphql::Request& request) {
    auto key = keys_.key(request);
    if (!key) return {execute(request), false};
    try {
        std::string body = ctx_.cache.get_or_load(cache::ns::kLibrary, "gql:" + *key, [&] {
            std::string out = execute(request).text;
            if (has_errors(out)) throw NotStored{std::move(out)};
            return out;
        });
        return {JsonText(std::move(body)), true};
    } catch (NotStored& e) {
        return {JsonText(std::move(e.body)), false};
    }
}

}  // namespace sonique::services
