#pragma once
// The tag reader interface. The TagLib implementation is the only code that includes TagLib;
// scanner logic is tested with fakes.
#include <memory>
#include <string>
#include <vector>

#include "scanner/track_info.hpp"

namespace sonique::scanner {

class TagReader {
  public:
    virtual ~TagReader() = default;
    // Reads tags and audio properties of file. Returns an outcome with error set when the file
    // is not a readable audio file; never throws for a bad file. May be called from any thread,
    // one call at a time per instance.
    virtual ReadOutcome read(const FileEntry& file) = 0;
};

// How multi-valued text is split when a format stores it as one value.
struct SplitRules {
    std::vector<std::string> separators{";", " / ", "/", " feat. ", " ft. ", " featuring ", "\\\\"};
    std::vector<std::string> exceptions{"AC/DC", "AC;DC", "Earth, Wind & Fire"};
};

std::unique_ptr<TagReader> make_taglib_reader(SplitRules rules);

// The extensions (lower case, without dot) that TagLib 1.13 reads.
const std::vector<std::string>& audio_extensions();

}  // namespace sonique::scanner
