#pragma once
// One Subsonic call: its parameters (query string and form body), the authenticated user, and
// the answer being built. Handlers throw SubsonicError for the spec's error codes.
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "response.hpp"
#include "server/audio_response.hpp"
#include "server/context.hpp"
#include "services/users.hpp"

namespace sonique::subsonic {

// The spec's error codes (Responses/error.md).
enum ErrorCodes : int {
    kGeneric = 0,
    kMissingParameter = 10,
    kClientTooOld = 20,
    kServerTooOld = 30,
    kWrongCredentials = 40,
    kTokenNotSupported = 41,
    kMechanismNotSupported = 42,
    kConflictingMechanisms = 43,
    kInvalidApiKey = 44,
    kNotAuthorised = 50,
    kNotFound = 70,
};

class SubsonicError : public std::runtime_error {
  public:
    SubsonicError(int code, const std::string& message)
        : std::runtime_error(message), code_(code) {}
    int code() const noexcept { return code_; }

  private:
    int code_;
};

using Params = std::vector<std::pair<std::string, std::string>>;

struct ParsedParams {
    Params params;
    // Set when the input was refused (a body past max_body bytes, a parameter that is not
    // valid UTF-8 or holds a NUL byte): the call answers error 0 with it, in the format that
    // the parameters read so far ask for.
    std::optional<std::string> problem;
};

// Reads `query` and a form body (application/x-www-form-urlencoded) into parameters.
ParsedParams parse_params(std::string_view query, std::string_view form_body, size_t max_body);

struct Call {
    const Params& params;
    std::optional<services::User> user;  // set once authenticated
    // The user's stored music folders when authentication read them (AuthResult::roots).
    bool roots_known = false;
    std::optional<std::vector<std::string>> roots;
    Node body;  // children of subsonic-response
    // The HTTP exchange, and the Range header taken over before anything could answer
    // (server/audio_response.hpp). A method that answers with bytes (stream, download,
    // getCoverArt) writes http->res itself and sets raw: the dispatcher then writes no body.
    server::Context* http = nullptr;
    server::ByteRanges ranges;
    bool raw = false;

    // The first value of a parameter.
    std::optional<std::string> get(std::string_view name) const;
    std::vector<std::string> all(std::string_view name) const;
    // Throws SubsonicError 10 when missing.
    std::string required(std::string_view name) const;
    // "true" or "false" (any case); throws SubsonicError 0 for anything else.
    std::optional<bool> boolean(std::string_view name) const;
    // Throws SubsonicError 50 unless the user is an administrator.
    void require_admin() const;
};

}  // namespace sonique::subsonic
