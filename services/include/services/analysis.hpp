#pragma once
// The sonic analysis's stored results (analysis/, docs/analysis.md), for the REST routes.
#include <cstdint>

#include "core/json_text.hpp"
#include "services/context.hpp"

namespace sonique::services {

// Detail of a track that exists but has no analysis yet.
inline constexpr const char* kAnalysisNotFound = "Analyse audio non trouvée";

class AnalysisService {
  public:
    explicit AnalysisService(ServiceContext& ctx) : ctx_(ctx) {}

    // GET /api/tracks/{id}/audio-analysis: the raw features by name and as the ordered vector,
    // the analyser version, the seconds analysed, when, and whether the file changed since.
    // Throws not_found (kTrackNotFound, kAnalysisNotFound); unavailable when the database is.
    // Any thread.
    JsonText track_analysis(int64_t track_id);

  private:
    ServiceContext& ctx_;
};

}  // namespace sonique::services
