// BatchWriter: audio features, covers and scan errors of a batch.
#include "batch_writer.hpp"
#include "pg_array.hpp"

namespace sonique::scanner {
namespace {

bool any_feature(const TrackInfo& t) {
    return t.bpm || t.key || t.danceability || t.mood_happy || t.mood_aggressive || t.mood_party ||
           t.mood_relaxed || t.instrumental || t.acoustic || t.tonal;
}

// Features read from tags replace the ones a scan wrote before, never those written through the
// API (from_tags false, migration 0009).
constexpr const char* kFeaturesSql = R"SQL(
INSERT INTO audio_features (track_id, bpm, key, scale, danceability, mood_happy, mood_aggressive,
                            mood_party, mood_relaxed, instrumental, acoustic, tonal, from_tags)
SELECT *, true FROM unnest($1::bigint[], $2::float8[], $3::text[], $4::text[], $5::float8[],
                           $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[],
                           $11::float8[], $12::float8[])
ON CONFLICT (track_id) DO UPDATE SET bpm = EXCLUDED.bpm, key = EXCLUDED.key,
    scale = EXCLUDED.scale, danceability = EXCLUDED.danceability,
    mood_happy = EXCLUDED.mood_happy, mood_aggressive = EXCLUDED.mood_aggressive,
    mood_party = EXCLUDED.mood_party, mood_relaxed = EXCLUDED.mood_relaxed,
    instrumental = EXCLUDED.instrumental, acoustic = EXCLUDED.acoustic,
    tonal = EXCLUDED.tonal, date_modified = now()
WHERE audio_features.from_tags)SQL";

// A known track read again without feature tags loses the features a scan read from its tags.
constexpr const char* kDropFeaturesSql =
    "DELETE FROM audio_features WHERE track_id = ANY($1::bigint[]) AND from_tags";

// A cover set by the scanner (source_path not null) follows the files; one uploaded through
// the API (source_path null) is never replaced by a scan. source_path names the cover's original
// (an image file, or the audio file whose picture it is: source_kind, migration 0013), from
// which getCoverArt makes sizes larger than the stored one.
constexpr const char* kCoverSql = R"SQL(
INSERT INTO covers (entity_type, entity_id, image_id, mime_type, url, source_path, source_kind)
SELECT u.t, u.id, u.img, u.mime, '/covers/' || u.t || '/' || u.id, u.src, u.kind
FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[])
     AS u(t, id, img, mime, src, kind)
ON CONFLICT (entity_type, entity_id) DO UPDATE SET image_id = EXCLUDED.image_id,
    mime_type = EXCLUDED.mime_type, source_path = EXCLUDED.source_path,
    source_kind = EXCLUDED.source_kind, date_modified = now()
WHERE covers.source_path IS NOT NULL AND (covers.image_id IS DISTINCT FROM EXCLUDED.image_id
    OR covers.source_path IS DISTINCT FROM EXCLUDED.source_path
    OR covers.source_kind IS DISTINCT FROM EXCLUDED.source_kind))SQL";

}  // namespace

void BatchWriter::write_features(const std::vector<PendingTrack>& tracks,
                                 const std::vector<int64_t>& ids) {
    std::vector<int64_t> with, without;
    PgArray cols[11];
    for (size_t i = 0; i < tracks.size(); ++i) {
        const TrackInfo& t = tracks[i].track;
        if (!any_feature(t)) {
            // New tracks have no row: a cold scan sends no DELETE.
            if (tracks[i].known || tracks[i].move_id) without.push_back(ids[i]);
            continue;
        }
        with.push_back(ids[i]);
        cols[0].add_num(t.bpm);
        cols[1].add(t.key);
        cols[2].add(t.scale);
        const std::optional<double>* nums[] = {&t.danceability, &t.mood_happy,   &t.mood_aggressive,
                                               &t.mood_party,   &t.mood_relaxed, &t.instrumental,
                                               &t.acoustic,     &t.tonal};
        for (int c = 0; c < 8; ++c)
            cols[3 + c].add_num(*nums[c]);
    }
    if (!without.empty()) conn_.exec(kDropFeaturesSql, db::Params(ids_array(without)));
    if (with.empty()) return;
    db::Params p;
    p.add(ids_array(with));
    for (auto& c : cols)
        p.add(c.str());
    conn_.exec(kFeaturesSql, p);
}

void BatchWriter::write_covers(const std::vector<PendingTrack>& tracks,
                               const std::vector<Resolved>& resolved) {
    struct Cover {
        const char* type;
        int64_t id;
        const CoverImage* img;
        const std::string* src;
        const char* kind;  // covers.source_kind
    };
    std::vector<Cover> covers;
    for (size_t i = 0; i < tracks.size(); ++i) {
        const TrackInfo& t = tracks[i].track;
        const auto& r = resolved[i];
        if (t.album_cover && r.album_id && covered_albums_.insert(*r.album_id).second)
            covers.push_back({"album", *r.album_id, &*t.album_cover,
                              t.cover_source == "embedded" ? &t.file.path : &t.cover_source,
                              t.cover_source == "embedded" ? "embedded" : "image"});
        if (t.artist_image && covered_artists_.insert(r.album_artist_id).second)
            covers.push_back(
                {"artist", r.album_artist_id, &*t.artist_image, &t.artist_image_source, "image"});
    }
    if (covers.empty()) return;
    // Before the image lookups: the cleanup of unused images (another scan's end) must not
    // remove an image between our lookup and our commit.
    conn_.exec("SELECT sonique_lock_cover_images()");
    entities_.forget_images();
    std::vector<const CoverImage*> images;
    for (const auto& c : covers)
        images.push_back(c.img);
    entities_.prefetch(images);
    PgArray types, ids, image_ids, mimes, sources, kinds;
    for (const auto& c : covers) {
        types.add(std::string_view(c.type));
        ids.add_num(std::optional<int64_t>(c.id));
        image_ids.add_num(std::optional<int64_t>(entities_.image(*c.img)));
        mimes.add(std::string_view(c.img->mime_type));
        sources.add(std::string_view(*c.src));
        kinds.add(std::string_view(c.kind));
    }
    conn_.exec(kCoverSql, db::Params(types.str(), ids.str(), image_ids.str(), mimes.str(),
                                     sources.str(), kinds.str()));
}

void BatchWriter::write_errors(const std::vector<FileWarning>& errors) {
    if (errors.empty()) return;
    PgArray paths, reasons;
    for (const auto& e : errors) {
        paths.add(std::string_view(e.path));
        reasons.add(std::string_view(e.reason));
    }
    conn_.exec(
        "INSERT INTO scan_errors (session_id, path, reason) "
        "SELECT $1, p, r FROM unnest($2::text[], $3::text[]) AS u(p, r)",
        db::Params(session_id_, paths.str(), reasons.str()));
}

}  // namespace sonique::scanner
