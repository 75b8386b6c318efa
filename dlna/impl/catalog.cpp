// Browse pages in one statement: the total and the page side by side (the total's row is
// always there, the page's columns are null when it is empty).
#include "catalog.hpp"

#include "core/strings.hpp"
#include "db/pool.hpp"
#include "listing.hpp"
#include "search_criteria.hpp"
#include "search_scope.hpp"
#include "soap.hpp"
#include "tree_snapshots.hpp"

namespace sonique::dlna {
namespace {

constexpr const char* kContainerColumns = "{key}, {title}, {artist}, {date}, {art}, {count}";

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size())
        s.replace(at, from.size(), to);
    return s;
}

std::string container_columns(const Listing& l) {
    std::string c = kContainerColumns;
    c = replace_all(c, "{key}", l.key);
    c = replace_all(c, "{title}", l.title);
    c = replace_all(c, "{artist}", l.artist);
    c = replace_all(c, "{date}", l.date);
    c = replace_all(c, "{art}", l.art);
    return replace_all(c, "{count}", l.count);
}

std::string order_by(const Listing& l, const std::vector<SortKey>& sort) {
    std::string out;
    for (const auto& k : sort) {
        auto e = sort_expression(k.property, l);
        if (!e) throw SoapFault(kBadSortCriteria, "Unsupported sort property " + k.property);
        out += *e + (k.descending ? " DESC NULLS LAST, " : " NULLS FIRST, ");
    }
    return out + l.order;
}

bool mentions_joins(const std::string& sql) {
    return sql.find("ar.") != std::string::npos || sql.find("al.") != std::string::npos ||
           sql.find("aa.") != std::string::npos;
}

// $1 limit, $2 offset, $3.. the listing's ids and texts, then the child's key when `only` is
// given, or the previous page's last keys when `after` is.
//
// The page is chosen first on the rows' ids alone (`pg`: the ids, their place, their keys),
// then only its rows are joined and their columns computed: OFFSET still walks the entries
// before the page, but no longer joins them or runs their subqueries (a page at offset 99,900
// of 100,000 tracks went from ~0.8 s to tens of ms).
//
// The last column is the ContainerUpdateID of the container named by the last parameter
// (NULL when it has none); with `system`, the SystemUpdateID when that parameter is '' (a
// container that keeps no id, a track, a search): the answer's UpdateID then comes with the
// page rather than from a second statement.
std::string statement(const Listing& l, const std::vector<SortKey>& sort, bool only, bool after,
                      bool system) {
    size_t next = l.ids.size() + l.texts.size() + 3;
    size_t update_param = next + (only ? 1 : 0) + (after ? l.keys.size() : 0);
    std::string where = l.where;
    if (only) where += " AND " + l.filter_key + " = $" + std::to_string(next++);
    std::string page_where = where;
    std::string order = order_by(l, sort);
    std::string keys_out, key_cols;
    if (!l.keys.empty()) {
        std::string lhs, rhs;
        size_t k = 0;
        for (const auto& [expr, type] : l.keys) {
            lhs += (lhs.empty() ? "" : ", ") + expr;
            rhs += (rhs.empty() ? "" : ", ") + ("$" + std::to_string(next++) + "::" + type);
            key_cols += ", " + expr + " AS k" + std::to_string(k);
            keys_out += ", pg.k" + std::to_string(k++);
        }
        if (after) page_where += " AND (" + lhs + ") > (" + rhs + ")";
    }
    std::string base = l.tracks ? std::string("(tracks t ") + kTrackJoins + ")"
                       : l.from.find(" JOIN ") != std::string::npos ? "(" + l.from + ")"
                                                                    : l.from;
    // Containers: only albums join another table (their artist, aa), needed to sort by it.
    std::string inner_from =
        !l.tracks ? ((order + page_where).find("aa.") != std::string::npos ? l.from : l.count_from)
        : l.count_joined || !mentions_joins(order + page_where) ? l.count_from
                                                                : l.count_from + " " + kTrackJoins;
    std::string inner = "SELECT " + l.filter_key + " AS page_id, row_number() OVER (ORDER BY " +
                        order + ") AS page_n" + key_cols + " FROM " + inner_from + " WHERE " +
                        page_where + " ORDER BY " + order + " LIMIT $1 OFFSET $2";
    std::string cols = l.tracks ? kTrackColumns : container_columns(l);
    std::string total = !l.total.empty() && !only
                            ? l.total
                            : "SELECT count(*) AS total FROM " + l.count_from + " WHERE " + where;
    std::string u = "$" + std::to_string(update_param);
    std::string update =
        "(SELECT max(u.update_id) % 4294967296 FROM dlna_container_updates u "
        "WHERE u.container = " +
        u + ")";
    // The SystemUpdateID, when the catalog reads it, for a container that keeps no id ('').
    if (system)
        update = "CASE WHEN " + u + " = '' THEN " + kSystemUpdateId + " ELSE " + update + " END";
    return "SELECT n.total, p.*, " + update + " FROM (" + total + ") n LEFT JOIN LATERAL (SELECT " +
           cols + keys_out + " FROM (" + inner + ") pg JOIN " + base + " ON " + l.filter_key +
           " = pg.page_id ORDER BY pg.page_n) p ON true";
}

