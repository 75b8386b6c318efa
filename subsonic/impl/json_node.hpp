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

// Fills the contentType of songs ("song" and "entry" elements) that have a suffix and none
// (streaming's MIME table).
void fill_content_types(Node& node);

}  // namespace sonique::subsonic
