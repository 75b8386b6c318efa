#pragma once
#include "core/json_text.hpp"
#include "services/context.hpp"

namespace sonique::services {

// Health of the process's dependencies. Any thread.
class HealthService {
  public:
    explicit HealthService(ServiceContext& ctx) : ctx_(ctx) {}
    // {"status":"healthy","database":"up","redis":"up"|"down"|"disabled", "pool": {...}}.
    // Throws Error(kUnavailable) when the database does not answer.
    JsonText check();

  private:
    ServiceContext& ctx_;
};

}  // namespace sonique::services
