#pragma once
// Reading request input (query parameters and JSON bodies) into the typed arguments of the
// services: every client error becomes a 422 list (ValidationError, loc "query" or "body"),
// never a database error. Path ids are read by Context::path_id. Private to server/; every
// function may be called from any thread.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"
#include "server/context.hpp"

namespace sonique::server {

using Loc = std::vector<std::string>;

// A text query parameter: invalid UTF-8 -> 422 (loc ["query", name]).
std::optional<std::string> text_param(const std::optional<std::string>& raw,
                                      const std::string& name);

// The value must be a JSON array (422 "list_type" otherwise).
const Json& require_array(const Json& value, const Loc& loc);

// A batch body: an array whose items read_item(item, loc) reads at loc ["body", index]; the
// first bad item's ValidationError propagates.
template <typename ReadItem>
auto read_batch(const Json& body, ReadItem&& read_item) {
    require_array(body, {"body"});
    std::vector<decltype(read_item(body, Loc{}))> items;
    for (size_t i = 0; i < body.size(); ++i)
        items.push_back(read_item(body[i], Loc{"body", std::to_string(i)}));
    return items;
}

// The request body, which must be a JSON object: 422 "dict_type" (loc ["body"]) otherwise, and
// Context::body()'s 422 when it is empty or not JSON.
Json object_body(const Context& ctx);

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

// A name field ("name", "title"): required or not, trimmed, at least one character (422
// "string_too_short" when only blanks). nullopt when absent or invalid (the issue is recorded).
std::optional<std::string> trimmed_name(Fields& f, const char* key, bool required);

}  // namespace sonique::server