void add_params(db::Params& params, const Listing& l) {
    for (auto id : l.ids)
        params.add(id);
    for (const auto& t : l.texts)
        params.add(t);
}

std::optional<int64_t> opt_int(const db::Result& r, int row, int col) {
    return r.is_null(row, col) ? std::nullopt : std::optional<int64_t>(r.int64(row, col));
}

std::string opt_text(const db::Result& r, int row, int col) {
    return r.is_null(row, col) ? std::string() : r.str(row, col);
}

Entry container_entry(const db::Result& r, int i, const std::string& container,
                      const std::string& kind) {
    Entry e;
    e.id = container + "/" + r.str(i, 1);
    e.parent = container;
    e.title = opt_text(r, i, 2);
    e.artist = opt_text(r, i, 3);
    e.date = opt_text(r, i, 4);
    e.art = opt_text(r, i, 5);
    e.child_count = opt_int(r, i, 6);
    e.kind = kind;
    return e;
}

bool is_fixed(Node n) {
    return n == Node::kRoot || n == Node::kMusic;
}

Entry fixed_entry(const std::string& id) {
    auto ref = parse_object_id(id);
    Entry e;
    e.id = id;
    e.parent = parent_of(*ref);
    e.title = std::string(fixed_title(ref->node));
    e.kind = "fixed";
    if (is_fixed(ref->node)) e.child_count = static_cast<int64_t>(fixed_children(ref->node).size());
    return e;
}

// The statement's last column: the ContainerUpdateID (absent: never changed, 0).
std::uint32_t update_id_of(const db::Result& r) {
    int col = r.cols() - 1;
    return r.is_null(0, col) ? 0u : static_cast<std::uint32_t>(r.int64(0, col));
}

}  // namespace

bool keeps_update_id(Node node) {
    switch (node) {
        case Node::kGenreArtist:
        case Node::kGenreArtistAlbum:
        case Node::kFolders:
        case Node::kFolder:
            return false;
        default:
            return true;
    }
}

Entry track_entry(const db::Result& r, int i, const std::string& container) {
    Entry e;
    e.is_track = true;
    e.track_id = r.int64(i, 1);
    e.id = track_object_id(container, *e.track_id);
    e.parent = container;
    e.title = r.str(i, 2);
    e.artist = opt_text(r, i, 3);
    e.album = opt_text(r, i, 4);
    e.album_artist = opt_text(r, i, 5);
    e.genre = opt_text(r, i, 6);
    e.date = opt_text(r, i, 7);
    e.track_no = opt_int(r, i, 8);
    e.duration_s = opt_int(r, i, 9);
    e.file_type = opt_text(r, i, 10);
    e.path = opt_text(r, i, 11);
    e.size = opt_int(r, i, 12);
    e.bitrate = opt_int(r, i, 13);
    e.sample_rate = opt_int(r, i, 14);
    e.channels = opt_int(r, i, 15);
    e.bit_depth = opt_int(r, i, 16);
    e.art = opt_text(r, i, 17);
    return e;
}

Catalog::Catalog(services::ServiceContext& ctx, bool library_update_id, bool tree_snapshot)
    : ctx_(ctx), library_update_id_(library_update_id) {
    if (tree_snapshot)
        snapshots_ = std::make_unique<TreeSnapshots>(ctx.pool, ctx.background_pool(),
                                                     ctx.config.music_roots);
}

