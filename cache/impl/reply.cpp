#include "cache/reply.hpp"

namespace sonique::cache {

std::optional<std::string> Reply::str() const {
    if (!r_) return std::nullopt;
    switch (r_->type) {
        case REDIS_REPLY_STRING:
        case REDIS_REPLY_STATUS:
        case REDIS_REPLY_ERROR:
            return std::string(r_->str, r_->len);
        default:
            return std::nullopt;
    }
}

}  // namespace sonique::cache
