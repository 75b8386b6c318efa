#pragma once
// Listening to this process's events (api-contract.md §10: the "progress" and "notifications"
// channels, local and relayed from other servers) without seeing the event bus, for the SSE
// relay of GET /api/events.
#include <functional>
#include <string>

#include "services/context.hpp"

namespace sonique::services {

using EventListener = std::function<void(const std::string& channel, const std::string& message)>;

// Registers listener for every event; returns the token to give to unsubscribe_events. The
// listener runs on the publishing or relaying thread, so it must not block. Any thread.
int subscribe_events(ServiceContext& ctx, EventListener listener);
// Removes a listener; unknown tokens are ignored. Any thread.
void unsubscribe_events(ServiceContext& ctx, int token);

}  // namespace sonique::services
