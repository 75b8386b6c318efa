// Track writes: each runs in one transaction, then invalidates the catalog cache.
#include "db/lock_keys.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "services/tracks.hpp"
#include "shapes.hpp"
#include "shared_reads.hpp"
#include "tracks_write.hpp"

namespace sonique::services {
namespace {

// The single element of a one-track array.
JsonText single(const std::string& array) {
    return JsonText(array.substr(1, array.size() - 2));
}

}  // namespace

JsonText TrackService::create(const TrackInput& input) {
    const Json& item = input.fields;
    auto conn = ctx_.pool.acquire();
    std::string out = with_conflict_detail(kTrackExists, [&] {
        db::Transaction tx(*conn);
        if (!conn->exec("SELECT 1 FROM tracks WHERE path = $1",
                        db::Params(item.at("path").get<std::string>()))
                 .empty())
            throw conflict(kTrackExists);
        track_write::require_refs(*conn, Json::array({item}));
        int64_t id = track_write::insert_one(*conn, item);
        tx.commit();
        return tracks_by_ids(*conn, {id});
    });
    invalidate_catalog(ctx_.cache);
    return single(out);
}

JsonText TrackService::batch(const std::vector<TrackInput>& inputs) {
    Json items = Json::array();
    for (const auto& in : inputs)
        items.push_back(in.fields);
    auto conn = ctx_.pool.acquire();
    // A moved track whose new path is taken by another one is a conflict, not a 500.
    std::vector<int64_t> ids = with_conflict_detail(kTrackExists, [&] {
        db::Transaction tx(*conn);
        track_write::require_refs(*conn, items);
        conn->exec("SELECT pg_advisory_xact_lock($1::bigint)",
                   db::Params(db::lock_keys::kTrackBatch));  // concurrent batches in turn
        auto out = track_write::upsert(*conn, items);
        tx.commit();
        return out;
    });
    invalidate_catalog(ctx_.cache);
    return JsonText(tracks_by_ids(*conn, ids));
}

JsonText TrackService::update(int64_t id, const TrackInput& input) {
    const Json& item = input.fields;
    auto conn = ctx_.pool.acquire();
    with_conflict_detail(kTrackExists, [&] {
        db::Transaction tx(*conn);
        track_write::require_refs(*conn, Json::array({item}));
        if (!track_write::update_one(*conn, id, item)) throw not_found(kTrackNotFound);
        tx.commit();
        return 0;
    });
    invalidate_catalog(ctx_.cache);
    return single(tracks_by_ids(*conn, {id}));
}

void TrackService::remove(int64_t id) {
    delete_or_404(ctx_, "DELETE FROM tracks WHERE id = $1", id, kTrackNotFound);
}

}  // namespace sonique::services
