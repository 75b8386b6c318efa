#pragma once
// The tree snapshot's loader (tree_snapshot_load.cpp, and the folders in
// tree_snapshot_load_folders.cpp): the scratch state of one load. Private to the load.
#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "db/connection.hpp"
#include "db/result.hpp"
#include "tree_snapshot.hpp"

namespace sonique::dlna {

// A count or index as the snapshot's 32 bits; throws std::runtime_error past them.
uint32_t snapshot_u32(size_t n);

class TreeSnapshotLoader {
  public:
    explicit TreeSnapshotLoader(TreeSnapshot& s) : s_(s) { s_.chars_.assign(1, '\0'); }

    // Interned: names, genres, years, types and extensions repeat over the tracks.
    TreeSnapshot::Str intern(std::string_view v) {
        if (v.empty()) return 0;
        auto it = interned_.find(std::string(v));
        if (it != interned_.end()) return it->second;
        auto s = add(v);
        interned_.emplace(std::string(v), s);
        return s;
    }
    TreeSnapshot::Str add(std::string_view v) {
        if (v.empty()) return 0;
        auto s = snapshot_u32(s_.chars_.size());
        s_.chars_.append(v);
        s_.chars_.push_back('\0');
        return s;
    }
    TreeSnapshot::Str text(const db::Result& r, int row, int col) {
        return r.is_null(row, col) ? 0 : intern(r.text(row, col));
    }

    void read(db::Connection& conn, const std::vector<std::string>& roots);

  private:
    // Rows (id, name) of `sql` into `out` (artists, genres), and `ids` (id -> index) sorted.
    template <typename Named>
    void read_named(db::Connection& conn, const char* sql, std::vector<Named>& out,
                    std::vector<std::pair<int64_t, uint32_t>>& ids) {
        auto r = conn.exec(sql);
        for (int i = 0; i < r.rows(); ++i) {
            Named x;
            x.id = r.int64(i, 0);
            x.name = intern(r.text(i, 1));
            ids.emplace_back(x.id, snapshot_u32(out.size()));
            out.push_back(x);
        }
        std::sort(ids.begin(), ids.end());
    }

    // Files the track under each library root whose folder holds it (catalog_folders.cpp's
    // prefixes: the root with one '/' at its end).
    void add_to_folders(uint32_t t, std::string_view path);
    uint32_t folder(uint32_t parent, std::string_view name);
    void order_folders(db::Connection& conn);
    std::vector<std::string> prefixes_;
    std::unordered_map<std::string, uint32_t> folder_keys_;  // parent index + '/' + name
    std::vector<std::vector<uint32_t>> folder_tracks_;
    std::vector<uint32_t> path_rank_;
    void link(std::vector<uint32_t>& track_rank, std::vector<uint32_t>& album_rank);
    TreeSnapshot& s_;
    std::unordered_map<std::string, TreeSnapshot::Str> interned_;
};

}  // namespace sonique::dlna