Catalog::~Catalog() = default;

std::optional<std::uint32_t> Catalog::update_id_in(const db::Result& r, bool keeps) const {
    if (!keeps && !library_update_id_) return std::nullopt;
    return update_id_of(r);
}

Page Catalog::children(const ObjectRef& ref, int64_t start, int64_t count,
                       const std::vector<SortKey>& sort) {
    if (ref.track) throw SoapFault(kNoSuchContainer, "No such container");
    if (is_fixed(ref.node)) {
        auto ids = fixed_children(ref.node);
        Page p;
        p.total = static_cast<int64_t>(ids.size());
        for (int64_t i = start; i < p.total && i < start + count; ++i)
            p.entries.push_back(fixed_entry(ids[static_cast<size_t>(i)]));
        p.update_id = 0;  // their children are fixed
        return p;
    }
    // The snapshot, when it holds the container and is current (one check statement instead
    // of the page's); the default order only (folders have no other).
    if (snapshots_ && (sort.empty() || ref.node == Node::kFolder) && TreeSnapshot::holds(ref.node))
        if (auto snap = snapshots_->fresh())
            if (auto page = snap->children(ref, start, count, library_update_id_))
                return std::move(*page);
    if (ref.node == Node::kFolder || ref.node == Node::kFolders)
        return folder_children(ref, start, count);
    Listing l = listing_for(ref);
    Page p = run(l, ref.container, start, count, sort, ref.container,
                 keeps_update_id(ref.node) ? ref.container : "");
    // A container with no row behind it (an artist id that names nobody) is unknown, not empty.
    if (p.total == 0 && !l.ids.empty()) metadata(ref);
    return p;
}

Page Catalog::run(const Listing& l, const std::string& container, int64_t start, int64_t count,
                  const std::vector<SortKey>& sort, const std::string& scope,
                  const std::string& update_of) {
    if (l.cap) count = std::max<int64_t>(0, std::min(count, *l.cap - start));
    // Keyset: where the previous page of this container in the default order ended.
    bool keyset = sort.empty() && !l.keys.empty() && !l.cap;
    std::string cursor_key = scope + '\x1f' + std::to_string(start);
    std::optional<std::vector<std::string>> after;
    if (keyset && start > 0) after = cursors_.find(cursor_key);
    Page p;
    // Past the cap only the total is read (a page of one row that is dropped).
    db::Params params(std::max<int64_t>(count, 1), count > 0 && !after ? start : 0);
    add_params(params, l);
    if (after)
        for (const auto& v : *after)
            params.add(v);
    params.add(update_of);
    auto conn = ctx_.pool.acquire();
    auto r = conn->exec(statement(l, sort, false, after.has_value(), library_update_id_), params);
    p.total = r.int64(0, 0);
    p.update_id = update_id_in(r, !update_of.empty());
    for (int i = 0; count > 0 && i < r.rows(); ++i) {
        if (r.is_null(i, 1)) continue;
        p.entries.push_back(l.tracks ? track_entry(r, i, container)
                                     : container_entry(r, i, container, l.kind));
    }
    if (keyset && !p.entries.empty()) {
        int last = r.rows() - 1;
        std::vector<std::string> keys;
        // The keys are the page's last columns before the update id.
        for (int c = r.cols() - 1 - static_cast<int>(l.keys.size()); c < r.cols() - 1; ++c)
            keys.push_back(r.str(last, c));
        cursors_.put(scope + '\x1f' + std::to_string(start + p.entries.size()), std::move(keys));
    }
    if (l.cap) p.total = std::min(p.total, *l.cap);
    return p;
}

