// SubsonicFolders: getIndexes and getMusicDirectory from the tracks' paths, one statement each.
#include "services/subsonic_folders.hpp"

#include "core/strings.hpp"
#include "db/pool.hpp"
#include "shapes.hpp"
#include "subsonic_sql.hpp"

namespace sonique::services {
namespace {

constexpr const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// As sonique_base64url() (migration 0014) writes it: unpadded base64url.
std::string base64url(std::string_view in) {
    std::string out;
    size_t i = 0;
    for (; i + 3 <= in.size(); i += 3) {
        uint32_t v = uint8_t(in[i]) << 16 | uint8_t(in[i + 1]) << 8 | uint8_t(in[i + 2]);
        for (int s = 18; s >= 0; s -= 6)
            out += kB64[(v >> s) & 63];
    }
    size_t left = in.size() - i;
    if (left) {
        uint32_t v = uint8_t(in[i]) << 16 | (left == 2 ? uint8_t(in[i + 1]) << 8 : 0);
        out += kB64[(v >> 18) & 63];
        out += kB64[(v >> 12) & 63];
        if (left == 2) out += kB64[(v >> 6) & 63];
    }
    return out;
}

std::optional<std::string> unbase64url(std::string_view in) {
    if (in.size() % 4 == 1) return std::nullopt;
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (char c : in) {
        const char* p = c ? std::strchr(kB64, c) : nullptr;
        if (!p) return std::nullopt;
        acc = acc << 6 | uint32_t(p - kB64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += char((acc >> bits) & 0xFF);
        }
    }
    // Leftover bits must be zero: one id per folder (re-encoding gives the same text).
    if (base64url(out) != in) return std::nullopt;
    return out;
}

// The root's path as the prefix of the paths below it ("/srv/music/").
std::string prefix_of(std::string root) {
    while (root.size() > 1 && root.back() == '/')
        root.pop_back();
    if (root != "/") root += '/';
    return root;
}

// The prefix as a LIKE pattern that matches what lies below it.
std::string below_pattern(const std::string& prefix) {
    std::string out;
    for (char c : prefix) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out + "%";
}

// $1 root prefixes, $2 their numbers. A function, not a
// global: kSubsonicSongJson is another file's global (initialisation order).
std::string indexes_sql() {
    return "WITH r AS (SELECT * FROM unnest($1::text[], $2::int[]) AS r(p, n)), "
           "e AS (SELECT r.n, substr(t.path, length(r.p) + 1) AS rest, t.id, t.date_modified FROM "
           "r "
           "JOIN tracks t ON starts_with(t.path, r.p)), "
           "m AS (SELECT COALESCE((extract(epoch FROM greatest((SELECT max(date_modified) FROM e), "
           "(SELECT max(finished_at) FROM scan_sessions))) * 1000)::bigint, 0) AS lm), "
           "d AS (SELECT DISTINCT n, split_part(rest, '/', 1) AS name FROM e WHERE strpos(rest, "
           "'/') > "
           "0), "
           "k AS (SELECT n, name, regexp_replace(name, '^(The|El|La|Los|Las|Le|Les)\\s+', '', 'i') "
           "AS k "
           "FROM d), "
           "y AS (SELECT CASE WHEN upper(left(k, 1)) <> lower(left(k, 1)) THEN upper(left(k, 1)) "
           "ELSE "
           "'#' END AS letter, * FROM k), "
           "z AS (SELECT letter, json_agg(json_build_object('id', 'fo-' || n || '-' || "
           "sonique_base64url(name), 'name', name) ORDER BY lower(k), n, name) AS artists FROM y "
           "GROUP "
           "BY letter) "
           "SELECT json_build_object("
           "'ignoredArticles', 'The El La Los Las Le Les', 'lastModified', m.lm, 'index', "
           "COALESCE((SELECT json_agg(json_build_object('name', letter, 'artist', artists) ORDER "
           "BY "
           "letter = '#', letter) FROM z), '[]'::json), 'child', COALESCE((SELECT json_agg((" +
           kSubsonicSongJson +
           "::jsonb || jsonb_build_object('parent', 'fo-' || e.n || '-'))::json ORDER BY e.n, "
           "t.path) "
           "FROM e JOIN tracks t ON t.id = e.id JOIN artists ar ON ar.id = t.track_artist_id LEFT "
           "JOIN "
           "albums al ON al.id = t.album_id LEFT JOIN artists aa ON aa.id = al.album_artist_id "
           "WHERE "
           "strpos(e.rest, '/') = 0), '[]'::json)) FROM m";
}

// $1 the folder's prefix, $2 its LIKE pattern, $3 the root's number, $4 the folder's path below
// the root with a trailing '/' ("" for the root), $5 its id, $6 its parent's id (null for a
// root), $7 its name. A song's parent is the folder, not its album.
std::string directory_sql() {
    return "WITH e AS (SELECT t.id, t.path, substr(t.path, length($1) + 1) AS rest FROM tracks t "
           "WHERE "
           "t.path LIKE $2), "
           "sub AS (SELECT DISTINCT split_part(rest, '/', 1) AS name FROM e WHERE strpos(rest, "
           "'/') > 0) "
           "SELECT CASE WHEN $4 = '' OR EXISTS (SELECT 1 FROM e) THEN json_strip_nulls("
           "json_build_object('id', $5::text, 'parent', $6::text, 'name', $7::text, 'child', "
           "COALESCE((SELECT json_agg(c.j ORDER BY c.song, c.k, c.name) FROM ("
           "SELECT false AS song, lower(name) AS k, name, json_build_object('id', 'fo-' || $3 || "
           "'-' || "
           "sonique_base64url($4 || name), 'parent', $5::text, 'isDir', true, 'title', name) AS j "
           "FROM "
           "sub UNION ALL SELECT true, lower(e.path), e.path, (" +
           kSubsonicSongJson +
           "::jsonb || jsonb_build_object('parent', $5::text))::json FROM e JOIN " +
           "tracks t ON t.id = e.id JOIN artists ar ON ar.id = t.track_artist_id LEFT JOIN albums "
           "al "
           "ON al.id = t.album_id LEFT JOIN artists aa ON aa.id = al.album_artist_id WHERE "
           "strpos(e.rest, '/') = 0) c), '[]'::json))) END";
}

}  // namespace

std::string folder_id(int64_t root, const std::string& rel) {
    return "fo-" + std::to_string(root) + "-" + base64url(rel);
}

std::optional<FolderRef> parse_folder_id(std::string_view id) {
    if (!id.starts_with("fo-")) return std::nullopt;
    id.remove_prefix(3);
    auto dash = id.find('-');
    if (dash == std::string_view::npos || dash == 0 || dash > 9 || id[0] == '0')
        return std::nullopt;
    auto n = parse_int(id.substr(0, dash));
    if (!n || *n < 1) return std::nullopt;
    auto rel = unbase64url(id.substr(dash + 1));
    if (!rel) return std::nullopt;
    if (!rel->empty()) {
        for (const auto& part : split(*rel, '/'))
            if (part.empty() || part == "." || part == "..") return std::nullopt;
        if (rel->find('\0') != std::string::npos || !is_valid_utf8(*rel)) return std::nullopt;
    }
    return FolderRef{*n, std::move(*rel)};
}

JsonText SubsonicFolders::indexes(const std::vector<FolderRoot>& roots) {
    static const std::string sql = with_user(indexes_sql(), 3);
    std::vector<std::string> prefixes;
    std::vector<int64_t> numbers;
    for (const auto& r : roots) {
        prefixes.push_back(prefix_of(r.path));
        numbers.push_back(r.number);
    }
    db::Params params(pg_text_array(prefixes), pg_int_array(numbers), user_);
    auto conn = ctx_.pool.acquire();
    return JsonText(conn->exec(sql, params).str(0, 0));
}

std::optional<JsonText> SubsonicFolders::directory(const FolderRoot& root, const std::string& rel) {
    static const std::string sql = with_user(directory_sql(), 8);
    std::string prefix = prefix_of(root.path) + (rel.empty() ? "" : rel + "/");
    std::optional<std::string> parent;
    std::string name = root.name;
    if (!rel.empty()) {
        auto slash = rel.rfind('/');
        parent = folder_id(root.number, slash == std::string::npos ? "" : rel.substr(0, slash));
        name = slash == std::string::npos ? rel : rel.substr(slash + 1);
    }
    db::Params params(prefix, below_pattern(prefix), root.number,
                      rel.empty() ? std::string() : rel + "/", folder_id(root.number, rel));
    params.add(parent).add(name).add(user_);
    auto conn = ctx_.pool.acquire();
    auto r = conn->exec(sql, params);
    if (r.empty() || r.is_null(0, 0)) return std::nullopt;
    return JsonText(r.str(0, 0));
}

}  // namespace sonique::services
