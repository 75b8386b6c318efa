#pragma once
// Validation of request input for the catalog services: every client error becomes a 422 list
// (ValidationError) or a contract detail, never a database error.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"

namespace sonique::services {

using Loc = std::vector<std::string>;

// An entity id from a path segment: not an integer -> 422 (loc ["path", name]); negative,
// zero or beyond int64 -> Error(kNotFound, not_found_detail), never a database error.
int64_t entity_id(const std::string& raw, const std::string& name,
                  const std::string& not_found_detail);

// A text query parameter: invalid UTF-8 -> 422 (loc ["query", name]).
std::optional<std::string> text_param(const std::optional<std::string>& raw,
                                      const std::string& name);

// The value must be a JSON array (422 "list_type" otherwise).
const Json& require_array(const Json& value, const Loc& loc);

// Typed reads of an object's fields that collect every problem, then throw them together.
// Absent and null read as nullopt. Any thread (one instance per request).
class Fields {
  public:
    // Throws ValidationError when value is not an object.
    Fields(const Json& value, Loc loc);
    bool has(const char* key) const { return object_.contains(key); }
    bool is_null(const char* key) const { return !has(key) || object_[key].is_null(); }
    // A string; with numbers_as_text, a number is accepted and written as text.
    std::optional<std::string> text(const char* key, bool required = false,
                                    bool numbers_as_text = false);
    // An integer (a whole float or a numeric string is accepted).
    std::optional<int64_t> integer(const char* key, bool required = false);
    std::optional<double> number(const char* key, bool required = false);
    std::optional<bool> boolean(const char* key);
    std::optional<std::vector<std::string>> strings(const char* key);
    // 422 "extra_forbidden" for any key not in allowed.
    void forbid_unknown(std::initializer_list<const char*> allowed);
    void add_issue(const char* key, std::string msg, std::string type);
    // Throws ValidationError with every issue collected so far.
    void check() const;
    const Json& object() const noexcept { return object_; }

  private:
    Loc at(const char* key) const;
    bool missing(const char* key, bool required);
    const Json& object_;
    Loc loc_;
    std::vector<ValidationIssue> issues_;
};

}  // namespace sonique::services
