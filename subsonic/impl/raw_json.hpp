#pragma once
// The JSON answers of the services written straight into a JSON response, without building a
// tree: a full-library sync's pages are megabytes that the tree would parse, copy and write
// again. PostgreSQL's JSON already has the spec's shapes; what the tree would change is done
// while copying (raw_json.cpp).
#include <string>
#include <string_view>

namespace sonique::subsonic {

// Appends the JSON value `json` (valid JSON, as PostgreSQL writes it) to out: members whose
// value is null and null array elements are left out (as the tree leaves them out); when
// content_types, objects named song, entry or child (array elements or fields of that name)
// without a contentType get the one of their suffix (streaming's MIME table, as
// fill_content_types does). Throws sonique::Error (internal) when json is not valid. Any thread.
void write_raw_json(std::string& out, std::string_view json, bool content_types);

}  // namespace sonique::subsonic
