#pragma once
// Move-only owners of hiredis handles.
#include <hiredis.h>

#include <memory>
#include <optional>
#include <string>

namespace sonique::cache {

struct FreeReply {
    void operator()(redisReply* r) const noexcept { freeReplyObject(r); }
};
struct FreeContext {
    void operator()(redisContext* c) const noexcept { redisFree(c); }
};
using ContextPtr = std::unique_ptr<redisContext, FreeContext>;

class Reply {
  public:
    Reply() = default;
    explicit Reply(redisReply* r) noexcept : r_(r) {}
    const redisReply* get() const noexcept { return r_.get(); }
    explicit operator bool() const noexcept { return r_ != nullptr; }
    bool is_error() const noexcept { return r_ && r_->type == REDIS_REPLY_ERROR; }
    bool is_nil() const noexcept { return !r_ || r_->type == REDIS_REPLY_NIL; }
    // The string value (string, status or error replies); nullopt for nil and others.
    std::optional<std::string> str() const;
    long long integer() const noexcept {
        return r_ && r_->type == REDIS_REPLY_INTEGER ? r_->integer : 0;
    }

  private:
    std::unique_ptr<redisReply, FreeReply> r_;
};

}  // namespace sonique::cache
