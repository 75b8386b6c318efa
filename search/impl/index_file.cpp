#include "index_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "core/json.hpp"

namespace sonique::search {
namespace {

constexpr std::string_view kMagic = "SONIQUE-VECTORS1";

std::string hex64(uint64_t h) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

// The checksum files were first written with: FNV-1a 64 byte by byte (some 4 cycles a byte, a
// tenth of a second of a loaded core for a 100,000 × 64 index at start). Still read.
std::string fnv1a64(std::string_view bytes) {
    uint64_t h = 14695981039346656037ull;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return hex64(h);
}

// The checksum written since ("checksum_kind": "fnv1a64-words"): FNV-1a's steps over 8-byte
// words (little-endian), then the tail bytes and the length. Each step is a bijection of the
// running value, so any change within one word always changes the result; 8 times fewer steps.
std::string fnv1a64_words(std::string_view bytes) {
    uint64_t h = 14695981039346656037ull;
    size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
        uint64_t w;
        std::memcpy(&w, bytes.data() + i, 8);
        h ^= w;
        h *= 1099511628211ull;
    }
    for (; i < bytes.size(); ++i) {
        h ^= static_cast<unsigned char>(bytes[i]);
        h *= 1099511628211ull;
    }
    h ^= bytes.size();
    h *= 1099511628211ull;
    return hex64(h);
}

constexpr std::string_view kWords = "fnv1a64-words";

// A file mapped read-only: the bytes are read once, by the checksum, then copied once into FAISS's
// structures (reading it into a string first cost a copy of the whole file, and its time).
class MappedFile {
  public:
    explicit MappedFile(const std::string& path) {
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return;
        struct stat st {};
        if (::fstat(fd, &st) == 0 && st.st_size > 0) {
            size_ = static_cast<size_t>(st.st_size);
            void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
            if (p != MAP_FAILED) {
                data_ = static_cast<const char*>(p);
                ::madvise(p, size_, MADV_SEQUENTIAL);
            }
        }
        opened_ = true;
        ::close(fd);
    }
    ~MappedFile() {
        if (data_) ::munmap(const_cast<char*>(data_), size_);
    }
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    bool opened() const { return opened_; }
    std::string_view bytes() const { return data_ ? std::string_view(data_, size_) : ""; }

  private:
    const char* data_ = nullptr;
    size_t size_ = 0;
    bool opened_ = false;
};

}  // namespace

void save_index_file(const std::string& path, const IndexFileHeader& header,
                     const VectorIndex& index, std::string_view attachment) {
    std::string payload = index.serialise();
    Json h = {{"set", header.set},
              {"dimension", header.dimension},
              {"count", header.count},
              {"generation", header.generation},
              {"bytes", payload.size()},
              {"checksum_kind", kWords},
              {"checksum", fnv1a64_words(payload)},
              {"attachment_bytes", attachment.size()},
              {"attachment_checksum", fnv1a64_words(attachment)}};
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
    MappedFile file(path);
    if (!file.opened()) {
        why = "missing";
        return std::nullopt;
    }
    std::string_view data = file.bytes();
    if (data.substr(0, kMagic.size()) != kMagic) {
        why = "not an index file";
        return std::nullopt;
    }
    size_t nl = data.find('\n', kMagic.size());
    if (nl == std::string::npos || nl - kMagic.size() > 12) {
        why = "damaged header";
        return std::nullopt;
    }
    try {
        size_t head_len = std::stoul(std::string(data.substr(kMagic.size(), nl - kMagic.size())));
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
        std::string_view rest = data.substr(nl + 1 + head_len);
        size_t bytes = h.at("bytes").get<size_t>();
        size_t attachment_bytes = h.value("attachment_bytes", size_t{0});
        if (bytes > rest.size() || rest.size() - bytes != attachment_bytes) {
            why = "truncated";
            return std::nullopt;
        }
        std::string_view payload = rest.substr(0, bytes), attachment = rest.substr(bytes);
        auto sum = h.value("checksum_kind", std::string()) == kWords ? fnv1a64_words : fnv1a64;
        if (sum(payload) != h.at("checksum").get<std::string>() ||
            (h.contains("attachment_checksum") &&
             sum(attachment) != h.at("attachment_checksum").get<std::string>())) {
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
