#include "index_file.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/json.hpp"

namespace sonique::search {
namespace {

constexpr std::string_view kMagic = "SONIQUE-VECTORS1";

std::string fnv1a64(std::string_view bytes) {
    uint64_t h = 14695981039346656037ull;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ull;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

}  // namespace

void save_index_file(const std::string& path, const IndexFileHeader& header,
                     const VectorIndex& index, std::string_view attachment) {
    std::string payload = index.serialise();
    Json h = {{"set", header.set},
              {"dimension", header.dimension},
              {"count", header.count},
              {"generation", header.generation},
              {"bytes", payload.size()},
              {"checksum", fnv1a64(payload)},
              {"attachment_bytes", attachment.size()},
              {"attachment_checksum", fnv1a64(attachment)}};
    std::string head = h.dump();
    std::filesystem::path target(path);
    if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path());
    std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << kMagic << head.size() << '\n' << head << payload << attachment;
        out.flush();
        if (!out) throw std::runtime_error("cannot write " + tmp);
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) throw std::runtime_error("cannot rename " + tmp + ": " + ec.message());
}

std::optional<LoadedIndex> load_index_file(const std::string& path, const std::string& set,
                                           int dimension, std::string& why) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        why = "missing";
        return std::nullopt;
    }
    std::stringstream all;
    all << in.rdbuf();
    std::string data = all.str();
    if (data.compare(0, kMagic.size(), kMagic) != 0) {
        why = "not an index file";
        return std::nullopt;
    }
    size_t nl = data.find('\n', kMagic.size());
    if (nl == std::string::npos || nl - kMagic.size() > 12) {
        why = "damaged header";
        return std::nullopt;
    }
    try {
        size_t head_len = std::stoul(data.substr(kMagic.size(), nl - kMagic.size()));
        if (data.size() < nl + 1 + head_len) {
            why = "truncated";
            return std::nullopt;
        }
        Json h = Json::parse(data.substr(nl + 1, head_len));
        IndexFileHeader header{h.at("set").get<std::string>(), h.at("dimension").get<int>(),
                               h.at("count").get<int64_t>(), h.at("generation").get<int64_t>()};
        if (header.set != set || header.dimension != dimension) {
            why = "another set or dimension";
            return std::nullopt;
        }
        std::string_view rest = std::string_view(data).substr(nl + 1 + head_len);
        size_t bytes = h.at("bytes").get<size_t>();
        size_t attachment_bytes = h.value("attachment_bytes", size_t{0});
        if (bytes > rest.size() || rest.size() - bytes != attachment_bytes) {
            why = "truncated";
            return std::nullopt;
        }
        std::string_view payload = rest.substr(0, bytes), attachment = rest.substr(bytes);
        if (fnv1a64(payload) != h.at("checksum").get<std::string>() ||
            (h.contains("attachment_checksum") &&
             fnv1a64(attachment) != h.at("attachment_checksum").get<std::string>())) {
            why = "checksum mismatch";
            return std::nullopt;
        }
        auto index = VectorIndex::deserialise(payload, dimension);
        if (!index || static_cast<int64_t>(index->size()) != header.count) {
            why = "not a FAISS index of this set";
            return std::nullopt;
        }
        return LoadedIndex{std::move(header), std::move(*index), std::string(attachment)};
    } catch (const std::exception&) {
        why = "damaged header";
        return std::nullopt;
    }
}

}  // namespace sonique::search
