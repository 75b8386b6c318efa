// The typeahead index's life: its thread, the load statement, the generation checks and the
// query's fold (docs/search.md, "The typeahead index").
#include "search/typeahead_index.hpp"

#include <chrono>
#include <cstdio>
#include <exception>
#include <utility>

#include "core/compute_pool.hpp"
#include "core/log.hpp"
#include "core/memory.hpp"
#include "core/thread_priority.hpp"
#include "db/connection.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "fold_ascii.hpp"
#include "search/text_query.hpp"
#include "search/text_search.hpp"
#include "text_sql.hpp"
#include "typeahead_snapshot.hpp"

namespace sonique::search {
namespace {

// Every name with what its answer shows, folded by PostgreSQL (so that folding is the SQL
// path's), its weight as the SQL path counts it, and the rank of lower(title) in the database's
// collation (the SQL path's tie-break); for the search's filters and facets, the artist the item
// shows, a track's album and genre, and a track's or album's decade (year / 10).
constexpr const char* kLoadSql = R"SQL(
WITH n AS (
  SELECT 1 AS type_order, t.id, t.title, t.track_artist_id AS artist_id, t.album_id,
         1::bigint AS weight, t.genre, t.year, t.path
  FROM tracks t
  UNION ALL
  SELECT 2, a.id, a.name, a.id, NULL::bigint, COALESCE(c.n, 0), NULL, NULL, NULL
  FROM artists a
  LEFT JOIN (SELECT track_artist_id AS id, count(*) AS n FROM tracks GROUP BY 1) c ON c.id = a.id
  UNION ALL
  SELECT 3, al.id, al.title, al.album_artist_id, al.id, COALESCE(c.n, 0), NULL, al.release_year,
         NULL
  FROM albums al
  LEFT JOIN (SELECT album_id AS id, count(*) AS n FROM tracks WHERE album_id IS NOT NULL
             GROUP BY 1) c ON c.id = al.id)
SELECT n.type_order, n.id, n.title, sonique_fold(n.title), sonique_search_key(n.title), n.weight,
       ar.name, al.title, dense_rank() OVER (ORDER BY lower(n.title)), n.artist_id,
       COALESCE(n.album_id, 0), n.genre,
       CASE WHEN sonique_leading_int(n.year) BETWEEN 1000 AND 2999
            THEN sonique_leading_int(n.year) / 10 END, n.path
FROM n LEFT JOIN artists ar ON ar.id = n.artist_id LEFT JOIN albums al ON al.id = n.album_id
)SQL";

// The search's facet values: genres with their lower() (the groups) and their order, artists'
// lower(name) (the artist filter) and the order of their names.
constexpr const char* kGenresSql =
    "SELECT g, lower(g), dense_rank() OVER (ORDER BY g) FROM (SELECT DISTINCT genre AS g FROM "
    "tracks WHERE genre IS NOT NULL) x";
constexpr const char* kArtistsSql =
    "SELECT id, lower(name), dense_rank() OVER (ORDER BY name) FROM artists";

// The generation, and whether any of the writers in flight when the snapshot was read ($1) has
// finished since (its change may be missing from the snapshot). "Any", not "all": a transaction
// that stays open (of this database or another of the cluster: the snapshot's list holds them
// all) must not hide one that committed (issue 17's flake).
constexpr const char* kCheckSql =
    "SELECT (SELECT last_value FROM sonique_names_generation), (SELECT count(*) FROM "
    "unnest($1::xid8[]) x WHERE pg_xact_status(x) IS DISTINCT FROM 'in progress' AND "
    "pg_xact_status(x) IS DISTINCT FROM 'aborted')";

// The transactions in flight when the snapshot was taken: its xip list, and every xid from its
// xmax (latest completed + 1: a transaction that started after the latest one completed is in
// flight without being listed) up to one assigned to this transaction right after its snapshot
// was taken (pg_current_xact_id runs after the statement's snapshot, so it is above every xid
// assigned before). Less those known to belong to another database (pg_stat_activity names
// their database; a session it does not show, or shows without its xid for want of privileges,
// stays in the list). Run as the snapshot's first statement. The load is rolled back, so its own
// xid ends aborted and never makes another process's index reload.
constexpr const char* kPendingSql = R"SQL(
WITH s AS (SELECT pg_current_snapshot() AS snap, pg_current_xact_id() AS me),
p AS (SELECT x FROM s, pg_snapshot_xip(s.snap) x
      UNION
      SELECT g::text::xid8 FROM s, generate_series(pg_snapshot_xmax(s.snap)::text::bigint,
                                                   s.me::text::bigint - 1) g)
SELECT COALESCE(array_agg(x)::text, '{}') FROM p
WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.backend_xid = xid(p.x)
                  AND a.datid IS DISTINCT FROM (SELECT oid FROM pg_database
                                                WHERE datname = current_database()))
)SQL";

}  // namespace

