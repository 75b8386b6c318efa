#pragma once
// Search's ContainerID: what lies below a container, as a condition on the rows Search reads
// (tracks t, albums al, artists ar), so that searching under an artist, an album, a genre, a
// playlist or a folder returns only what Browse would reach from there.
#include <string>
#include <vector>

#include "object_ids.hpp"
#include "search_criteria.hpp"

namespace sonique::dlna {

// The condition for `target` rows below `ref` (a container). Its values are appended to
// `values` and numbered from first_param + values.size() (text parameters, cast in the SQL).
// "false" when no such row lies below (albums under an album, artists under a playlist...).
// music_roots: the library roots, in the order of Folders' ids. Never throws. Any thread.
std::string search_scope(const ObjectRef& ref, SearchTarget target,
                         const std::vector<std::string>& music_roots, int first_param,
                         std::vector<std::string>& values);

}  // namespace sonique::dlna
