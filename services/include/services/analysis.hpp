#pragma once
// The sonic analysis's stored results (analysis/, docs/analysis.md), for the REST routes.
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

}  // namespace sonique::services
