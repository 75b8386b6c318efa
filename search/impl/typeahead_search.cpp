// POST /api/search/ from the typeahead index (docs/search.md, "Search from the index"): the
// snapshot ranks, counts, fuses and writes the page's items in memory, as search_library()'s
// statement does; PostgreSQL is asked only to lower or fold what the ASCII fold cannot.
#include <algorithm>

#include "core/compute_pool.hpp"
#include "core/json.hpp"
#include "db/connection.hpp"
#include "db/pool.hpp"
#include "fold_ascii.hpp"
#include "search/text_search.hpp"
#include "search/typeahead_index.hpp"
#include "text_sql.hpp"
#include "typeahead_snapshot.hpp"

namespace sonique::search {
namespace {

// Search plans kept per snapshot (each some kilobytes: its facets).
constexpr size_t kPlanEntries = 1024;

}  // namespace

std::optional<std::string> TypeaheadIndex::fold(std::string_view query) const {
    {
        std::lock_guard lock(mutex_);
        if (!ascii_fold_ok_) return std::nullopt;
    }
    auto folded = fold_ascii(query);
    if (!folded) return std::nullopt;
    return std::move(folded->first);
}

std::optional<JsonText> TypeaheadIndex::search(const SearchRequest& r, const VectorLists* vectors) {
    auto [snapshot, ascii_ok] = answering();
    if (!snapshot) return std::nullopt;
    auto q = normalise_query(r.query);
    if (!q) return search_empty(r.page);
    // Filter values as PostgreSQL's lower() gives them: in process for ASCII once the load
    // checked the ASCII fold, else one statement. A NUL (which PostgreSQL refuses) is left to
    // the SQL path, to fail the same way.
    std::optional<db::Lease> conn;
    auto connection = [&]() -> db::Connection& {
        if (!conn) conn.emplace(pool_.acquire());
        return **conn;
    };
    auto lower = [&](const std::vector<std::string>& values,
                     std::vector<std::string>& out) -> bool {
        bool ascii = ascii_ok;
        for (const std::string& v : values)
            for (char c : v) {
                if (c == '\0') return false;
                if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
            }
        if (values.empty()) return true;
        if (!ascii) {
            auto res = connection().exec(
                "SELECT json_agg(lower(v) ORDER BY o)::text FROM "
                "json_array_elements_text($1::json) "
                "WITH ORDINALITY e(v, o)",
                db::Params(dump_json(Json(values))));
            out = Json::parse(res.str(0, 0)).get<std::vector<std::string>>();
            return true;
        }
        for (const std::string& v : values) {
            std::string l = v;
            for (char& c : l)
                if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            out.push_back(std::move(l));
        }
        return true;
    };
    static const std::vector<int64_t> none;
    const auto& artists = vectors ? vectors->artists : none;
    const auto& tracks = vectors ? vectors->tracks : none;
    // Everything the plan depends on besides the snapshot: the vector lists come from the tags
    // sets, which change on their own.
    std::string key = std::to_string(r.page) + ' ' + std::to_string(r.page_size) + '\n' + *q +
                      '\n' + dump_json(Json(r.filters.genre)) + dump_json(Json(r.filters.artist)) +
                      dump_json(Json(r.filters.decade)) + dump_json(Json(r.filters.type)) + '\n';
    for (int64_t id : artists)
        key += std::to_string(id) + ',';
    key += '\n';
    for (int64_t id : tracks)
        key += std::to_string(id) + ',';
    const bool cache = options_.cache_entries > 0;
    std::shared_ptr<const SearchPlan> cached = cache ? snapshot->cached_plan(key) : nullptr;
    if (!cached) {
        LoweredFilters filters;
        if (!lower(r.filters.genre, filters.genre) || !lower(r.filters.artist, filters.artist) ||
            !lower(r.filters.decade, filters.decade) || !lower(r.filters.type, filters.type))
            return std::nullopt;
        std::optional<std::pair<std::string, std::string>> folded;
        if (ascii_ok) folded = fold_ascii(*q);
        if (!folded) {
            auto res = connection().exec(
                "SELECT sonique_fold($1::text), sonique_search_key($1::text)", db::Params(*q));
            folded.emplace(res.str(0, 0), res.str(0, 1));
        }
        // On the compute threads, first come first served (compute_pool.hpp).
        auto computed = std::make_shared<const SearchPlan>(plans_->run([&] {
            return snapshot->search(folded->first, folded->second,
                                    utf8_length(*q) < kMinSubstringChars, filters, artists, tracks,
                                    (r.page - 1) * r.page_size, r.page_size);
        }));
        if (cache) snapshot->remember_plan(key, computed, kPlanEntries);
        cached = std::move(computed);
    }
    const SearchPlan& plan = *cached;
    std::string out =
        "{\"total\":" + std::to_string(plan.total) + ",\"items\":" + plan.items +
        ",\"facets\":" + plan.facets + ",\"page\":" + std::to_string(r.page) +
        ",\"total_pages\":" + std::to_string((plan.total + r.page_size - 1) / r.page_size) +
        ",\"suggestion\":" +
        (plan.suggestion ? Json(*plan.suggestion).dump() : std::string("null")) + "}";
    return JsonText(std::move(out));
}

}  // namespace sonique::search
