// Browsing by folder: getIndexes and getMusicDirectory over the library's real folders (the
// tracks' paths below the roots a user may see).
#include "core/strings.hpp"
#include "folders.hpp"
#include "json_node.hpp"
#include "methods.hpp"
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

void get_indexes(Call& call, MethodEnv& env) {
    std::optional<int64_t> since;
    if (auto text = call.get("ifModifiedSince")) {
        since = parse_int(*text);
        if (!since) throw SubsonicError(kGeneric, "Parameter ifModifiedSince must be an integer");
    }
    auto json = services::SubsonicFolders(env.services).indexes(wanted_roots(call, env), since);
    fill_content_types(add_json_child(call.body, "indexes", json.text));
}

void get_music_directory(Call& call, MethodEnv& env) {
    auto ref = services::parse_folder_id(call.required("id"));
    if (!ref) throw SubsonicError(kNotFound, "The requested data was not found");
    // A folder of a root the user may not see is not found, as an unknown one is.
    for (const auto& f : user_folders(call, env)) {
        if (f.id != ref->root) continue;
        auto json = services::SubsonicFolders(env.services).directory(as_root(f), ref->rel);
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
