// Audio streaming (api-contract.md §6 GET /api/tracks/{id}/stream): which file may be served, and
// the HTTP range and conditional-request arithmetic, kept free of any HTTP library.
#pragma once
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/context.hpp"

namespace sonique::services {

// Owns an open file descriptor (closed on destruction). Shared by a response's content
// provider, which outlives the handler.
class OpenFile {
  public:
    explicit OpenFile(int fd) noexcept : fd_(fd) {}
    ~OpenFile();
    OpenFile(const OpenFile&) = delete;
    OpenFile& operator=(const OpenFile&) = delete;
    int fd() const noexcept { return fd_; }
    // Reads up to size bytes at offset (pread, retried on EINTR); -1 on error. Any thread.
    long read_at(char* buffer, size_t size, int64_t offset) const noexcept;

  private:
    int fd_;
};

struct AudioFile {
    std::shared_ptr<OpenFile> file;
    int64_t size = 0;
    std::time_t mtime = 0;  // seconds
    std::string mime_type;
    std::string file_name;      // the resolved file's last component (downloads name it)
    std::string etag;           // strong, from size and mtime (ns)
    std::string last_modified;  // HTTP date
    // From the scan's tags (what transcoding decides and estimates with); 0 when unknown.
    int64_t duration_s = 0;
    int64_t bit_rate_kbps = 0;
};

// MIME type from the stored file_type when it looks like one, else from the extension.
std::string audio_mime_type(const std::optional<std::string>& file_type, std::string_view path);

enum class RangeOutcome { kFull, kPartial, kUnsatisfiable };
struct RangePlan {
    RangeOutcome outcome = RangeOutcome::kFull;
    int64_t start = 0;
    int64_t length = 0;
};
// Normalises the parsed Range header (pairs of first/last byte, -1 when absent; suffix ranges
// have first = -1). Several ranges are answered with the whole file (kFull): allowed by
// RFC 9110 §14.2 and what audio players never need.
RangePlan plan_range(const std::vector<std::pair<int64_t, int64_t>>& ranges, int64_t size);

// The request's conditional headers (empty when absent).
struct Conditions {
    std::string if_none_match;
    std::string if_modified_since;
    std::string if_range;
};
// True when the answer is 304 Not Modified.
bool not_modified(const Conditions& c, const AudioFile& file);
// False when If-Range is present and does not match: the Range header is then ignored.
bool range_applies(const Conditions& c, const AudioFile& file);

class StreamService {
  public:
    explicit StreamService(ServiceContext& ctx) : ctx_(ctx) {}
    // Opens the track's file. Throws not_found("Piste non trouvée") for an unknown track,
    // not_found("Fichier hors de la bibliothèque") when the path resolves (following links)
    // outside config.music_roots, not_found("Fichier audio introuvable") when it is missing
    // or not a regular file. Any thread.
    AudioFile open(int64_t track_id);

  private:
    ServiceContext& ctx_;
};

}  // namespace sonique::services
