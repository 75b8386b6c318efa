// The items of a search page written from the typeahead index's snapshot (docs/search.md,
// "Search from the index"): the fields and values of search_library()'s statement, without a
// round trip to PostgreSQL.
#include "core/strings.hpp"
#include "typeahead_snapshot.hpp"

namespace sonique::search {
namespace {

constexpr const char* const kTypes[] = {"", "track", "artist", "album"};

}  // namespace

std::string TypeaheadSnapshot::page_items(const std::vector<PageRow>& page) const {
    std::string out = "[";
    for (const PageRow& row : page) {
        const Entry& x = entries_[row.entry];
        const Shown& s = shown_[row.entry];
        if (out.size() > 1) out += ',';
        out += "{\"id\":";
        out += std::to_string(x.id);
        out += ",\"title\":";
        append_json_string(out, text(x.title, x.title_len));
        out += ",\"artist\":";
        append_json_string(out, text(x.artist, x.artist_len));
        out += ",\"album\":";
        if (x.album == kNone)
            out += "null";
        else
            append_json_string(out, text(x.album, x.album_len));
        out += ",\"genre\":";
        if (s.genre == kNone)
            out += "null";
        else
            append_json_string(out, text(genres_[s.genre].value, genres_[s.genre].value_len));
        out += ",\"path\":";
        if (x.type_order != 1) {
            out += "null";
        } else {
            std::string path;
            if (s.path_dir != kNone) {
                path.append(text(dirs_[s.path_dir].first, dirs_[s.path_dir].second));
                path += '/';
            }
            path.append(text(s.path_name, s.path_name_len));
            append_json_string(out, path);
        }
        out += ",\"type\":\"";
        out += kTypes[x.type_order];
        out += "\",\"hybrid_score\":";
        append_shortest_double(out, fused_score(row.text_rank, row.vector_rank));
        out += '}';
    }
    out += ']';
    return out;
}

}  // namespace sonique::search
