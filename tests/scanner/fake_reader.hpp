#pragma once
// A fake TagReader over text files: each line "key=value" (title, artist with '|' between
// artists, album, albumartist, mbid, albummbid, compilation, duration). "crash" aborts the reading
// process, "hang" never returns, "slow" sleeps 5 ms, "throw" throws a runtime_error and "oom" a
// bad_alloc (out of the reader: in the reading thread itself when not isolated), "reader" stores
// the reading thread's id (the worker process's, when isolated) as the comment. Thread-safe (no
// state).
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <new>
#include <stdexcept>
#include <string>

#include "core/strings.hpp"
#include "scanner/tag_reader.hpp"

namespace sonique::test {

class FakeReader : public scanner::TagReader {
  public:
    scanner::ReadOutcome read(const scanner::FileEntry& file) override {
        scanner::ReadOutcome out;
        std::ifstream in(file.path);
        if (!in) {
            out.error = "cannot open";
            return out;
        }
        scanner::TrackInfo t;
        std::string line;
        while (std::getline(in, line)) {
            auto eq = line.find('=');
            std::string key = line.substr(0, eq),
                        value = eq == std::string::npos ? "" : line.substr(eq + 1);
            if (key == "crash") std::abort();
            if (key == "hang") ::sleep(1000);
            if (key == "slow") ::usleep(5000);
            if (key == "throw") throw std::runtime_error("fake reader failure");
            if (key == "oom") throw std::bad_alloc();
            if (key == "reader") t.comment = std::to_string(::syscall(SYS_gettid));
            if (key == "bad") out.error = "fake: " + value;
            if (key == "title") t.title = value;
            if (key == "artist") t.artists = split(value, '|');
            if (key == "album") t.album = value;
            if (key == "albumartist") t.album_artist = value;
            if (key == "mbid") t.mb_track = value;
            if (key == "albummbid") t.mb_album = value;
            if (key == "compilation") t.compilation = value == "1";
            if (key == "duration") t.duration = static_cast<int>(*parse_int(value));
            if (key == "genre") t.genres = split(value, '|');
            if (key == "bpm") t.bpm = *parse_double(value);
        }
        if (!out.error.empty()) return out;
        out.track = std::move(t);
        return out;
    }
};

}  // namespace sonique::test
