// The range-capable answer for an audio file (server/audio_response.hpp).
//
// cpp-httplib 0.11.4 re-applies req.ranges to whatever the handler answers, without clamping
// or validating them (docs/stack-notes.md), and would even slice an error body. So the caller
// takes the ranges over first (take_ranges): the slice is computed here, 206/416 and
// Content-Range are set here, and req.ranges is empty so that the library sends the provided
// bytes untouched. The Request object is not const in the library (it is a local of
// process_request), so the const_cast is well defined; it is confined to this file.
//
// A stream holds one HTTP worker thread until the client has read the slice (or the write
// timeout, config.write_timeout_s, drops a client that stopped reading). Memory per stream is
// one 64 KiB buffer at a time: the file is never read whole.
#include "server/audio_response.hpp"

#include <algorithm>

#include "core/json.hpp"
#include "core/thread_priority.hpp"

namespace sonique::server {
namespace {

using services::RangeOutcome;

constexpr size_t kChunk = 64 * 1024;

services::Conditions conditions(const httplib::Request& req) {
    return {req.get_header_value("If-None-Match"), req.get_header_value("If-Modified-Since"),
            req.get_header_value("If-Range")};
}

void provide(httplib::Response& res, const services::AudioFile& audio, int64_t start,
             int64_t length) {
    auto file = audio.file;
    // The bytes go out at a lower CPU priority (core/thread_priority.hpp); httplib calls the
    // releaser on this same thread once the response is over.
    res.set_content_provider(
        static_cast<size_t>(length), audio.mime_type,
        [file, start](size_t offset, size_t length, httplib::DataSink& sink) {
            thread_priority::lower();
            char buffer[kChunk];
            const size_t want = std::min(length, kChunk);
            long n = file->read_at(buffer, want, start + static_cast<int64_t>(offset));
            // 0 or -1: the file shrank or failed under us; abort the connection rather than
            // send fewer bytes than Content-Length announced.
            if (n <= 0) return false;
            return sink.write(buffer, static_cast<size_t>(n));
        },
        [](bool) { thread_priority::restore(); });
}

void set_validators(httplib::Response& res, const services::AudioFile& audio) {
    res.set_header("Accept-Ranges", "bytes");
    res.set_header("ETag", audio.etag);
    res.set_header("Last-Modified", audio.last_modified);
    res.set_header("Cache-Control", "private, max-age=0, must-revalidate");
}

// 200 (whole file), 206 (one slice) or 416, with the headers httplib will not compute.
void send_plan(httplib::Response& res, const services::AudioFile& audio,
               const services::RangePlan& plan) {
    const std::string size = std::to_string(audio.size);
    if (plan.outcome == RangeOutcome::kUnsatisfiable) {
        res.set_header("Content-Range", "bytes */" + size);
        res.status = 416;
        res.set_content(dump_json(Json{{"detail", "Plage demandée non satisfiable"}}),
                        "application/json");
        return;
    }
    res.status = 200;
    if (plan.outcome == RangeOutcome::kPartial) {
        res.status = 206;
        res.set_header("Content-Range", "bytes " + std::to_string(plan.start) + "-" +
                                            std::to_string(plan.start + plan.length - 1) + "/" +
                                            size);
    }
    if (plan.length == 0) {
        res.set_content("", audio.mime_type);  // empty file: no provider for zero bytes
        return;
    }
    provide(res, audio, plan.start, plan.length);
}

}  // namespace

ByteRanges take_ranges(const httplib::Request& req) {
    ByteRanges out;
    for (const auto& [first, last] : req.ranges)
        out.emplace_back(first, last);
    const_cast<httplib::Request&>(req).ranges.clear();
    return out;
}

void send_audio(const httplib::Request& req, httplib::Response& res,
                const services::AudioFile& audio, ByteRanges ranges) {
    set_validators(res, audio);
    const auto cond = conditions(req);
    if (services::not_modified(cond, audio)) {
        res.status = 304;
        return;
    }
    if (!services::range_applies(cond, audio)) ranges.clear();
    send_plan(res, audio, services::plan_range(ranges, audio.size));
}

}  // namespace sonique::server
