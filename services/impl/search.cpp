// POST /api/search/ answers are not cached: a cache keyed by free text would hold mostly
// single-use entries. The typeahead's are, per index snapshot (typeahead prefixes repeat).
#include "services/search.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "db/pool.hpp"
#include "search/tag_sets.hpp"
#include "search/text_search.hpp"
#include "search/typeahead_index.hpp"
#include "services/similarity.hpp"

namespace sonique::services {

namespace {

search::TypeaheadOptions typeahead_options(ServiceContext& ctx) {
    search::TypeaheadOptions o;
    o.background = &ctx.background_pool();  // its loads hold a connection for seconds
    o.enabled = ctx.config.search_index;
    return o;
}

}  // namespace

SearchService::SearchService(ServiceContext& ctx, std::shared_ptr<Similarity> similarity)
    : ctx_(ctx),
      similarity_(std::move(similarity)),
      typeahead_(std::make_unique<search::TypeaheadIndex>(ctx.pool, typeahead_options(ctx))) {}

SearchService::~SearchService() = default;

JsonText SearchService::typeahead(std::string_view query, int64_t limit, std::string* path) {
    if (path) *path = "index";
    if (!search::normalise_query(query)) return search::typeahead_empty();
    if (auto answer = typeahead_->answer(query, limit)) return std::move(*answer);
    if (path) *path = "sql";
    auto conn = ctx_.pool.acquire();
    return search::typeahead(*conn, query, limit);
}

void SearchService::names_may_have_changed() noexcept {
    typeahead_->names_may_have_changed();
}

namespace {

bool wants(const search::SearchRequest& r, const char* type) {
    const auto& types = r.filters.type;
    if (types.empty()) return true;
    return std::any_of(types.begin(), types.end(), [type](const std::string& t) {
        return t.size() == std::strlen(type) &&
               std::equal(t.begin(), t.end(), type, [](char a, char b) {
                   return std::tolower(static_cast<unsigned char>(a)) == b;
               });
    });
}

}  // namespace

// The vector half first (a fold and two index look-ups), then the text half fused with it: from
// the typeahead index when it is current (`path` "index": one statement reads the page's rows),
// else the one statement of the SQL path ("sql"); the same answer either way. A tags set without
// an index: the text ranking alone, said in `ranking`.
JsonText SearchService::search(const search::SearchRequest& request, std::string* ranking,
                               std::string* path) {
    if (ranking) *ranking = "text";
    if (path) *path = "index";
    auto q = search::normalise_query(request.query);
    if (!q) return search::search_empty(request.page);
    std::optional<search::VectorLists> vectors;
    if (similarity_) {
        auto& tags = similarity_->tags();
        auto n = static_cast<size_t>(search::vector_candidates(request.page, request.page_size));
        auto in_process = typeahead_->fold(*q);  // no statement for an ASCII query
        std::string folded = in_process ? std::move(*in_process) : tags.fold(*q);
        auto artists = wants(request, "artist")
                           ? tags.search(search::TagKind::kArtist, folded, n)
                           : std::optional<std::vector<search::VectorHit>>(std::in_place);
        auto tracks = wants(request, "track")
                          ? tags.search(search::TagKind::kTrack, folded, n)
                          : std::optional<std::vector<search::VectorHit>>(std::in_place);
        if (artists && tracks) {
            if (ranking) *ranking = "hybrid";
            vectors.emplace();
            for (const auto& h : *artists)
                vectors->artists.push_back(h.id);
            for (const auto& h : *tracks)
                vectors->tracks.push_back(h.id);
        }
    }
    if (auto answer = typeahead_->search(request, vectors ? &*vectors : nullptr))
        return std::move(*answer);
    if (path) *path = "sql";
    auto conn = ctx_.pool.acquire();
    return search::search_library(*conn, request, vectors ? &*vectors : nullptr);
}

}  // namespace sonique::services
