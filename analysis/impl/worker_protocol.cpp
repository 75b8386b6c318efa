#include "worker_protocol.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace sonique::analysis::worker {
namespace {

std::string find_executable() {
    namespace fs = std::filesystem;
    if (const char* env = std::getenv("SONIQUE_ANALYSIS_WORKER"); env && *env) {
        if (::access(env, X_OK) == 0) return env;
        throw std::runtime_error(std::string("SONIQUE_ANALYSIS_WORKER is not executable: ") + env);
    }
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        fs::path beside = self.parent_path() / kExecutableName;
        if (::access(beside.c_str(), X_OK) == 0) return beside;
    }
#ifdef SONIQUE_ANALYSIS_WORKER_BUILD_PATH
    if (::access(SONIQUE_ANALYSIS_WORKER_BUILD_PATH, X_OK) == 0)
        return SONIQUE_ANALYSIS_WORKER_BUILD_PATH;
#endif
    throw std::runtime_error(std::string(kExecutableName) +
                             " not found beside the executable (or set SONIQUE_ANALYSIS_WORKER)");
}

template <typename T>
void append(std::string& out, const T& value) {
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

std::string framed(const std::string& body) {
    std::string out;
    append(out, static_cast<uint32_t>(body.size()));
    return out + body;
}

}  // namespace

const std::string& executable() {
    static const std::string path = find_executable();
    return path;
}

std::string request(const std::string& path, double excerpt_seconds) {
    std::string out;
    append(out, excerpt_seconds);
    append(out, static_cast<uint32_t>(path.size()));
    return out + path;
}

std::string features_answer(const TrackFeatures& f) {
    std::string body(kFeaturesSize, '\0');
    body[0] = kFeaturesTag;
    std::memcpy(body.data() + 1, f.values.data(), sizeof(FeatureVector));
    std::memcpy(body.data() + 1 + sizeof(FeatureVector), &f.seconds_analysed, sizeof(double));
    return framed(body);
}

std::string error_answer(const std::string& reason) {
    std::string body = std::string(1, kErrorTag) + reason;
    body.resize(std::min(body.size(), kMaxAnswer));
    return framed(body);
}

std::optional<TrackFeatures> parse_features(const std::string& answer) {
    if (answer.size() != kFeaturesSize || answer[0] != kFeaturesTag) return std::nullopt;
    TrackFeatures f;
    std::memcpy(f.values.data(), answer.data() + 1, sizeof(FeatureVector));
    std::memcpy(&f.seconds_analysed, answer.data() + 1 + sizeof(FeatureVector), sizeof(double));
    return f;
}

bool write_all(int fd, const char* data, size_t size) noexcept {
    while (size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

bool read_exact(int fd, char* data, size_t size) noexcept {
    while (size > 0) {
        ssize_t n = ::read(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

}  // namespace sonique::analysis::worker
