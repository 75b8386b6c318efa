#pragma once
// JSON from the services (built by PostgreSQL in the spec's shapes) as an answer tree: scalar
// fields become attributes, objects single children, arrays lists (of elements, or of bare
// values for arrays of scalars); null fields are left out.
#include <string>
#include <string_view>

#include "response.hpp"

namespace sonique::subsonic {

// Adds the JSON object `json` as the child `name` of parent. Throws sonique::Error (internal)
// when json is not an object.
Node& add_json_child(Node& parent, const std::string& name, std::string_view json);

// Adds `json` (an object) as the child `name` without reading it: written as it is into a JSON
// answer, read into a tree only for XML (materialized). For the large answers (search pages);
// the caller must not look into the child.
Node& add_raw_json_child(Node& parent, const std::string& name, std::string json);
// The raw child `n` read into an ordinary node (its content types filled when asked). Throws
// sonique::Error (internal) when its JSON is not an object.
Node materialized(const Node& n);

// Fills the contentType of songs ("song" and "entry" elements) that have a suffix and none
// (streaming's MIME table). On a raw child, marks it to be filled when written.
void fill_content_types(Node& node);

}  // namespace sonique::subsonic
