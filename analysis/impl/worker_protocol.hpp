#pragma once
// Between AnalysisWorker (the server's side) and sonique-analysis-worker (the exec'd process):
// where the worker is, and the frames on its pipes. Both sides are the same build, so numbers
// travel in native byte order.
//   request (in on the worker's descriptor 3):   double excerpt_seconds, uint32 path length, path
//   bytes answer (out on the same descriptor):   uint32 length, then 'F' + the features + the
//   seconds
//                                        analysed (double), or 'E' + the reason
// The worker reads requests until end of file.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "analysis/features.hpp"

namespace sonique::analysis::worker {

inline constexpr char kFeaturesTag = 'F';
inline constexpr char kErrorTag = 'E';
inline constexpr size_t kFeaturesSize = 1 + sizeof(FeatureVector) + sizeof(double);
inline constexpr size_t kMaxAnswer = 4096;
inline constexpr size_t kMaxPath = 64 * 1024;
inline constexpr const char* kExecutableName = "sonique-analysis-worker";

// The worker's path: $SONIQUE_ANALYSIS_WORKER, else beside the running executable (where it is
// installed and built), else where the build tree put it. Looked up once. Throws
// std::runtime_error when none exists. Any thread.
const std::string& executable();

std::string request(const std::string& path, double excerpt_seconds);
std::string features_answer(const TrackFeatures& f);
std::string error_answer(const std::string& reason);
// The features of an 'F' answer of the right size; nullopt for anything else.
std::optional<TrackFeatures> parse_features(const std::string& answer);

// Writes all of data, retrying on EINTR. False when the pipe is closed. Any thread.
bool write_all(int fd, const char* data, size_t size) noexcept;
// Reads exactly size bytes. False on end of file or an error. Any thread.
bool read_exact(int fd, char* data, size_t size) noexcept;

}  // namespace sonique::analysis::worker
