// Track writes: each runs in one transaction, then invalidates the catalog cache.
#include "db/lock_keys.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "services/shapes_input.hpp"
#include "services/tracks.hpp"
#include "shapes.hpp"
#include "tracks_input.hpp"
#include "tracks_write.hpp"

namespace sonique::services {

std::string TrackService::create(const Json& body) {
    Json item = normalize_track(body, {"body"}, true);
    auto conn = ctx_.pool.acquire();
    std::string out = with_conflict_detail(kTrackExists, [&] {
        db::Transaction tx(*conn);
        if (!conn->exec("SELECT 1 FROM tracks WHERE path = $1",
                        db::Params(item["path"].get<std::string>()))
                 .empty())
            throw conflict(kTrackExists);
        track_write::require_refs(*conn, Json::array({item}));
        int64_t id = track_write::insert_one(*conn, item);
        tx.commit();
        return tracks_by_ids(*conn, {id});
    });
    invalidate_catalog(ctx_.cache);
    return out.substr(1, out.size() - 2);  // the single element of the array
}

std::string TrackService::batch(const Json& body) {
    require_array(body, {"body"});
    Json items = Json::array();
    for (size_t i = 0; i < body.size(); ++i)
        items.push_back(normalize_track(body[i], {"body", std::to_string(i)}, true));
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
    return tracks_by_ids(*conn, ids);
}

std::string TrackService::write_one(int64_t id, const Json& item) {
    auto conn = ctx_.pool.acquire();
    with_conflict_detail(kTrackExists, [&] {
        db::Transaction tx(*conn);
        track_write::require_refs(*conn, Json::array({item}));
        if (!track_write::update_one(*conn, id, item)) throw not_found(kTrackNotFound);
        tx.commit();
        return 0;
    });
    invalidate_catalog(ctx_.cache);
    std::string out = tracks_by_ids(*conn, {id});
    return out.substr(1, out.size() - 2);
}

std::string TrackService::update(int64_t id, const Json& body) {
    return write_one(id, normalize_track(body, {"body"}, false));
}

std::string TrackService::update_tags(int64_t id, const Json& body) {
    return write_one(id, normalize_track_tags(body));
}

void TrackService::remove(int64_t id) {
    auto conn = ctx_.pool.acquire();
    if (conn->exec("DELETE FROM tracks WHERE id = $1", db::Params(id)).affected() == 0)
        throw not_found(kTrackNotFound);
    invalidate_catalog(ctx_.cache);
}

}  // namespace sonique::services
