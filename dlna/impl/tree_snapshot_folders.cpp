// The Folders listings from the tree snapshot, as catalog_folders.cpp's statement gives them:
// subfolders by (lower(name), name), then the tracks right in the folder by (lower(path), path);
// both orders are PostgreSQL's, ranked at the load.
#include "services/subsonic_folders.hpp"
#include "tree_snapshot.hpp"

namespace sonique::dlna {

uint32_t TreeSnapshot::folder_index(const std::string& folder_id) const {
    auto ref = services::parse_folder_id(folder_id);
    if (!ref || ref->root < 1 || ref->root > static_cast<int64_t>(root_folders_.size()))
        return kNone;
    uint32_t f = root_folders_[static_cast<size_t>(ref->root - 1)];
    std::string_view rel = ref->rel;
    while (!rel.empty() && f != kNone) {
        auto slash = rel.find('/');
        std::string_view name = rel.substr(0, slash);
        rel = slash == std::string_view::npos ? std::string_view() : rel.substr(slash + 1);
        uint32_t next = kNone;
        const Folder& d = folders_[f];
        for (uint32_t i = d.subs_first; i < d.subs_first + d.subs && next == kNone; ++i)
            if (str(folders_[folder_subs_[i]].name) == name) next = folder_subs_[i];
        f = next;
    }
    return f;
}

// The folder's path below its library root ("" for the root's own folder).
std::string TreeSnapshot::folder_rel(uint32_t f) const {
    std::string rel;
    for (; folders_[f].parent != kNone; f = folders_[f].parent)
        rel = rel.empty() ? std::string(str(folders_[f].name))
                          : std::string(str(folders_[f].name)) + "/" + rel;
    return rel;
}

std::optional<Page> TreeSnapshot::folder_children(const ObjectRef& ref, int64_t start,
                                                  int64_t count, bool library) const {
    uint32_t f = folder_index(ref.folder);
    if (f == kNone) return std::nullopt;
    const Folder& d = folders_[f];
    int64_t total = static_cast<int64_t>(d.subs) + d.n;
    // An empty folder may be one that no track backs (fault 701): the SQL path knows.
    if (total == 0) return std::nullopt;
    Page p;
    p.total = total;
    if (library) p.update_id = static_cast<std::uint32_t>(generation_ % 4294967296LL);
    std::string rel = folder_rel(f);
    for (int64_t i = start; i < total && i < start + count; ++i) {
        if (i < d.subs) {
            const Folder& sub = folders_[folder_subs_[d.subs_first + static_cast<uint32_t>(i)]];
            std::string name = str(sub.name);
            p.entries.push_back(folder_entry(
                services::folder_id(d.root, rel.empty() ? name : rel + "/" + name), name, {}));
        } else {
            auto t = folder_tracks_[d.first + static_cast<uint32_t>(i - d.subs)];
            p.entries.push_back(track_entry(t, ref.container));
        }
    }
    return p;
}

// A subfolder (its title and child count) or a track right in a folder; the library roots'
// own folders are left to Catalog (their titles are the configuration's).
std::optional<Entry> TreeSnapshot::folder_metadata(const ObjectRef& ref) const {
    uint32_t f = folder_index(ref.folder);
    if (f == kNone) return std::nullopt;
    const Folder& d = folders_[f];
    if (ref.track) {
        for (uint32_t i = d.first; i < d.first + d.n; ++i)
            if (tracks_[folder_tracks_[i]].id == *ref.track)
                return track_entry(folder_tracks_[i], ref.container);
        return std::nullopt;
    }
    if (d.parent == kNone || d.subs + d.n == 0) return std::nullopt;
    return folder_entry(ref.folder, str(d.name), static_cast<int64_t>(d.subs) + d.n);
}

}  // namespace sonique::dlna
