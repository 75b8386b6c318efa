// The Folders container: the library's real folders, read by services::SubsonicFolders (the
// statement getMusicDirectory runs), then the page's tracks in one more statement.
#include <filesystem>

#include "catalog.hpp"
#include "core/json.hpp"
#include "db/pool.hpp"
#include "listing.hpp"
#include "services/subsonic_folders.hpp"
#include "soap.hpp"

namespace sonique::dlna {
namespace {

std::vector<services::FolderRoot> roots_of(const Config& config) {
    std::vector<services::FolderRoot> out;
    int64_t n = 0;
    for (const auto& path : config.music_roots) {
        std::string name = std::filesystem::path(path).lexically_normal().filename().string();
        if (name.empty()) name = std::filesystem::path(path).parent_path().filename().string();
        out.push_back({++n, path, name.empty() ? path : name});
    }
    return out;
}

struct Listed {
    std::vector<std::pair<std::string, std::string>> folders;  // id, title
    std::vector<int64_t> tracks;
};

// The folder's subfolders and tracks; nullopt when no track lies below it.
std::optional<Listed> list_folder(services::ServiceContext& ctx, const std::string& folder) {
    auto ref = services::parse_folder_id(folder);
    auto roots = roots_of(ctx.config);
    if (!ref || ref->root > static_cast<int64_t>(roots.size())) return std::nullopt;
    services::SubsonicFolders folders(ctx);
    auto dir = folders.directory(roots[static_cast<size_t>(ref->root - 1)], ref->rel);
    if (!dir) return std::nullopt;
    Json j = parse_json(dir->text);
    Listed out;
    if (!j.contains("child")) return out;
    for (const auto& c : j["child"]) {
        std::string id = c.value("id", "");
        if (c.value("isDir", false)) {
            out.folders.emplace_back(id, c.value("title", ""));
        } else if (id.starts_with("tr-")) {
            out.tracks.push_back(std::stoll(id.substr(3)));
        }
    }
    return out;
}

std::string int_array(const std::vector<int64_t>& ids) {
    std::string s = "{";
    for (size_t i = 0; i < ids.size(); ++i)
        s += (i ? "," : "") + std::to_string(ids[i]);
    return s + "}";
}

Entry folder_entry(const std::string& folder_id, const std::string& title,
                   std::optional<int64_t> count) {
    Entry e;
    e.id = "m/fo/" + folder_id;
    e.parent = parent_of(*parse_object_id(e.id));
    e.title = title;
    e.kind = "folder";
    e.child_count = count;
    return e;
}

}  // namespace

Page Catalog::folder_children(const ObjectRef& ref, int64_t start, int64_t count) {
    Page p;
    if (ref.node == Node::kFolders) {
        auto roots = roots_of(ctx_.config);
        p.total = static_cast<int64_t>(roots.size());
        for (int64_t i = start; i < p.total && i < start + count; ++i) {
            const auto& r = roots[static_cast<size_t>(i)];
            p.entries.push_back(folder_entry(services::folder_id(r.number, ""), r.name, {}));
        }
        return p;
    }
    auto listed = list_folder(ctx_, ref.folder);
    if (!listed) throw SoapFault(kNoSuchObject, "No such object");
    auto nf = static_cast<int64_t>(listed->folders.size());
    p.total = nf + static_cast<int64_t>(listed->tracks.size());
    std::vector<int64_t> page_tracks;
    for (int64_t i = start; i < p.total && i < start + count; ++i) {
        if (i < nf) {
            const auto& [id, title] = listed->folders[static_cast<size_t>(i)];
            p.entries.push_back(folder_entry(id, title, {}));
        } else {
            page_tracks.push_back(listed->tracks[static_cast<size_t>(i - nf)]);
        }
    }
    if (page_tracks.empty()) return p;
    auto conn = ctx_.pool.acquire();
    auto r =
        conn->exec(std::string("SELECT NULL, ") + kTrackColumns + " FROM tracks t " + kTrackJoins +
                       " JOIN unnest($1::bigint[]) WITH ORDINALITY AS o(id, n) ON o.id = t.id "
                       "ORDER BY o.n",
                   db::Params(int_array(page_tracks)));
    for (int i = 0; i < r.rows(); ++i)
        p.entries.push_back(track_entry(r, i, ref.container));
    return p;
}

Entry Catalog::folder_metadata(const ObjectRef& ref) {
    auto listed = list_folder(ctx_, ref.folder);
    if (!listed) throw SoapFault(kNoSuchObject, "No such object");
    auto f = services::parse_folder_id(ref.folder);
    std::string title;
    if (f->rel.empty()) {
        auto roots = roots_of(ctx_.config);
        title = roots[static_cast<size_t>(f->root - 1)].name;
    } else {
        auto slash = f->rel.rfind('/');
        title = slash == std::string::npos ? f->rel : f->rel.substr(slash + 1);
    }
    return folder_entry(ref.folder, title,
                        static_cast<int64_t>(listed->folders.size() + listed->tracks.size()));
}

}  // namespace sonique::dlna
