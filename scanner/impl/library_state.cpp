#include "library_state.hpp"

#include <algorithm>
#include <cmath>

#include "core/paths.hpp"
#include "core/strings.hpp"
#include "isolated_reader.hpp"
#include "pg_array.hpp"
#include "scanner/file_processor.hpp"

namespace sonique::scanner {
namespace {

// The prefix every path below dir starts with ("/music" and "/music/" -> "/music/").
std::string folder_prefix(const std::string& dir) {
    return dir.back() == '/' ? dir : dir + '/';
}

}  // namespace

void LibraryState::load(db::Connection& conn, const std::vector<std::string>& directories) {
    for (const auto& dir : directories) {
        std::string prefix = folder_prefix(dir);
        auto r = conn.exec(
            "SELECT id, path, file_size, file_mtime, lyrics_file_mtime FROM tracks "
            "WHERE starts_with(path, $1)",
            db::Params(prefix));
        loaded_[dir] += r.rows();
        tracks_.reserve(tracks_.size() + static_cast<size_t>(r.rows()));
        for (int i = 0; i < r.rows(); ++i) {
            std::string path = r.str(i, 1);
            dirs_.insert(path.substr(0, path.rfind('/') + 1));
            tracks_[std::move(path)] = Known{r.int64(i, 0), r.opt_int64(i, 2).value_or(-1),
                                             r.opt_dbl(i, 3).value_or(-1), r.opt_dbl(i, 4), false};
        }
    }
}

bool LibraryState::unchanged(const FileEntry& file) {
    auto it = tracks_.find(file.path);
    if (it == tracks_.end()) return false;
    it->second.seen = true;
    const Known& k = it->second;
    auto same = [](double a, double b) { return std::fabs(a - b) < 1e-3; };
    // A lyrics file that appeared, changed or went is a change too, whatever its date.
    bool same_lyrics = k.lyrics_mtime.has_value() == file.sidecar_mtime.has_value() &&
                       (!k.lyrics_mtime || same(*k.lyrics_mtime, *file.sidecar_mtime));
    return k.size == file.size && same(k.mtime, file.mtime) && same_lyrics;
}

int64_t LibraryState::tracks_below(const std::string& dir) {
    if (sorted_paths_.size() != tracks_.size()) {
        sorted_paths_.clear();
        for (const auto& [path, k] : tracks_)
            sorted_paths_.push_back(path);
        std::sort(sorted_paths_.begin(), sorted_paths_.end());
    }
    // Paths starting with "dir/" sort between "dir/" and "dir0" ('0' follows '/').
    auto first = std::lower_bound(sorted_paths_.begin(), sorted_paths_.end(), dir + "/");
    auto last = std::lower_bound(first, sorted_paths_.end(), dir + "0");
    return last - first;
}

std::vector<int64_t> LibraryState::disappeared(const std::vector<std::string>& failed_dirs) const {
    std::vector<int64_t> out;
    for (const auto& [path, k] : tracks_) {
        if (k.seen) continue;
        bool under_failed = false;
        for (const auto& d : failed_dirs)
            under_failed |= path_within(path, d, Containment::strict);
        if (!under_failed) out.push_back(k.id);
    }
    return out;
}

void LibraryState::prepare_moves(db::Connection& conn, const std::vector<int64_t>& gone) {
    if (gone.empty()) return;
    PgArray ids;
    for (auto id : gone)
        ids.add_num(std::optional<int64_t>(id));
    auto r = conn.exec(
        "SELECT id, file_size, duration, title, musicbrainz_id, path FROM tracks "
        "WHERE id = ANY($1::bigint[])",
        db::Params(ids.str()));
    for (int i = 0; i < r.rows(); ++i) {
        auto d = r.opt_int64(i, 2);
        std::string title = r.str(i, 3);
        bool named = title == fallback_title(r.str(i, 5));
        gone_.push_back(Gone{r.int64(i, 0),
                             d ? std::optional<int>(static_cast<int>(*d)) : std::nullopt,
                             to_lower(title), named, false});
        if (auto mb = r.opt_str(i, 4)) by_mbid_[*mb] = gone_.size() - 1;
        if (auto s = r.opt_int64(i, 1)) by_size_.emplace(*s, gone_.size() - 1);
    }
}

std::optional<int64_t> LibraryState::take_move(const TrackInfo& t) {
    if (gone_.empty()) return std::nullopt;
    if (t.mb_track) {
        auto it = by_mbid_.find(*t.mb_track);
        if (it != by_mbid_.end() && !gone_[it->second].taken) {
            gone_[it->second].taken = true;
            return gone_[it->second].id;
        }
    }
    // A file without a title tag is named by its file name, which a rename changes: two such
    // files match on size and a known duration alone.
    std::string title = to_lower(t.title);
    bool named = t.title == fallback_title(t.file.path);
    auto [lo, hi] = by_size_.equal_range(t.file.size);
    for (auto it = lo; it != hi; ++it) {
        Gone& g = gone_[it->second];
        bool same_title = g.title == title || (g.named && named && t.duration);
        if (!g.taken && g.duration == t.duration && same_title) {
            g.taken = true;
            return g.id;
        }
    }
    return std::nullopt;
}

// --- FailedFiles ---------------------------------------------------------------------------

namespace {

constexpr const char* kRememberSql = R"SQL(
INSERT INTO scan_failures (path, file_size, file_mtime, reason, attempts)
SELECT * FROM unnest($1::text[], $2::bigint[], $3::float8[], $4::text[], $5::int[])
ON CONFLICT (path) DO UPDATE SET file_size = EXCLUDED.file_size,
    file_mtime = EXCLUDED.file_mtime, reason = EXCLUDED.reason, failed_at = now(),
    attempts = EXCLUDED.attempts)SQL";

// A read that timed out may only have met a busy machine: such a file is read once more.
bool worth_retrying(const std::string& reason, int attempts) {
    return attempts < 2 && starts_with(reason, kTimedOutReason);
}

}  // namespace

