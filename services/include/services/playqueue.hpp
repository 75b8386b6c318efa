#pragma once
// The play queue (api-contract.md §11): one queue, positions contiguous from 0, edits serialised.
#include <cstdint>
#include <optional>

#include "core/json_text.hpp"
#include "services/context.hpp"

namespace sonique::services {

// Every edit runs in one transaction that first locks the play_queue row (id 1), so
// concurrent edits apply one after the other and none is lost; positions are renumbered in
// one statement before commit (the unique constraint on position is deferred). Reads number
// positions with row_number(), so rows removed by cascade (a deleted track) leave no gap.
// Every method returns the queue {tracks:[...], current_position, last_updated} and throws
// db::DbError (503 when the database is unavailable). Any thread.
class PlayQueueService {
  public:
    explicit PlayQueueService(ServiceContext& ctx) : ctx_(ctx) {}

    JsonText get();
    // Appends; a track already queued is left where it is. Throws not_found("Piste non
    // trouvée") for an unknown track.
    JsonText add(int64_t track_id);
    // Removes (no error when the track was not queued).
    JsonText remove(int64_t track_id);
    // Moves to new_position (clamped to the end). Throws bad_request("Nouvelle position
    // requise") when new_position is missing, bad_request when the track is not queued.
    JsonText move(int64_t track_id, std::optional<int64_t> new_position);
    JsonText clear();

  private:
    ServiceContext& ctx_;
};

}  // namespace sonique::services
