#pragma once
// Blocking TCP with deadlines for the eventing listener and its NOTIFYs: nothing here waits
// longer than the time it is given. Never throws; any thread.
#include <chrono>
#include <cstdint>
#include <string>

#include "core/unique_fd.hpp"

namespace sonique::dlna::tcp {

using Deadline = std::chrono::steady_clock::time_point;

// A listening socket on host:port (port 0: any free one). Throws std::system_error.
UniqueFd listen_on(const std::string& host, int port);
int local_port(int fd);
// Connects to host:port (host byte order) by the deadline; an invalid fd on failure.
UniqueFd connect_to(std::uint32_t host, int port, Deadline deadline);
// Writes all of data by the deadline.
bool send_all(int fd, const std::string& data, Deadline deadline);
// Reads up to and including the blank line ending an HTTP head, at most max bytes, by the
// deadline; the head without that blank line, or false.
bool read_head(int fd, size_t max, Deadline deadline, std::string& head);

}  // namespace sonique::dlna::tcp
