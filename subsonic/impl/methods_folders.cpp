// Browsing by folder: getIndexes and getMusicDirectory over the library's real folders (the
// tracks' paths below the roots a user may see).
#include "core/strings.hpp"
#include "folders.hpp"
#include "json_node.hpp"
#include "methods.hpp"
#include "services/subsonic_cache.hpp"
#include "services/subsonic_folders.hpp"

namespace sonique::subsonic {
namespace {

services::FolderRoot as_root(const MusicFolder& f) {
    return {f.id, f.root, f.name};
}

// The folders of the musicFolderId parameters (checked as every list checks them), else every
// folder the user may see.
std::vector<services::FolderRoot> wanted_roots(const Call& call, MethodEnv& env) {
    auto scope = request_scope(call, env);
    std::vector<services::FolderRoot> out;
    for (const auto& f : user_folders(call, env)) {
        bool in = scope.all();
        for (const auto& r : scope.roots.value_or(std::vector<std::string>{}))
            in = in || r == f.root;
        if (in) out.push_back(as_root(f));
    }
    return out;
}

// The whole index is cached; ifModifiedSince is applied to it: when nothing changed since, only
// ignoredArticles and lastModified are answered (clients keep what they have).
void get_indexes(Call& call, MethodEnv& env) {
    std::optional<int64_t> since;
    if (auto text = call.get("ifModifiedSince")) {
        since = parse_int(*text);
        if (!since) throw SubsonicError(kGeneric, "Parameter ifModifiedSince must be an integer");
    }
    auto roots = wanted_roots(call, env);
    std::string key = "getIndexes";
    services::FolderScope scope{std::vector<std::string>{}};
    for (const auto& r : roots) {
        key += ":" + std::to_string(r.number);
        scope.roots->push_back(r.path);
    }
    auto json = services::subsonic_cached(env.services, {call.user->id, scope, key}, [&] {
        return services::SubsonicFolders(env.services, call.user->id).indexes(roots);
    });
    Node& indexes = add_json_child(call.body, "indexes", json.text);
    fill_content_types(indexes);
    if (!since) return;
    for (const auto& [name, value] : indexes.attrs) {
        auto last = std::get_if<int64_t>(&value);
        if (name != "lastModified" || !last || *last > *since) continue;
        indexes.children.clear();
        indexes.lists.clear();
        return;
    }
}

void get_music_directory(Call& call, MethodEnv& env) {
    std::string id = call.required("id");
    auto ref = services::parse_folder_id(id);
    if (!ref) throw SubsonicError(kNotFound, "The requested data was not found");
    // A folder of a root the user may not see is not found, as an unknown one is.
    for (const auto& f : user_folders(call, env)) {
        if (f.id != ref->root) continue;
        services::FolderScope scope{std::vector<std::string>{f.root}};
        auto json = services::subsonic_cached_entity(
            env.services, {call.user->id, scope, "getMusicDirectory:" + id}, [&] {
                return services::SubsonicFolders(env.services, call.user->id)
                    .directory(as_root(f), ref->rel);
            });
        if (!json) break;
        fill_content_types(add_json_child(call.body, "directory", json->text));
        return;
    }
    throw SubsonicError(kNotFound, "The requested data was not found");
}

}  // namespace

void add_folder_methods(MethodTable& table) {
    table["getIndexes"] = {get_indexes, true};
    table["getMusicDirectory"] = {get_music_directory, true};
}

}  // namespace sonique::subsonic
