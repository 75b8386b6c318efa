#include "list_params.hpp"

#include <algorithm>
#include <string>

#include "core/strings.hpp"

namespace sonique::subsonic {
namespace {

// A non-negative decimal integer, or error 0 naming the parameter.
int64_t non_negative(std::string_view name, const std::string& text) {
    auto n = parse_int(text);
    if (!n || *n < 0)
        throw SubsonicError(kGeneric,
                            "Parameter " + std::string(name) + " must be a non-negative integer");
    return *n;
}

}  // namespace

int64_t count_param(const Call& call, std::string_view name, int64_t fallback, int64_t max) {
    auto v = call.get(name);
    if (!v) return fallback;
    return std::min(non_negative(name, *v), max);
}

int64_t offset_param(const Call& call, std::string_view name) {
    auto v = call.get(name);
    return v ? non_negative(name, *v) : 0;
}

std::optional<int> year_param(const Call& call, std::string_view name, bool required) {
    auto v = required ? std::optional<std::string>(call.required(name)) : call.get(name);
    if (!v) return std::nullopt;
    auto n = parse_int(*v);
    if (!n || *n < -9999 || *n > 9999)
        throw SubsonicError(kGeneric, "Parameter " + std::string(name) + " must be a year");
    return static_cast<int>(*n);
}

}  // namespace sonique::subsonic
