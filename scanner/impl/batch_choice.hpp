#pragma once
// Entities: which items of a batch resolve to an existing row, which to a row an earlier item of
// the batch creates, and which create one, with the outcome of looking them up one at a time in
// the batch's order by a statement that prefers rows with the same MusicBrainz id (both absent
// counts as the same), then the oldest.
#include <cstdint>
#include <optional>
#include <vector>

namespace sonique::scanner {

struct BatchItem {
    std::optional<int64_t> found;   // the existing row the statement would find
    bool found_exact = false;       // ... with the same MusicBrainz id
    std::optional<int64_t> id;      // resolved: that row, or (once created) its own
    std::optional<size_t> same_as;  // resolved: the row an earlier item creates
};

// matches(earlier, later): would the statement, run for item `later`, find the row created for
// item `earlier`; exact(earlier, later): with the same MusicBrainz id. Returns the items that
// create a row, in order. Existing rows are older than the batch's new ones.
template <typename Matches, typename Exact>
std::vector<size_t> choose_rows(std::vector<BatchItem>& items, Matches matches, Exact exact) {
    std::vector<size_t> created;
    for (size_t i = 0; i < items.size(); ++i) {
        BatchItem& w = items[i];
        if (w.found && w.found_exact) {
            w.id = w.found;
            continue;
        }
        std::optional<size_t> same, any;
        for (size_t c : created) {
            if (!matches(c, i)) continue;
            if (!any) any = c;
            if (!same && exact(c, i)) same = c;
        }
        if (same)
            w.same_as = same;
        else if (w.found)
            w.id = w.found;
        else if (any)
            w.same_as = any;
        else
            created.push_back(i);
    }
    return created;
}

// The id each item resolved to, once the created ones have theirs.
inline int64_t resolved_id(const std::vector<BatchItem>& items, size_t i) {
    return items[i].same_as ? *items[*items[i].same_as].id : *items[i].id;
}

}  // namespace sonique::scanner
