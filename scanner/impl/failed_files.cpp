#include "failed_files.hpp"

#include "core/paths.hpp"
#include "core/strings.hpp"
#include "isolated_reader.hpp"
#include "pg_array.hpp"

namespace sonique::scanner {
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
        std::string prefix = dir.back() == '/' ? dir : dir + '/';
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