Page Catalog::search(const ObjectRef& scope, const std::string& criteria, int64_t start,
                     int64_t count, const std::vector<SortKey>& sort) {
    auto q = parse_search(criteria, 3);
    Listing l;
    std::string container;
    switch (q.target) {
        case SearchTarget::kTracks:
            l = listing_for(*parse_object_id("m/all"));
            l.count_from = std::string("tracks t ") + kTrackJoins;
            l.count_joined = true;
            container = "m/all";
            break;
        case SearchTarget::kAlbums:
            l = listing_for(*parse_object_id("m/al"));
            l.count_from = l.from;
            container = "m/al";
            break;
        case SearchTarget::kArtists:
            // Below Album Artists, the album artists (some have no track of their own).
            container = scope.node == Node::kAlbumArtists ? "m/aa" : "m/ar";
            l = listing_for(*parse_object_id(container));
            break;
    }
    // The listings of m/all, m/al, m/ar and m/aa have no ids: the criteria's values are $3...
    l.texts = std::move(q.params);
    std::string below = search_scope(scope, q.target, ctx_.config.music_roots, 3, l.texts);
    l.where = "(" + l.where + ") AND " + q.where + " AND (" + below + ")";
    l.total.clear();  // the listing's whole-table count (All Tracks, Albums) is not the search's
    // Its own cursors (a search's pages are not the container's), per container. Its UpdateID
    // is the SystemUpdateID: a search spans containers.
    return run(l, container, start, count, sort, "?" + scope.container + '\x1f' + criteria, "");
}

Entry Catalog::metadata(const ObjectRef& ref, std::optional<std::uint32_t>* update_id) {
    if (update_id) *update_id = std::nullopt;
    if (is_fixed(ref.node) && !ref.track) {
        if (update_id) *update_id = 0;
        return fixed_entry(ref.container);
    }
    std::shared_ptr<const TreeSnapshot> snap;
    if (snapshots_ && TreeSnapshot::holds(ref.node)) snap = snapshots_->fresh();
    if (snap) {
        if (auto m = snap->metadata(ref, library_update_id_)) {
            if (update_id) *update_id = m->second;
            return std::move(m->first);
        }
    }
    if (!ref.track && (ref.node == Node::kFolder || ref.node == Node::kFolders)) {
        if (ref.node == Node::kFolders) return fixed_entry(ref.container);
        return folder_metadata(ref);
    }
    if (ref.track && ref.node == Node::kFolder) {
        // A track in a folder: it must lie right in that folder.
        auto page = folder_children(ref, 0, 1 << 20);
        for (auto& e : page.entries)
            if (e.track_id == ref.track) return e;
        throw SoapFault(kNoSuchObject, "No such object");
    }
    ObjectRef listed = ref;
    int64_t key = 0;
    if (ref.track) {
        key = *ref.track;
    } else {
        auto parent = parse_object_id(parent_of(ref));
        if (!parent) throw SoapFault(kNoSuchObject, "No such object");
        if (is_fixed(parent->node)) {
            // A fixed list (Artists, All Tracks...): its update id is the only thing to read.
            if (update_id && keeps_update_id(ref.node) && snap) {
                *update_id = snap->container_update_id(ref);
            } else if (update_id && keeps_update_id(ref.node)) {
                auto r = ctx_.pool.acquire()->exec(
                    "SELECT max(update_id) % 4294967296 FROM dlna_container_updates WHERE "
                    "container = $1",
                    db::Params(ref.container));
                *update_id = update_id_of(r);
            }
            return fixed_entry(ref.container);
        }
        listed = *parent;
        key = ref.node == Node::kArtist || ref.node == Node::kAlbumArtist ||
                      ref.node == Node::kGenreArtist
                  ? ref.artist
              : ref.node == Node::kGenre    ? ref.genre
              : ref.node == Node::kPlaylist ? ref.playlist
                                            : ref.album;
    }
    Listing l = listing_for(listed);
    db::Params params(int64_t{1}, int64_t{0});
    add_params(params, l);
    params.add(key);
    bool keeps = !ref.track && keeps_update_id(ref.node);
    params.add(keeps ? ref.container : std::string());
    auto conn = ctx_.pool.acquire();
    auto r = conn->exec(statement(l, {}, true, false, library_update_id_), params);
    if (r.rows() < 1 || r.is_null(0, 1)) throw SoapFault(kNoSuchObject, "No such object");
    if (l.cap && !ref.track) throw SoapFault(kNoSuchObject, "No such object");
    if (update_id) *update_id = update_id_in(r, keeps);
    return l.tracks ? track_entry(r, 0, listed.container)
                    : container_entry(r, 0, listed.container, l.kind);
}

}  // namespace sonique::dlna
