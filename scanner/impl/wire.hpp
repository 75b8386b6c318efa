#pragma once
// Binary encoding of requests and outcomes between the scan and its tag-reading worker
// processes: length-prefixed fields in a fixed order (both ends are the same binary).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "scanner/track_info.hpp"

namespace sonique::scanner::wire {

// Thrown when a frame is truncated or malformed.
class WireError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

std::string encode_entry(const FileEntry& e);
FileEntry decode_entry(std::string_view frame);
std::string encode_outcome(const ReadOutcome& o);
ReadOutcome decode_outcome(std::string_view frame);

// Frames on a file descriptor: a 4-byte length then the payload. write_frame returns false
// when the pipe is closed. read_frame returns false on a clean EOF before a frame starts.
bool write_frame(int fd, std::string_view payload);
bool read_frame(int fd, std::string& payload);

}  // namespace sonique::scanner::wire