void FailedFiles::load(db::Connection& conn, const std::vector<std::string>& directories) {
    for (const auto& dir : directories) {
        std::string prefix = folder_prefix(dir);
        auto r = conn.exec(
            "SELECT path, file_size, file_mtime, reason, attempts FROM scan_failures "
            "WHERE starts_with(path, $1)",
            db::Params(prefix));
        for (int i = 0; i < r.rows(); ++i)
            known_[r.str(i, 0)] =
                Known{r.int64(i, 1), r.dbl(i, 2), r.str(i, 3), static_cast<int>(r.int64(i, 4))};
    }
}

std::optional<std::string> FailedFiles::unchanged(const FileEntry& file) {
    auto it = known_.find(file.path);
    if (it == known_.end()) return std::nullopt;
    it->second.seen = true;
    if (!it->second.same_file(file)) return std::nullopt;
    if (worth_retrying(it->second.reason, it->second.attempts)) return std::nullopt;
    return it->second.reason;
}

std::vector<std::string> FailedFiles::vanished(const std::vector<std::string>& failed_dirs) const {
    std::vector<std::string> out;
    for (const auto& [path, k] : known_) {
        if (k.seen) continue;
        bool under_failed = false;
        for (const auto& d : failed_dirs)
            under_failed |= path_within(path, d, Containment::strict);
        if (!under_failed) out.push_back(path);
    }
    return out;
}

void FailedFiles::read(const FileEntry& file, const ReadOutcome& outcome) {
    if (outcome.track) {
        if (known_.count(file.path)) healed_.push_back(file.path);
    } else if (!outcome.transient) {
        auto it = known_.find(file.path);
        int attempts =
            it != known_.end() && it->second.same_file(file) ? it->second.attempts + 1 : 1;
        failed_.push_back({file, outcome.error.empty() ? "unreadable" : outcome.error, attempts});
    }
}

void FailedFiles::write(db::Connection& conn) {
    if (!failed_.empty()) {
        PgArray paths, sizes, mtimes, reasons, attempts;
        for (const auto& f : failed_) {
            paths.add(std::string_view(f.file.path));
            sizes.add_num(std::optional<int64_t>(f.file.size));
            mtimes.add_num(std::optional<double>(f.file.mtime));
            reasons.add(std::string_view(f.reason));
            attempts.add_num(std::optional<int64_t>(f.attempts));
        }
        conn.exec(kRememberSql, db::Params(paths.str(), sizes.str(), mtimes.str(), reasons.str(),
                                           attempts.str()));
    }
    forget(conn, healed_);
    failed_.clear();
    healed_.clear();
}

void FailedFiles::forget(db::Connection& conn, const std::vector<std::string>& paths) {
    if (paths.empty()) return;
    PgArray arr;
    for (const auto& p : paths)
        arr.add(std::string_view(p));
    conn.exec("DELETE FROM scan_failures WHERE path = ANY($1::text[])", db::Params(arr.str()));
}

}  // namespace sonique::scanner
