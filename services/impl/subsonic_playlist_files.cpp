// The library's playlist files (.m3u, .m3u8) as read-only playlists, after each scan: the files
// are found and read here (the scanner knows nothing of playlists), their entries mapped to
// tracks by path in one statement, and the whole import runs in one transaction under an
// advisory lock, so that two scans ending at once import in turn.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/strings.hpp"
#include "db/lock_keys.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "services/subsonic_playlists.hpp"
#include "subsonic_entries.hpp"

namespace sonique::services {
namespace {

namespace fs = std::filesystem;

// A playlist file is a list of paths: a few MiB is already tens of thousands of entries.
constexpr uintmax_t kMaxFileBytes = 4 << 20;

bool is_playlist_name(const fs::path& p) {
    std::string ext = to_lower(p.extension().string());
    return ext == ".m3u" || ext == ".m3u8";
}

// UTF-8 without its BOM; text that is not UTF-8 is taken for Latin-1 (old Windows players).
std::string as_utf8(std::string bytes) {
    if (bytes.starts_with("\xEF\xBB\xBF")) bytes.erase(0, 3);
    if (is_valid_utf8(bytes)) return bytes;
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

std::string trim(std::string_view s) {
    size_t b = s.find_first_not_of(" \t\r");
    if (b == std::string_view::npos) return {};
    size_t e = s.find_last_not_of(" \t\r");
    return std::string(s.substr(b, e - b + 1));
}

struct FileList {
    std::vector<fs::path> files;
    std::vector<fs::path> readable_roots;  // roots walked without error: their gone files count
};

FileList find_files(const std::vector<std::string>& roots) {
    FileList out;
    for (const auto& r : roots) {
        fs::path root = normal_path(r);
        std::error_code ec;
        fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied,
                                            ec);
        if (ec) {
            // The scan already reports an unreadable root.
            log::debug("playlist files: cannot read ", root.string(), ": ", ec.message());
            continue;
        }
        bool ok = true;
        for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (ec) {
                ok = false;  // a folder failed: a file not seen there is not gone
                break;
            }
            const fs::path& p = it->path();
            std::string name = p.filename().string();
            if (name.starts_with(".")) {
                if (it->is_directory(ec)) it.disable_recursion_pending();
                continue;
            }
            if (is_playlist_name(p) && it->is_regular_file(ec)) out.files.push_back(p);
        }
        if (ok) out.readable_roots.push_back(root);
    }
    // Nested roots would find a file twice.
    std::sort(out.files.begin(), out.files.end());
    out.files.erase(std::unique(out.files.begin(), out.files.end()), out.files.end());
    return out;
}

bool inside_roots(const fs::path& p, const std::vector<std::string>& roots) {
    return std::any_of(roots.begin(), roots.end(), [&](const std::string& r) {
        return path_within(p, normal_path(r), Containment::strict);
    });
}

// The entries' paths, in order: relative to the file's folder or absolute, inside the roots.
Json read_entries(const fs::path& file, const std::string& text,
                  const std::vector<std::string>& roots) {
    Json entries = Json::array();
    size_t start = 0;
    while (start <= text.size() && entries.size() < kMaxListEntries) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = trim(std::string_view(text).substr(start, end - start));
        start = end + 1;
        // Comments and #EXTINF lines; URLs (streams) are not library files.
        if (line.empty() || line.front() == '#' || line.find("://") != std::string::npos) continue;
        // A list written on Windows: backslashes are its separators.
        if (line.find('/') == std::string::npos) std::replace(line.begin(), line.end(), '\\', '/');
        fs::path entry(line);
        fs::path p = normal_path(entry.is_absolute() ? entry : file.parent_path() / entry);
        if (inside_roots(p, roots)) entries.push_back(p.string());
    }
    return entries;
}

