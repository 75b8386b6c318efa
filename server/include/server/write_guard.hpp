#pragma once
// The opt-in API key for writes to /api/* (SONIQUE_API_WRITE_KEY_REQUIRED, docs/configuration.md):
// when it is on, every POST, PUT, PATCH and DELETE under /api/ needs the API key of an
// administrator (`sonique user apikey NAME`, the OpenSubsonic API's keys) in the X-API-Key
// header or as "Authorization: Bearer <key>". A GraphQL document of queries only is a read and
// stays open, as every GET does.
#include <memory>
#include <string>

#include "server/router.hpp"
#include "services/context.hpp"

namespace sonique::services {
class UserService;
}

namespace sonique::server {

class WriteGuard {
  public:
    // Nothing is checked when the setting is off (wrap() then returns the handler itself).
    // The wrapped handlers share the guard's state and may outlive it.
    explicit WriteGuard(services::ServiceContext& ctx);
    ~WriteGuard();

    // The handler of route (method, path), with the key check in front when the route is a
    // write under /api/ and the setting is on. Not thread-safe: call while registering. The
    // returned handler may run on any thread; it answers 401 {"detail"} without a valid key
    // (and with WWW-Authenticate: Bearer), 403 for a key of a user who is not an
    // administrator, the contract's 503 when the database is down.
    Handler wrap(const std::string& method, const std::string& path, Handler handler);

  private:
    // Answers and returns false when the request may not go on. Throws the database's Error
    // (the contract's 503) when it is down.
    static bool allowed(services::UserService& users, Context& ctx);

    bool enabled_;
    std::shared_ptr<services::UserService> users_;
};

// The key a request presents: X-API-Key, else "Authorization: Bearer <key>"; empty when none.
std::string presented_api_key(const httplib::Request& req);

// True when a GraphQL request body (JSON {query, ...}) parses and holds only query operations.
// Anything else (a mutation or subscription anywhere in the document, a body that is not JSON
// or not GraphQL) is not known to be a read.
bool graphql_body_is_read(const std::string& body);

}  // namespace sonique::server
