#include "folders.hpp"

#include <filesystem>

#include "core/strings.hpp"
#include "services/user_folders.hpp"

namespace sonique::subsonic {
namespace {

// "/srv/music/" and "/srv/music" name one root.
std::string normal(std::string root) {
    while (root.size() > 1 && root.back() == '/')
        root.pop_back();
    return root;
}

// The folder numbers of the musicFolderId parameters; throws for bad or unknown ones.
std::vector<int64_t> folder_params(const Call& call, size_t folder_count) {
    std::vector<int64_t> out;
    for (const auto& text : call.all("musicFolderId")) {
        auto n = parse_int(text);
        if (!n) throw SubsonicError(kGeneric, "Parameter musicFolderId must be an integer");
        if (*n < 1 || static_cast<size_t>(*n) > folder_count)
            throw SubsonicError(kNotFound, "Music folder not found");
        out.push_back(*n);
    }
    return out;
}

}  // namespace

std::vector<MusicFolder> all_folders(const Config& config) {
    std::vector<MusicFolder> out;
    int64_t id = 1;
    for (const auto& root : config.music_roots) {
        std::filesystem::path p(root);
        std::string name = p.filename().string();
        if (name.empty()) name = p.parent_path().filename().string();
        if (name.empty()) name = root;
        out.push_back({id++, root, name});
    }
    return out;
}

std::vector<MusicFolder> visible_folders(const Config& config,
                                         const std::optional<std::vector<std::string>>& stored) {
    auto all = all_folders(config);
    if (!stored) return all;
    std::vector<MusicFolder> out;
    for (auto& f : all)
        for (const auto& r : *stored)
            if (normal(r) == normal(f.root)) {
                out.push_back(std::move(f));
                break;
            }
    return out;
}

// The roots stored for the call's user: read with the user at authentication when it could be,
// so that a cached answer costs no database round trip.
static std::optional<std::vector<std::string>> stored_roots(const Call& call, MethodEnv& env) {
    if (call.roots_known) return call.roots;
    return services::UserFolders(env.services).roots(call.user->id);
}

std::vector<MusicFolder> user_folders(const Call& call, MethodEnv& env) {
    return visible_folders(env.config, stored_roots(call, env));
}

services::FolderScope user_scope(const Call& call, MethodEnv& env) {
    auto stored = stored_roots(call, env);
    if (!stored) return {};
    std::vector<std::string> roots;
    for (const auto& f : visible_folders(env.config, stored))
        roots.push_back(f.root);
    return {std::move(roots)};
}

services::FolderScope request_scope(const Call& call, MethodEnv& env) {
    auto wanted = folder_params(call, env.config.music_roots.size());
    if (wanted.empty()) return user_scope(call, env);
    auto mine = user_folders(call, env);
    std::vector<std::string> roots;
    for (int64_t n : wanted) {
        bool found = false;
        for (const auto& f : mine)
            found = found || f.id == n;
        if (!found)
            throw SubsonicError(kNotAuthorised, "User is not authorized for this music folder");
        roots.push_back(env.config.music_roots[n - 1]);
    }
    return {std::move(roots)};
}

std::optional<std::vector<std::string>> folder_roots_param(const Call& call, const Config& config) {
    auto wanted = folder_params(call, config.music_roots.size());
    if (wanted.empty()) return std::nullopt;
    std::vector<std::string> roots;
    for (int64_t n : wanted)
        roots.push_back(normal(config.music_roots[n - 1]));
    return roots;
}

}  // namespace sonique::subsonic
