// UserFolders: the roots each user may see, one statement per read or write.
#include "services/user_folders.hpp"

#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "db/pool.hpp"
#include "shapes.hpp"

namespace sonique::services {

std::optional<std::vector<std::string>> UserFolders::roots(int64_t user_id) {
    auto r = ctx_.pool.acquire()->exec("SELECT root FROM user_music_folders WHERE user_id = $1",
                                       db::Params(user_id));
    if (r.empty()) return std::nullopt;
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back(r.str(i, 0));
    return out;
}

std::map<int64_t, std::vector<std::string>> UserFolders::all() {
    auto r = ctx_.pool.acquire()->exec("SELECT user_id, root FROM user_music_folders");
    std::map<int64_t, std::vector<std::string>> out;
    for (int i = 0; i < r.rows(); ++i)
        out[r.int64(i, 0)].push_back(r.str(i, 1));
    return out;
}

bool UserFolders::set(std::string_view user_name,
                      const std::optional<std::vector<std::string>>& roots) {
    // $2 NULL: every root (no rows). The statement's parts see one snapshot, so a root kept is
    // neither deleted nor inserted again (ON CONFLICT); the user's row is locked, so that two
    // updates of one user do not interleave.
    static const char* const sql =
        "WITH u AS (SELECT id FROM users WHERE lower(name) = lower($1) FOR UPDATE), "
        "d AS (DELETE FROM user_music_folders f USING u WHERE f.user_id = u.id AND ($2::text[] "
        "IS NULL OR f.root <> ALL ($2::text[]))), "
        "i AS (INSERT INTO user_music_folders (user_id, root) SELECT DISTINCT u.id, r FROM u, "
        "unnest($2::text[]) r ON CONFLICT DO NOTHING) SELECT count(*) FROM u";
    db::Params params{std::string(user_name)};
    if (roots)
        params.add(pg_text_array(*roots));
    else
        params.add(std::nullopt);
    if (ctx_.pool.acquire()->exec(sql, params).int64(0, 0) == 0) return false;
    // Authentication keeps the roots with the user (user_directory.hpp).
    ctx_.cache.invalidate({cache::ns::kUsers});
    return true;
}

}  // namespace sonique::services
