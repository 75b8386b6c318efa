#include "search/external_sets.hpp"

#include <cstdlib>

#include "core/strings.hpp"
#include "db/pool.hpp"

namespace sonique::search {

bool parse_float_array(std::string_view text, std::vector<float>& out) {
    if (text.size() < 2 || text.front() != '{' || text.back() != '}') return false;
    std::string body(text.substr(1, text.size() - 2));
    if (body.empty()) return true;
    const char* p = body.c_str();
    for (;;) {
        char* end = nullptr;
        float v = std::strtof(p, &end);
        if (end == p) return false;
        out.push_back(v);
        if (*end == '\0') return true;
        if (*end != ',') return false;
        p = end + 1;
    }
}

namespace {
// (generation, dimension, track_id, vector) rows into a set's snapshot; no row: the type is gone
// (-2, an empty set); a row without a track: the type holds none of the tracks asked for.
std::pair<int64_t, VectorData> read_vectors(const db::Result& r) {
    std::pair<int64_t, VectorData> out{-2, {}};
    if (r.empty()) return out;
    out.first = r.int64(0, 0);
    out.second.dimension = static_cast<int>(r.int64(0, 1));
    for (int i = 0; i < r.rows(); ++i) {
        if (r.is_null(i, 2)) continue;
        size_t before = out.second.values.size();
        if (!parse_float_array(r.text(i, 3), out.second.values) ||
            out.second.values.size() - before != static_cast<size_t>(out.second.dimension)) {
            out.second.values.resize(before);
            continue;
        }
        out.second.ids.push_back(r.int64(i, 2));
    }
    return out;
}
}  // namespace

ExternalSets::ExternalSets(db::Pool& pool, ExternalSetsOptions options)
    : pool_(pool), options_(std::move(options)) {}

std::string ExternalSets::file_of(const std::string& type) const {
    if (options_.dir.empty()) return "";
    // Hex keeps any type name a safe file name.
    return options_.dir + "/external-" + hex_encode(type) + ".faiss";
}

std::shared_ptr<VectorSet> ExternalSets::get(const std::string& type, int dimension) {
    std::lock_guard lock(mutex_);
    auto it = sets_.find(type);
    if (it != sets_.end() && it->second->dimension() == dimension) return it->second;
    db::Pool* pool = options_.background ? options_.background : &pool_;
    VectorSource source;
    // One statement, one snapshot: the generation and every vector of the type.
    source.load = [pool, type]() {
        auto conn = pool->acquire();
        return read_vectors(conn->exec(
            "SELECT t.generation, t.dimension, e.track_id, e.vector FROM embedding_types t "
            "LEFT JOIN track_embeddings e ON e.embedding_type = t.embedding_type WHERE "
            "t.embedding_type = $1 ORDER BY e.track_id",
            db::Params(type)));
    };
    // The same for some tracks only (another process's change, applied incrementally).
    source.fetch = [pool, type](const std::vector<int64_t>& ids) {
        std::string array = "{";
        for (size_t i = 0; i < ids.size(); ++i)
            array += (i ? "," : "") + std::to_string(ids[i]);
        auto conn = pool->acquire();
        return read_vectors(conn->exec(
            "SELECT t.generation, t.dimension, e.track_id, e.vector FROM embedding_types t "
            "LEFT JOIN track_embeddings e ON e.embedding_type = t.embedding_type AND e.track_id "
            "= ANY($2::bigint[]) WHERE t.embedding_type = $1 ORDER BY e.track_id",
            db::Params(type, array + "}")));
    };
    source.generation = [pool, type]() -> int64_t {
        auto conn = pool->acquire();
        auto r = conn->exec("SELECT generation FROM embedding_types WHERE embedding_type = $1",
                            db::Params(type));
        return r.empty() ? -2 : r.int64(0, 0);
    };
    VectorSetOptions o;
    o.name = "external:" + type;
    o.dimension = dimension;
    o.file = file_of(type);
    o.exact_limit = options_.exact_limit;
    o.index = options_.index;
    o.check_every = options_.check_every;
    o.live_check_every = options_.live_check_every;
    o.notifier = options_.sync;
    auto set = std::make_shared<VectorSet>(std::move(o), std::move(source));
    sets_[type] = set;
    if (options_.sync) options_.sync->add(set);
    return set;
}

void ExternalSets::removed(const std::string& type, int64_t id, int64_t generation,
                           int64_t previous) {
    std::shared_ptr<VectorSet> set;
    {
        std::lock_guard lock(mutex_);
        if (auto it = sets_.find(type); it != sets_.end()) set = it->second;
    }
    if (set)
        set->remove(id, generation, previous);
    else if (options_.sync)
        options_.sync->publish({"external:" + type, generation, previous, {id}, false});
}

void ExternalSets::preload() {
    db::Pool& pool = options_.background ? *options_.background : pool_;
    auto r = pool.acquire()->exec("SELECT embedding_type, dimension FROM embedding_types");
    for (int i = 0; i < r.rows(); ++i)
        get(r.str(i, 0), static_cast<int>(r.int64(i, 1)));
}

std::vector<std::pair<std::string, std::shared_ptr<VectorSet>>> ExternalSets::opened() const {
    std::lock_guard lock(mutex_);
    return {sets_.begin(), sets_.end()};
}

}  // namespace sonique::search