TypeaheadIndex::TypeaheadIndex(db::Pool& pool, TypeaheadOptions options)
    : pool_(pool), options_(options) {
    if (!options_.enabled) {
        queued_ = false;
        return;
    }
    answers_ = std::make_unique<ComputePool>(options_.compute_threads, options_.compute_queue);
    plans_ = std::make_unique<ComputePool>(options_.compute_threads, options_.compute_queue);
    thread_ = std::thread([this] { run(); });
}

TypeaheadIndex::~TypeaheadIndex() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void TypeaheadIndex::run() {
    // Loads fold and rank every name for seconds: requests (the SQL path meanwhile) go first.
    thread_priority::lower();
    std::unique_lock lock(mutex_);
    while (!stop_) {
        if (!queued_)
            wake_.wait_for(lock, options_.check_every, [this] { return stop_ || queued_; });
        if (stop_) break;
        queued_ = false;
        busy_ = true;
        lock.unlock();
        try {
            check_or_load();
        } catch (const std::exception& e) {
            // The database away or a statement refused: the SQL path answers meanwhile (it
            // fails the same way), and the next check tries again.
            log::warn(std::string("typeahead index: ") + e.what());
        }
        lock.lock();
        busy_ = false;
        idle_.notify_all();
    }
}

void TypeaheadIndex::names_may_have_changed() noexcept {
    writes_.fetch_add(1);
    {
        std::lock_guard lock(mutex_);
        queued_ = true;
    }
    wake_.notify_all();
}

bool TypeaheadIndex::wait_idle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    idle_.wait_for(lock, timeout, [this] { return !queued_ && !busy_; });
    return snapshot_ && verified();
}

std::shared_ptr<const TypeaheadSnapshot> TypeaheadIndex::current() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
}

std::optional<TypeaheadIndex::Stats> TypeaheadIndex::stats() const {
    auto s = current();
    if (!s) return std::nullopt;
    return Stats{s->generation(), s->entries(), s->bytes()};
}

// A snapshot is current while the generation has not moved since it was read and no transaction
// of this database that was in flight then has committed since (it may be a writer whose change
// the snapshot lacks; which of them moved the generation cannot be told, so any commit reloads).
void TypeaheadIndex::check_or_load() {
    uint64_t writes = writes_.load();
    std::shared_ptr<const TypeaheadSnapshot> snapshot;
    std::string pending;
    {
        std::lock_guard lock(mutex_);
        snapshot = snapshot_;
        pending = pending_xids_;
    }
    if (snapshot) {
        auto conn = loads().acquire();
        auto r = conn->exec(kCheckSql, db::Params(pending));
        bool moved = r.int64(0, 0) != snapshot->generation();
        bool settled = r.int64(0, 1) > 0;
        if (!moved && !settled) {
            verified_at_.store(writes);
            return;
        }
    }
    load();
}

