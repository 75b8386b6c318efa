#pragma once
// DSF, DSDIFF (.dff) and ADTS AAC (.aac), which TagLib 1.13 does not read (TagLib 2 reads the
// first two): their headers are parsed here, and their ID3v2 tag, when they carry one, is read
// by TagLib's own ID3v2 code at its offset. Only included by the TagLib reader.
#include <taglib/id3v2tag.h>
#include <taglib/tfile.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace sonique::scanner::taglib_extras {

struct StreamInfo {
    int64_t length_ms = 0;
    int bitrate_kbps = 0;
    int sample_rate = 0;
    int channels = 0;
    std::optional<int> bit_depth;  // 1 for DSD
};

class DsdAdtsFile : public TagLib::File {
  public:
    // The file on stream when its content is DSF, DSDIFF or ADTS AAC (whatever its extension),
    // else nullptr. The stream must outlive the file.
    static std::unique_ptr<DsdAdtsFile> open(TagLib::IOStream* stream);
    ~DsdAdtsFile() override;

    // The ID3v2 tag (empty when the file has none).
    TagLib::ID3v2::Tag* tag() const override { return tag_.get(); }
    // nullptr: lengthInSeconds() is not virtual in TagLib 1.x, so the figures are in info().
    TagLib::AudioProperties* audioProperties() const override { return nullptr; }
    bool save() override { return false; }
    const StreamInfo& info() const { return info_; }

  private:
    explicit DsdAdtsFile(TagLib::IOStream* stream) : TagLib::File(stream) {}
    bool read_dsf();
    bool read_dff();
    bool read_adts();
    void read_tag_at(long offset);

    StreamInfo info_;
    std::unique_ptr<TagLib::ID3v2::Tag> tag_;
};

}  // namespace sonique::scanner::taglib_extras
