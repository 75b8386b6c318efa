// The Folders tree of the tree snapshot (tree_snapshot_loader.hpp): each track filed under the
// folders of its path below each library root, subfolders and tracks put in the orders of
// catalog_folders.cpp's statement.
#include <algorithm>

#include "tree_snapshot_loader.hpp"

namespace sonique::dlna {
namespace {

// Folder names in the order catalog_folders.cpp lists subfolders: (lower(name), name).
constexpr const char* kFolderNamesSql =
    "SELECT n, row_number() OVER (ORDER BY lower(n), n) FROM unnest($1::text[]) n";

}  // namespace

uint32_t TreeSnapshotLoader::folder(uint32_t parent, std::string_view name) {
    std::string key = std::to_string(parent) + '/';
    key.append(name);
    auto it = folder_keys_.find(key);
    if (it != folder_keys_.end()) return it->second;
    TreeSnapshot::Folder f;
    f.name = intern(name);
    f.parent = parent;
    f.root = s_.folders_[parent].root;
    auto i = snapshot_u32(s_.folders_.size());
    s_.folders_.push_back(f);
    folder_tracks_.emplace_back();
    folder_keys_.emplace(std::move(key), i);
    return i;
}

void TreeSnapshotLoader::add_to_folders(uint32_t t, std::string_view path) {
    for (size_t r = 0; r < prefixes_.size(); ++r) {
        if (!path.starts_with(prefixes_[r])) continue;
        std::string_view rest = path.substr(prefixes_[r].size());
        uint32_t f = s_.root_folders_[r];
        for (auto slash = rest.find('/'); slash != std::string_view::npos; slash = rest.find('/')) {
            f = folder(f, rest.substr(0, slash));
            rest = rest.substr(slash + 1);
        }
        folder_tracks_[f].push_back(t);
    }
}

// Subfolders by the rank PostgreSQL gives their names, tracks by their path's rank.
void TreeSnapshotLoader::order_folders(db::Connection& conn) {
    auto& s = s_;
    std::vector<TreeSnapshot::Str> names;
    for (const auto& f : s.folders_)
        if (f.parent != TreeSnapshot::kNone) names.push_back(f.name);
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    std::unordered_map<TreeSnapshot::Str, uint32_t> rank;
    if (!names.empty()) {
        std::string array = "{";
        for (auto n : names) {
            if (array.size() > 1) array += ',';
            array += '"';
            for (const char* c = s.str(n); *c; ++c) {
                if (*c == '"' || *c == '\\') array += '\\';
                array += *c;
            }
            array += '"';
        }
        array += '}';
        auto r = conn.exec(kFolderNamesSql, db::Params(array));
        for (int i = 0; i < r.rows(); ++i)
            rank[intern(r.text(i, 0))] = snapshot_u32(static_cast<size_t>(r.int64(i, 1)));
    }
    std::vector<std::vector<uint32_t>> subs(s.folders_.size());
    for (uint32_t f = 0; f < s.folders_.size(); ++f)
        if (s.folders_[f].parent != TreeSnapshot::kNone) subs[s.folders_[f].parent].push_back(f);
    for (uint32_t f = 0; f < s.folders_.size(); ++f) {
        auto& d = s.folders_[f];
        std::sort(subs[f].begin(), subs[f].end(), [&](uint32_t x, uint32_t y) {
            return rank.at(s.folders_[x].name) < rank.at(s.folders_[y].name);
        });
        d.subs_first = snapshot_u32(s.folder_subs_.size());
        d.subs = snapshot_u32(subs[f].size());
        s.folder_subs_.insert(s.folder_subs_.end(), subs[f].begin(), subs[f].end());
        auto& tracks = folder_tracks_[f];
        std::sort(tracks.begin(), tracks.end(),
                  [&](uint32_t x, uint32_t y) { return path_rank_[x] < path_rank_[y]; });
        d.first = snapshot_u32(s.folder_tracks_.size());
        d.n = snapshot_u32(tracks.size());
        s.folder_tracks_.insert(s.folder_tracks_.end(), tracks.begin(), tracks.end());
        std::vector<uint32_t>().swap(tracks);
    }
}

}  // namespace sonique::dlna
