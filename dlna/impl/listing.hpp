#pragma once
// What a container lists, as SQL parts (listing.cpp): the rows, their order, how a child's
// id and DIDL fields are read. catalog.cpp assembles one statement from them.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "object_ids.hpp"

namespace sonique::dlna {

struct Listing {
    bool tracks = false;
    std::string from;        // FROM clause of the page (tracks: the catalog joins are added)
    std::string count_from;  // FROM clause of the total (only what `where` needs)
    std::string where;       // over $3..: the node's ids
    std::string order;       // the default ORDER BY (ends with a unique key)
    std::string filter_key;  // the expression compared with a child's key (metadata)
    // Containers: the child's id part (appended to the container's id), title, artist, date,
    // cover, child count and kind.
    std::string key, title, artist = "NULL", date = "NULL", art = "NULL", count = "NULL", kind;
    std::vector<int64_t> ids;        // $3, $4, ...
    std::vector<std::string> texts;  // after ids (Search's values)
    bool count_joined = false;       // count_from has the track joins already (Search)
    std::optional<int64_t> cap;      // at most this many children (Recently Added)
    // The default order's columns when they are unique and an index reads them in order (SQL
    // expression and type): a page that starts where the previous one ended is then read from
    // there (keyset) rather than counted off from the start. Empty: OFFSET only.
    std::vector<std::pair<std::string, std::string>> keys;
    // The total in constant time when the listing is a whole table; "" for count(*).
    std::string total;
};

// The listing of a container that the catalog lists in SQL (every node but the fixed ones and
// folders). std::logic_error for those.
Listing listing_for(const ObjectRef& ref);

// SQL for a sort property in a listing; nullopt when it cannot be sorted on.
std::optional<std::string> sort_expression(const std::string& property, const Listing& listing);

// The track columns every track row has, in entry order (catalog.cpp reads them by position).
extern const char* const kTrackColumns;
extern const char* const kTrackJoins;

}  // namespace sonique::dlna
