#pragma once
// HTTP requests written byte for byte, for what httplib's client never sends (a POST without
// Content-Length, say).
#include <optional>
#include <string>

namespace sonique::test {

struct RawResponse {
    int status = 0;
    std::string head;  // status line and headers
    std::string body;
};

// One connection to 127.0.0.1:port. The write side stays open, as a client waiting for its
// answer keeps it. Not thread-safe.
class RawConnection {
  public:
    // Throws std::runtime_error when the connection fails.
    explicit RawConnection(int port);
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    // Writes request as is, then reads one response (its length from Content-Length).
    // nullopt when none came within timeout_s or the server closed the connection first.
    std::optional<RawResponse> exchange(const std::string& request, int timeout_s = 10);

  private:
    int fd_ = -1;
    std::string pending_;  // bytes read past the last response
};

}  // namespace sonique::test
