// The items of a search page written from the typeahead index's snapshot (docs/search.md,
// "Search from the index"): the fields and values of search_library()'s statement, without a
// round trip to PostgreSQL.
#include <charconv>

#include "core/strings.hpp"
#include "typeahead_snapshot.hpp"

namespace sonique::search {
namespace {

constexpr const char* const kTypes[] = {"", "track", "artist", "album"};

// A float8 as PostgreSQL writes it (extra_float_digits 1: the shortest text that reads back as
// the same double; exponent form below 1e-4, which these scores never reach).
void append_double(std::string& out, double v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, end);
}

}  // namespace

std::string TypeaheadSnapshot::page_items(const std::vector<SearchPlan::Row>& page) const {
    std::string out = "[";
    for (const SearchPlan::Row& row : page) {
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
        append_double(out, fused_score(row.text_rank, row.vector_rank));
        out += '}';
    }
    out += ']';
    return out;
}

}  // namespace sonique::search
