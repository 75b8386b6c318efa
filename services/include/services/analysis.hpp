#pragma once
// The sonic analysis's stored results (analysis/, docs/analysis.md), for the REST routes.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/json_text.hpp"
#include "services/context.hpp"

namespace sonique::services {

// Detail of a track that exists but has no analysis yet.
inline constexpr const char* kAnalysisNotFound = "Analyse audio non trouvée";

class AnalysisService {
  public:
    explicit AnalysisService(ServiceContext& ctx) : ctx_(ctx) {}

    // GET /api/tracks/{id}/audio-analysis: the raw features by name and as the ordered vector,
    // the analyser version, the seconds analysed, when, whether the file changed since, and
    // the analysed values (BPM, key, loudness, ReplayGain) before the written ones win.
    // Throws not_found (kTrackNotFound, kAnalysisNotFound); unavailable when the database is.
    // Any thread.
    JsonText track_analysis(int64_t track_id);

    // GET /api/analysis/status (docs/analysis.md): whether a run holds the analysis lock (here
    // or on another server), the last run's task id, progress, failures and estimate, the
    // library's counts (tracks, analysed by the current analyser, older rows, failures) and the
    // sonic sets' sizes. One statement. Throws unavailable when the database is. Any thread.
    JsonText status();

    // Records a run's progress for status(): `status` is "running", "completed", "cancelled"
    // or "failed"; a new task id replaces the last run's row. One statement. Throws db errors.
    // Any thread.
    struct Progress {
        int64_t total = 0, done = 0, analysed = 0, failed = 0;
        std::optional<double> remaining_s;
    };
    void record_progress(const std::string& task_id, const std::string& status,
                         const Progress& progress);

    // After a run stored analysed values (BPM, key, loudness, ReplayGain of tracks and albums):
    // bumps the cache namespaces of every answer that shows them (tracks, albums, artists'
    // tracks, and the "library" namespace of Subsonic and GraphQL), in every process. Never
    // throws for Redis failures. Any thread.
    void values_changed();

  private:
    ServiceContext& ctx_;
};

// One analysis run's cache refreshes: values_changed() for the values its stored batches wrote,
// at most once per `window`. Every bump empties four namespaces (every cached track, album,
// artist, Subsonic and GraphQL answer) in every process; a run stores a batch every 16 tracks or
// 3 s, and bumping at each kept the caches empty for the whole run (hours on a large library).
// The first batch that wrote values is shown at once, later ones when the window has passed
// since the last bump (at the next stored batch), and finish() shows whatever is left: a
// value is visible after the run, and during it at most a window plus a batch after it was
// stored. Not thread-safe: the run's thread only.
class AnalysedValuesRefresh {
  public:
    // Throws nothing.
    explicit AnalysedValuesRefresh(ServiceContext& ctx,
                                   std::chrono::milliseconds window = std::chrono::seconds(10))
        : ctx_(ctx), window_(window) {}

    // After a stored batch: `written` is the run's count of values written so far (tracks
    // analysed plus albums changed). Never throws for Redis failures.
    void stored(int64_t written);
    // At the run's end (also when it stopped or failed): bumps when values written since the
    // last bump are not shown yet. Never throws for Redis failures.
    void finish(int64_t written);
    // How many times this run emptied the namespaces (for logs and tests).
    int64_t bumps() const noexcept { return bumps_; }

  private:
    void bump();

    ServiceContext& ctx_;
    std::chrono::milliseconds window_;
    int64_t seen_ = 0, bumps_ = 0;
    bool pending_ = false;
    std::optional<std::chrono::steady_clock::time_point> last_;
};

}  // namespace sonique::services