std::optional<std::string> read_file(const fs::path& p) {
    std::error_code ec;
    auto size = fs::file_size(p, ec);
    if (ec || size > kMaxFileBytes) {
        log::warn("playlist files: skipping ", sanitize_utf8(p.string()),
                  ec ? ": " + ec.message() : ": larger than 4 MiB");
        return std::nullopt;
    }
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

PlaylistImport SubsonicPlaylists::import_files() {
    PlaylistImport result;
    const auto& roots = ctx_.config.music_roots;
    FileList found = find_files(roots);
    Json files = Json::array();
    std::vector<std::string> paths;
    for (const auto& f : found.files) {
        std::string path = f.string(), name = f.stem().string();
        // Paths are stored as UTF-8 text, as the scanner stores tracks'.
        if (!is_valid_utf8(path) || name.empty()) continue;
        auto bytes = read_file(f);
        if (!bytes) continue;
        files.push_back({{"path", path},
                         {"name", name},
                         {"entries", read_entries(f, as_utf8(std::move(*bytes)), roots)}});
        paths.push_back(path);
        ++result.files;
    }

    auto conn = ctx_.pool.acquire();
    db::Transaction tx(*conn);
    conn->exec("SELECT pg_advisory_xact_lock($1)", db::Params(db::lock_keys::kPlaylistFiles));
    auto admin = conn->exec("SELECT id FROM users WHERE admin_role ORDER BY id LIMIT 1");
    if (admin.empty()) return result;
    std::string json = dump_json(files);
    auto upserted = conn->exec(
        "INSERT INTO playlists (owner_id, name, public, source_path) SELECT $1, f->>'name', "
        "true, f->>'path' FROM jsonb_array_elements($2::jsonb) f ON CONFLICT (source_path) DO "
        "UPDATE SET name = EXCLUDED.name, owner_id = EXCLUDED.owner_id, public = true WHERE "
        "playlists.name <> EXCLUDED.name OR playlists.owner_id <> EXCLUDED.owner_id OR NOT "
        "playlists.public RETURNING id",
        db::Params(admin.int64(0, 0), json));
    std::vector<int64_t> touched;
    for (int i = 0; i < upserted.rows(); ++i)
        touched.push_back(upserted.int64(i, 0));
    // Also those whose file was not read this time (an unreadable root): all belong to the
    // first administrator.
    conn->exec(
        "UPDATE playlists SET owner_id = $1 WHERE source_path IS NOT NULL AND owner_id <> $1",
        db::Params(admin.int64(0, 0)));
    // The playlists whose tracks differ from their file's mapped entries (paths that name no
    // track are left out): one statement for every file.
    auto changed = conn->exec(
        "WITH f AS (SELECT f->>'path' AS path, f->'entries' AS entries FROM "
        "jsonb_array_elements($1::jsonb) f), n AS (SELECT p.id, COALESCE(array_agg(t.id ORDER BY "
        "e.ord) FILTER (WHERE t.id IS NOT NULL), '{}') AS tracks FROM f JOIN playlists p ON "
        "p.source_path = f.path LEFT JOIN LATERAL jsonb_array_elements_text(f.entries) WITH "
        "ORDINALITY e(path, ord) ON true LEFT JOIN tracks t ON t.path = e.path GROUP BY p.id), "
        "o AS (SELECT playlist_id AS id, array_agg(track_id ORDER BY position) AS tracks FROM "
        "playlist_entries WHERE playlist_id IN (SELECT id FROM n) GROUP BY playlist_id) "
        "SELECT COALESCE(array_agg(n.id), '{}') FROM n LEFT JOIN o USING (id) WHERE "
        "COALESCE(o.tracks, '{}') <> n.tracks",
        db::Params(json));
    std::string ids = changed.str(0, 0);
    if (ids != "{}") {
        conn->exec("DELETE FROM playlist_entries WHERE playlist_id = ANY($1::bigint[])",
                   db::Params(ids));
        conn->exec(
            "INSERT INTO playlist_entries (playlist_id, position, track_id) SELECT p.id, e.ord, "
            "t.id FROM jsonb_array_elements($1::jsonb) f JOIN playlists p ON p.source_path = "
            "f->>'path' CROSS JOIN LATERAL jsonb_array_elements_text(f->'entries') WITH "
            "ORDINALITY e(path, ord) JOIN tracks t ON t.path = e.path WHERE p.id = "
            "ANY($2::bigint[])",
            db::Params(json, ids));
        auto updated = conn->exec(
            "UPDATE playlists SET changed_at = now() WHERE id = ANY($1::bigint[]) RETURNING id",
            db::Params(ids));
        for (int i = 0; i < updated.rows(); ++i)
            touched.push_back(updated.int64(i, 0));
    }
    std::sort(touched.begin(), touched.end());
    result.changed =
        static_cast<int>(std::unique(touched.begin(), touched.end()) - touched.begin());
    // Files gone from a root that was read whole, or playlists of a root no longer configured.
    auto known = conn->exec("SELECT id, source_path FROM playlists WHERE source_path IS NOT NULL");
    std::vector<int64_t> gone;
    std::sort(paths.begin(), paths.end());
    for (int i = 0; i < known.rows(); ++i) {
        std::string path = known.str(i, 1);
        if (std::binary_search(paths.begin(), paths.end(), path)) continue;
        bool walked = std::any_of(
            found.readable_roots.begin(), found.readable_roots.end(),
            [&](const fs::path& r) { return path_within(path, r, Containment::strict); });
        if (walked || !inside_roots(path, roots)) gone.push_back(known.int64(i, 0));
    }
    if (!gone.empty())
        result.removed =
            static_cast<int>(conn->exec("DELETE FROM playlists WHERE id = ANY($1::bigint[])",
                                        db::Params(bigint_array(gone)))
                                 .affected());
    tx.commit();
    if (result.changed || result.removed)
        log::info("playlist files: ", result.files, " read, ", result.changed, " changed, ",
                  result.removed, " removed");
    return result;
}

}  // namespace sonique::services
