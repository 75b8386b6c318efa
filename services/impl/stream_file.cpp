// StreamService::open: the track's path, confined to the music roots, opened once.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "core/error.hpp"
#include "core/paths.hpp"
#include "db/pool.hpp"
#include "media_rules.hpp"
#include "services/stream.hpp"

namespace sonique::services {
namespace {

std::optional<std::string> real_path(const std::string& path) {
    char buffer[PATH_MAX];
    if (!::realpath(path.c_str(), buffer)) return std::nullopt;
    return std::string(buffer);
}

std::string make_etag(const struct stat& st) {
    char buf[64];
    const long long ns =
        static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
    std::snprintf(buf, sizeof buf, "\"%llx-%llx\"", static_cast<long long>(st.st_size), ns);
    return buf;
}

}  // namespace

OpenFile::~OpenFile() {
    if (fd_ >= 0) ::close(fd_);
}

long OpenFile::read_at(char* buffer, size_t size, int64_t offset) const noexcept {
    for (;;) {
        ssize_t n = ::pread(fd_, buffer, size, static_cast<off_t>(offset));
        if (n >= 0 || errno != EINTR) return static_cast<long>(n);
    }
}

bool inside_roots(const std::string& resolved, const std::vector<std::string>& roots) {
    for (const auto& root : roots) {
        auto real_root = real_path(root);
        if (!real_root) continue;  // a missing root contains nothing
        if (path_within(resolved, *real_root, Containment::strict)) return true;
    }
    return false;  // no roots: nothing is streamed
}

AudioFile StreamService::open(int64_t track_id) {
    static const char* sql = "SELECT path, file_type, duration, bitrate FROM tracks WHERE id = $1";
    db::Result r;
    {
        auto conn = ctx_.pool.acquire();
        r = conn->exec(sql, db::Params(track_id));
    }
    if (r.empty()) throw not_found("Piste non trouvée");
    const std::string path = r.str(0, 0);
    auto resolved = real_path(path);
    if (!resolved) throw not_found("Fichier audio introuvable");
    if (!inside_roots(*resolved, ctx_.config.music_roots))
        throw not_found("Fichier hors de la bibliothèque");
    // O_NOFOLLOW: the checked path must be the opened one even if a link appears meanwhile;
    // O_NONBLOCK: a FIFO planted in a root must not hang the worker (no effect on files).
    int fd = ::open(resolved->c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) throw not_found("Fichier audio introuvable");
    auto file = std::make_shared<OpenFile>(fd);
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) throw not_found("Fichier audio introuvable");
    AudioFile out;
    out.file = std::move(file);
    out.size = st.st_size;
    out.mtime = st.st_mtim.tv_sec;
    out.mime_type = audio_mime_type(r.opt_str(0, 1), *resolved);
    out.file_name = std::filesystem::path(*resolved).filename().string();
    out.etag = make_etag(st);
    out.last_modified = http_date(out.mtime);
    if (!r.is_null(0, 2)) out.duration_s = r.int64(0, 2);
    if (!r.is_null(0, 3)) out.bit_rate_kbps = r.int64(0, 3);
    return out;
}

}  // namespace sonique::services