void TypeaheadIndex::load() {
    uint64_t writes = writes_.load();
    auto conn = loads().acquire();
    if (!words_) {
        // Word characters follow the database's LC_CTYPE, as pg_trgm's do; the ASCII fold is
        // used only if it folds the probes exactly as PostgreSQL does.
        auto ctype = conn->exec(
                             "SELECT datctype FROM pg_database WHERE datname = "
                             "current_database()")
                         .str(0, 0);
        auto words = std::make_shared<const WordChars>(ctype);
        std::string probes = "{";
        for (const char* const* p = fold_probes(); *p; ++p) {
            if (probes.size() > 1) probes += ',';
            probes += '"';
            for (const char* c = *p; *c; ++c) {
                if (*c == '"' || *c == '\\') probes += '\\';
                probes += *c;
            }
            probes += '"';
        }
        probes += '}';
        auto r =
            conn->exec("SELECT p, sonique_fold(p), sonique_search_key(p) FROM unnest($1::text[]) p",
                       db::Params(probes));
        bool ok = true;
        for (int i = 0; i < r.rows(); ++i) {
            auto mine = fold_ascii(r.str(i, 0));
            ok = ok && mine && mine->first == r.str(i, 1) && mine->second == r.str(i, 2);
        }
        std::lock_guard lock(mutex_);
        words_ = std::move(words);
        ascii_fold_ok_ = ok;
        if (!ok)
            log::warn("typeahead index: queries are folded by PostgreSQL (the ASCII fold differs)");
    }
    auto t0 = std::chrono::steady_clock::now();
    int64_t generation = conn->exec("SELECT last_value FROM sonique_names_generation").int64(0, 0);
    std::vector<NameRow> rows;
    std::vector<GenreRow> genres;
    std::vector<ArtistRow> artists;
    std::string pending;
    {
        db::Transaction tx(*conn);
        // Not READ ONLY: the first statement takes an xid (kPendingSql); nothing is written,
        // and the transaction is rolled back (its destructor) rather than committed.
        conn->exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        pending = conn->exec(kPendingSql).str(0, 0);
        auto r = conn->exec(kLoadSql);
        rows.reserve(static_cast<size_t>(r.rows()));
        for (int i = 0; i < r.rows(); ++i)
            rows.push_back(
                {static_cast<int>(r.int64(i, 0)), r.int64(i, 1), r.str(i, 2), r.str(i, 3),
                 r.str(i, 4), r.int64(i, 5), r.opt_str(i, 6), r.opt_str(i, 7), r.int64(i, 8),
                 r.int64(i, 9), r.int64(i, 10), r.opt_str(i, 11),
                 r.is_null(i, 12) ? -1 : static_cast<int>(r.int64(i, 12)), r.opt_str(i, 13)});
        auto g = conn->exec(kGenresSql);
        for (int i = 0; i < g.rows(); ++i)
            genres.push_back({g.str(i, 0), g.str(i, 1), g.int64(i, 2)});
        auto a = conn->exec(kArtistsSql);
        for (int i = 0; i < a.rows(); ++i)
            artists.push_back({a.int64(i, 0), a.str(i, 1), a.int64(i, 2)});
    }
    std::shared_ptr<const WordChars> words;
    {
        std::lock_guard lock(mutex_);
        words = words_;
    }
    auto t1 = std::chrono::steady_clock::now();
    auto snapshot = std::make_shared<const TypeaheadSnapshot>(
        std::move(rows), words, generation, std::move(genres), std::move(artists));
    warm(*snapshot);
    auto t2 = std::chrono::steady_clock::now();
    auto ms = [](auto d) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
    };
    char line[200];
    std::snprintf(line, sizeof line,
                  "typeahead index: %zu names, %zu bytes (%zu a name), read in %lld ms, built in "
                  "%lld ms",
                  snapshot->entries(), snapshot->bytes(),
                  snapshot->entries() ? snapshot->bytes() / snapshot->entries() : 0,
                  static_cast<long long>(ms(t1 - t0)), static_cast<long long>(ms(t2 - t1)));
    log::info(line);
    std::shared_ptr<const TypeaheadSnapshot> old;
    {
        std::lock_guard lock(mutex_);
        old = std::exchange(snapshot_, std::move(snapshot));
        pending_xids_ = std::move(pending);
        verified_at_.store(writes);
    }
    // The old snapshot goes now (outside the lock; a request still holding it frees it when it
    // ends), and the pages freed by the load's rows, the build's scratch arrays and the old
    // snapshot go back to the OS at once rather than after the allocator's decay: at 100,000
    // tracks they are tens of MB (docs/search.md, "Memory").
    old.reset();
    memory::release();
}

// The one-letter queries (every user types one first) at the frontend's limit, answered before
// the snapshot is published: each ranks a large share of the names (tens of milliseconds), the
// rest of the answers are cheap enough to cache on first use.
void TypeaheadIndex::warm(const TypeaheadSnapshot& snapshot) const {
    bool ascii_ok;
    {
        std::lock_guard lock(mutex_);
        ascii_ok = ascii_fold_ok_;
    }
    if (!ascii_ok || options_.cache_entries == 0) return;
    constexpr int64_t kFrontendLimit = 10;
    for (char c : std::string("abcdefghijklmnopqrstuvwxyz0123456789")) {
        std::string q(1, c);
        auto folded = fold_ascii(q);
        snapshot.remember(std::to_string(kFrontendLimit) + '\n' + q,
                          snapshot.answer(folded->first, folded->second, true, kFrontendLimit),
                          options_.cache_entries);
    }
}

TypeaheadIndex::Answering TypeaheadIndex::answering() const {
    if (!verified()) return {};
    std::lock_guard lock(mutex_);
    return {snapshot_, ascii_fold_ok_};
}

std::optional<JsonText> TypeaheadIndex::answer(std::string_view query, int64_t limit) {
    auto [snapshot, ascii_ok] = answering();
    if (!snapshot) return std::nullopt;
    auto q = normalise_query(query);
    if (!q) return typeahead_empty();
    std::string cache_key = std::to_string(limit) + '\n' + *q;
    const bool cache = options_.cache_entries > 0;
    if (cache)
        if (auto hit = snapshot->cached(cache_key)) return JsonText(std::move(*hit));
    std::optional<std::pair<std::string, std::string>> folded;
    if (ascii_ok) folded = fold_ascii(*q);
    if (!folded) {
        auto conn = pool_.acquire();
        auto r = conn->exec("SELECT sonique_fold($1::text), sonique_search_key($1::text)",
                            db::Params(*q));
        folded.emplace(r.str(0, 0), r.str(0, 1));
    }
    bool short_query = utf8_length(*q) < kMinSubstringChars;
    // On the compute threads, first come first served (compute_pool.hpp).
    std::string answer = answers_->run(
        [&] { return snapshot->answer(folded->first, folded->second, short_query, limit); });
    if (cache) snapshot->remember(cache_key, answer, options_.cache_entries);
    return JsonText(std::move(answer));
}

}  // namespace sonique::search
