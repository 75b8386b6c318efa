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
    db::Pool* pool = &pool_;
    VectorSource source;
    // One statement, one snapshot: the generation and every vector of the type.
    source.load = [pool, type]() {
        auto conn = pool->acquire();
        auto r = conn->exec(
            "SELECT t.generation, t.dimension, e.track_id, e.vector FROM embedding_types t "
            "LEFT JOIN track_embeddings e ON e.embedding_type = t.embedding_type WHERE "
            "t.embedding_type = $1 ORDER BY e.track_id",
            db::Params(type));
        std::pair<int64_t, VectorData> out{-2, {}};
        if (r.empty()) return out;  // the type is gone: an empty set
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
    o.check_every = options_.check_every;
    auto set = std::make_shared<VectorSet>(std::move(o), std::move(source));
    sets_[type] = set;
    return set;
}

std::vector<std::pair<std::string, std::shared_ptr<VectorSet>>> ExternalSets::opened() const {
    std::lock_guard lock(mutex_);
    return {sets_.begin(), sets_.end()};
}

}  // namespace sonique::search
