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
// when the pipe is closed.
bool write_frame(int fd, std::string_view payload);

// Reads frames from a file descriptor, as many bytes as are there at each read(): frames that
// arrived together cost one system call, not two each.
class FrameReader {
  public:
    explicit FrameReader(int fd = -1) : fd_(fd) {}
    // The next frame; false on a clean EOF before a frame starts. Throws WireError on a read
    // error (a receive timeout included), a malformed header or an EOF inside a frame.
    bool next(std::string& payload);
    // Whether a whole frame is buffered (next() then needs no system call).
    bool has_frame() const;

  private:
    bool fill();  // one read(); false on EOF
    int fd_;
    std::string buf_;
    size_t pos_ = 0;  // the first unread byte of buf_
};

}  // namespace sonique::scanner::wire
