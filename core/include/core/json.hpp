#pragma once
// JSON: parsing with simdjson (validates UTF-8), writing with nlohmann::json.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace sonique {

using Json = nlohmann::json;

// Parses text into a Json tree. Throws ValidationError (422, loc ["body", <offset>],
// type "json_invalid") when the text is not JSON or not valid UTF-8. Any thread.
Json parse_json(std::string_view text);

// Serialises for HTTP: invalid UTF-8 in strings is replaced, never thrown.
std::string dump_json(const Json& value);

}  // namespace sonique
