#include "call.hpp"

#include "core/strings.hpp"

namespace sonique::subsonic {
namespace {

bool add_pairs(Params& out, std::string_view text) {
    for (const auto& pair : split(text, '&')) {
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        std::string key = url_decode(pair.substr(0, eq));
        std::string value = eq == std::string::npos ? "" : url_decode(pair.substr(eq + 1));
        // Invalid UTF-8 could not be written back in an answer (nor logged safely), and libpq
        // parameters end at a NUL byte.
        if (!is_valid_utf8(key) || !is_valid_utf8(value) || key.find('\0') != std::string::npos ||
            value.find('\0') != std::string::npos)
            return false;
        out.emplace_back(std::move(key), std::move(value));
    }
    return true;
}

}  // namespace

ParsedParams parse_params(std::string_view query, std::string_view form_body, size_t max_body) {
    ParsedParams out;
    if (!add_pairs(out.params, query))
        out.problem = "Parameters must be valid UTF-8 without NUL bytes";
    else if (form_body.size() > max_body)
        out.problem = "Form body too large (at most " + std::to_string(max_body / 1024) + " KiB)";
    else if (!add_pairs(out.params, form_body))
        out.problem = "Parameters must be valid UTF-8 without NUL bytes";
    return out;
}

std::optional<std::string> Call::get(std::string_view name) const {
    for (const auto& [k, v] : params)
        if (k == name) return v;
    return std::nullopt;
}

std::vector<std::string> Call::all(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : params)
        if (k == name) out.push_back(v);
    return out;
}

std::string Call::required(std::string_view name) const {
    auto v = get(name);
    if (!v)
        throw SubsonicError(kMissingParameter,
                            "Required parameter is missing: " + std::string(name));
    return *v;
}

std::optional<bool> Call::boolean(std::string_view name) const {
    auto v = get(name);
    if (!v) return std::nullopt;
    std::string l = to_lower(*v);
    if (l == "true") return true;
    if (l == "false") return false;
    throw SubsonicError(kGeneric, "Parameter " + std::string(name) + " must be true or false");
}

void Call::require_admin() const {
    if (!user || !user->roles.admin)
        throw SubsonicError(kNotAuthorised, "User is not authorized for the given operation");
}

}  // namespace sonique::subsonic
