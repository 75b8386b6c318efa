#include "entities.hpp"

#include <unordered_set>

#include "core/strings.hpp"
#include "db/copy.hpp"
#include "db/errors.hpp"
#include "tag_split.hpp"

namespace sonique::scanner {
namespace {

// Each statement looks up, else inserts, and returns the id. An insert that loses a race
// (ON CONFLICT DO NOTHING) returns no row: the caller runs it once more to find the winner.
// They are planned for their values (exec_custom): a generic plan made while a cold scan's
// tables are empty would scan whole tables once they are full (the batch writer plans its
// old-links and folder lookups likewise). Per statement, not for the session: the foreign-key
// checks of the batch's inserts keep PostgreSQL's cached plans (planning them per row cost
// more than the inserts).
constexpr const char* kGenreSql = R"SQL(
WITH found AS (SELECT id FROM genres WHERE lower(name) = lower($1) ORDER BY id LIMIT 1),
ins AS (INSERT INTO genres (name) SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM found)
        ON CONFLICT DO NOTHING RETURNING id)
SELECT id FROM found UNION ALL SELECT id FROM ins)SQL";

constexpr const char* kGenreTagSql = R"SQL(
WITH found AS (SELECT id FROM genre_tags WHERE name = $1),
ins AS (INSERT INTO genre_tags (name) SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM found)
        ON CONFLICT DO NOTHING RETURNING id)
SELECT id FROM found UNION ALL SELECT id FROM ins)SQL";

constexpr const char* kMoodTagSql = R"SQL(
WITH found AS (SELECT id FROM mood_tags WHERE name = $1),
ins AS (INSERT INTO mood_tags (name) SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM found)
        ON CONFLICT DO NOTHING RETURNING id)
SELECT id FROM found UNION ALL SELECT id FROM ins)SQL";

constexpr const char* kImageSql = R"SQL(
WITH found AS (SELECT id FROM cover_images WHERE sha256 = $1),
ins AS (INSERT INTO cover_images (sha256, mime_type, width, height, data)
        SELECT $1, $2, $3, $4, $5::bytea WHERE NOT EXISTS (SELECT 1 FROM found)
        ON CONFLICT DO NOTHING RETURNING id)
SELECT id FROM found UNION ALL SELECT id FROM ins)SQL";

// Statements per pipeline: bounds the memory of one pipeline's parameters and results.
constexpr size_t kPipelineChunk = 200;

db::Params image_params(const CoverImage& img) {
    return db::Params(img.sha256, img.mime_type, img.width, img.height,
                      db::bytea_literal(img.data));
}

}  // namespace

int64_t Entities::run_twice(const char* sql, const db::Params& params) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto r = conn_.exec_custom(sql, params);
        if (!r.empty()) return r.int64(0, 0);
    }
    throw db::DbError(ErrorCode::kInternal, "entity lookup-or-insert found no row", "");
}

void Entities::prefetch(Cache& cache, const char* sql,
                        std::vector<std::pair<std::string, db::Params>> keyed) {
    std::vector<std::string> keys;
    std::vector<db::Query> queries;
    std::unordered_set<std::string> seen;
    auto flush = [&] {
        auto results = conn_.pipeline(queries);
        for (size_t i = 0; i < results.size(); ++i)
            cache[keys[i]] =
                results[i].empty() ? run_twice(sql, queries[i].params) : results[i].int64(0, 0);
        keys.clear();
        queries.clear();
    };
    for (auto& [key, params] : keyed) {
        if (cache.contains(key) || !seen.insert(key).second) continue;
        keys.push_back(key);
        queries.push_back({sql, std::move(params), true});
        if (queries.size() == kPipelineChunk) flush();
    }
    if (!queries.empty()) flush();
}

void Entities::prefetch(const std::vector<const CoverImage*>& images) {
    std::vector<std::pair<std::string, db::Params>> keyed;
    for (const auto* img : images)
        keyed.emplace_back(img->sha256, image_params(*img));
    prefetch(images_, kImageSql, std::move(keyed));
}

int64_t Entities::named(std::unordered_map<std::string, int64_t>& cache, const char* sql,
                        const std::string& name, bool fold_key) {
    std::string key = fold_key ? to_lower(name) : name;
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    int64_t id = run_twice(sql, db::Params(name));
    cache[key] = id;
    return id;
}

int64_t Entities::genre(const std::string& name) {
    return named(genres_, kGenreSql, name, true);
}
int64_t Entities::genre_tag(const std::string& name) {
    return named(genre_tags_, kGenreTagSql, name, false);
}
int64_t Entities::mood_tag(const std::string& name) {
    return named(mood_tags_, kMoodTagSql, name, false);
}

int64_t Entities::image(const CoverImage& img) {
    if (auto it = images_.find(img.sha256); it != images_.end()) return it->second;
    int64_t id = run_twice(kImageSql, image_params(img));
    images_[img.sha256] = id;
    return id;
}

void Entities::forget() {
    for (auto* m : {&artists_, &albums_, &genres_, &genre_tags_, &mood_tags_, &images_})
        m->clear();
}

}  // namespace sonique::scanner
