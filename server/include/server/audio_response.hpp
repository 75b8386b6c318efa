#pragma once
// The range-capable answer for an audio file (services::AudioFile), shared by
// GET /api/tracks/{id}/stream and the Subsonic stream and download methods: Range (one slice),
// 206/416, ETag, Last-Modified and 304.
#include <httplib.h>

#include <cstdint>
#include <utility>
#include <vector>

#include "services/stream.hpp"

namespace sonique::server {

using ByteRanges = std::vector<std::pair<int64_t, int64_t>>;

// Takes the request's parsed Range header over and empties req.ranges, so that cpp-httplib
// slices nothing itself (it would slice an error body too). Call it before anything can answer.
// Only the thread serving the request may call it; throws nothing.
ByteRanges take_ranges(const httplib::Request& req);

// Answers with the file: validators, then 304 (conditional headers match), 416 (unsatisfiable
// range), 206 (one slice of `ranges`) or 200 (the whole file). The bytes are read 64 KiB at a
// time by the response's content provider. Throws nothing; the thread serving the request.
void send_audio(const httplib::Request& req, httplib::Response& res,
                const services::AudioFile& audio, ByteRanges ranges);

}  // namespace sonique::server
