#include "services/events.hpp"

#include "cache/pubsub.hpp"

namespace sonique::services {

int subscribe_events(ServiceContext& ctx, EventListener listener) {
    // Only the contract's channels: the bus also carries cache invalidations.
    return ctx.events.subscribe(
        [listener = std::move(listener)](const std::string& channel, const std::string& message) {
            if (channel == kProgressChannel || channel == kNotificationsChannel)
                listener(channel, message);
        });
}

void unsubscribe_events(ServiceContext& ctx, int token) {
    ctx.events.unsubscribe(token);
}

}  // namespace sonique::services
