// DSF, DSDIFF and ADTS AAC, which TagLib 1.13 does not read: the fixtures' properties, tags in
// an ID3v2 tag where each format keeps it (written here with TagLib into copies of the
// fixtures), and truncated copies, which must be read or refused without a crash.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <taglib/attachedpictureframe.h>
#include <taglib/id3v2tag.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "scanner/tag_reader.hpp"
#include "support/test_env.hpp"

namespace sonique::scanner {
namespace {
namespace fs = std::filesystem;

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void put_le64(std::string& s, size_t at, uint64_t v) {
    for (int i = 0; i < 8; ++i)
        s[at + i] = static_cast<char>(v >> (8 * i));
}

void put_be64(std::string& s, size_t at, uint64_t v) {
    for (int i = 0; i < 8; ++i)
        s[at + i] = static_cast<char>(v >> (8 * (7 - i)));
}

// An ID3v2.4 tag with a title, two artists, an album and a front cover.
std::string id3v2_tag() {
    TagLib::ID3v2::Tag tag;
    tag.setTitle(TagLib::String("Ünder Tag", TagLib::String::UTF8));
    tag.setArtist("Band A");
    tag.setAlbum("DSD Album");
    tag.setTrack(3);
    auto* pic = new TagLib::ID3v2::AttachedPictureFrame;
    pic->setType(TagLib::ID3v2::AttachedPictureFrame::FrontCover);
    pic->setMimeType("image/png");
    pic->setPicture(TagLib::ByteVector("not really a png", 16));
    tag.addFrame(pic);
    auto data = tag.render();
    return {data.data(), data.size()};
}

class DsdAdts : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("sonique-dsd-" + test::unique_suffix());
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    static std::string fixture(const std::string& name) {
        return slurp(test::fixtures_dir() + "/odd-audio/" + name);
    }
    std::string write(const std::string& name, const std::string& bytes) {
        std::string path = dir_ + "/" + name;
        std::ofstream(path, std::ios::binary) << bytes;
        return path;
    }
    static ReadOutcome read(const std::string& path) {
        return make_taglib_reader(SplitRules{})->read(FileEntry{path, 0, 0, {}, {}});
    }
    static void expect_tagged(const ReadOutcome& o) {
        ASSERT_TRUE(o.track) << o.error;
        EXPECT_EQ(o.track->title, "Ünder Tag");
        EXPECT_EQ(o.track->artists, std::vector<std::string>{"Band A"});
        EXPECT_EQ(o.track->album, "DSD Album");
        EXPECT_EQ(o.track->track_number, "3");
        EXPECT_EQ(o.track->picture, "not really a png");
    }

    std::string dir_;
};

TEST_F(DsdAdts, FixturesReadWithTheirProperties) {
    for (const char* name : {"empty10ms.dsf", "empty10ms.dff"}) {
        ReadOutcome o = read(test::fixtures_dir() + "/odd-audio/" + name);
        ASSERT_TRUE(o.track) << name << ": " << o.error;
        EXPECT_EQ(o.track->sample_rate, 2822400) << name;  // DSD64
        EXPECT_EQ(o.track->channels, 2) << name;
        EXPECT_EQ(o.track->bit_depth, 1) << name;
        EXPECT_EQ(o.track->bitrate, 5644) << name;
        EXPECT_EQ(o.track->duration, 0) << name;  // 10 ms
        EXPECT_EQ(o.track->title, "") << name;    // no tag (the file name comes later)
    }
    ReadOutcome o = read(test::fixtures_dir() + "/odd-audio/empty1s.aac");
    ASSERT_TRUE(o.track) << o.error;
    EXPECT_EQ(o.track->sample_rate, 11025);
    EXPECT_EQ(o.track->channels, 1);
    EXPECT_EQ(o.track->duration, 1);
    EXPECT_EQ(o.track->mime_type, "audio/aac");
}

// TagLib takes an ADTS stream named .mp3 for an MPEG file with no sample rate or length.
TEST_F(DsdAdts, AdtsNamedMp3GetsItsProperties) {
    ReadOutcome o = read(write("misnamed.mp3", fixture("empty1s.aac")));
    ASSERT_TRUE(o.track) << o.error;
    EXPECT_EQ(o.track->sample_rate, 11025);
    EXPECT_EQ(o.track->duration, 1);
}

TEST_F(DsdAdts, DsfTagAtItsMetadataOffset) {
    std::string bytes = fixture("empty10ms.dsf");
    const uint64_t at = bytes.size();
    bytes += id3v2_tag();
    put_le64(bytes, 12, bytes.size());  // total file size
    put_le64(bytes, 20, at);            // pointer to the metadata chunk
    expect_tagged(read(write("tagged.dsf", bytes)));
}

TEST_F(DsdAdts, DffTagInItsId3Chunk) {
    std::string bytes = fixture("empty10ms.dff");
    std::string tag = id3v2_tag();
    std::string chunk = "ID3 " + std::string(8, '\0') + tag;
    put_be64(chunk, 4, tag.size());
    if (tag.size() % 2) chunk += '\0';
    bytes += chunk;
    put_be64(bytes, 4, bytes.size() - 12);  // FRM8 size
    expect_tagged(read(write("tagged.dff", bytes)));
}

TEST_F(DsdAdts, AacTagBeforeItsFrames) {
    std::string bytes = id3v2_tag() + fixture("empty1s.aac");
    ReadOutcome o = read(write("tagged.aac", bytes));
    expect_tagged(o);
    EXPECT_EQ(o.track->duration, 1);
    EXPECT_EQ(o.track->sample_rate, 11025);
}

// Every cut of each file is read or refused, never a crash or a hang (each read runs in a child
// process with an alarm); the cuts that keep the headers still read.
TEST_F(DsdAdts, TruncatedCopiesReadOrFailCleanly) {
    for (const char* name : {"empty10ms.dsf", "empty10ms.dff", "empty1s.aac"}) {
        const std::string bytes = fixture(name);
        ASSERT_FALSE(bytes.empty()) << name;
        const std::string ext = fs::path(name).extension().string();
        for (size_t cut = 0; cut < bytes.size(); cut += cut < 200 ? 1 : 97) {
            std::string path = write("cut" + ext, bytes.substr(0, cut));
            pid_t pid = fork();
            if (pid == 0) {
                alarm(10);
                ReadOutcome o = read(path);
                _exit(o.track || !o.error.empty() ? 0 : 3);
            }
            int status = 0;
            waitpid(pid, &status, 0);
            ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
                << name << " cut at " << cut << ": status " << status;
        }
        EXPECT_TRUE(read(write("whole" + ext, bytes)).track) << name;
    }
    // Headers kept, sound data cut: still a track.
    EXPECT_TRUE(read(write("half.dsf", fixture("empty10ms.dsf").substr(0, 200))).track);
    EXPECT_TRUE(read(write("half.dff", fixture("empty10ms.dff").substr(0, 300))).track);
}

// Reads path in a child process with an alarm: true when it ended (read or refused) in time.
bool reads_in_time(const std::string& path) {
    pid_t pid = fork();
    if (pid == 0) {
        alarm(5);
        ReadOutcome o = make_taglib_reader(SplitRules{})->read(FileEntry{path, 0, 0, {}, {}});
        _exit(o.track || !o.error.empty() ? 0 : 3);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// 64-bit sizes and offsets set to extremes, and a header followed by nothing but zeros: each
// file is read or refused in time (a size added to a position once overflowed into a loop).
TEST_F(DsdAdts, HostileSizesEndQuickly) {
    const uint64_t extremes[] = {0x7FFFFFFFFFFFFFFFULL,
                                 0xFFFFFFFFFFFFFFFFULL,
                                 0x7FFFFFFFFFFFFFE8ULL,
                                 0x8000000000000000ULL,
                                 0,
                                 1};
    const std::string dff = fixture("empty10ms.dff"), dsf = fixture("empty10ms.dsf");
    ASSERT_GE(dff.size(), 130u);
    ASSERT_GE(dsf.size(), 72u);
    for (uint64_t v : extremes) {
        for (size_t at : {4, 20, 36, 122}) {  // FRM8, FVER, PROP and DSD sizes
            std::string m = dff;
            put_be64(m, at, v);
            EXPECT_TRUE(reads_in_time(write("x.dff", m))) << at << " " << v;
        }
        for (size_t at : {4, 12, 20, 32, 64}) {  // sizes, metadata offset, sample count
            std::string m = dsf;
            put_le64(m, at, v);
            EXPECT_TRUE(reads_in_time(write("x.dsf", m))) << at << " " << v;
        }
        // Two chunks whose sizes, added, wrap around to the start of the file.
        std::string two = "FRM8" + std::string(8, '\0') + "DSD " + "XXXX" + std::string(8, '\0') +
                          "YYYY" + std::string(8, '\0') + std::string(28, '\0');
        put_be64(two, 4, 100);
        put_be64(two, 20, v);
        put_be64(two, 32, 0x7FFFFFFFFFFFFFE8ULL);
        EXPECT_TRUE(reads_in_time(write("two.dff", two))) << v;
    }
    std::string zeros = dff.substr(0, 16) + std::string(8 << 20, '\0');
    put_be64(zeros, 4, zeros.size() - 12);
    EXPECT_TRUE(reads_in_time(write("zeros.dff", zeros)));
    std::string id3 = "ID3\x04\x00\x10\x7f\x7f\x7f\x7f" + fixture("empty1s.aac");
    EXPECT_TRUE(reads_in_time(write("id3.aac", id3)));
}

// Mutated copies (random bytes, and header sizes and offsets set to extremes) are read or refused
// cleanly, in this process: a crash fails the suite (the ASan build catches overreads).
TEST_F(DsdAdts, MutatedCopiesReadOrFailCleanly) {
    std::mt19937 rng(20261122);
    for (const char* name : {"empty10ms.dsf", "empty10ms.dff", "empty1s.aac"}) {
        const std::string bytes = fixture(name);
        const std::string ext = fs::path(name).extension().string();
        for (int round = 0; round < 400; ++round) {
            std::string m = bytes;
            const size_t span = std::min<size_t>(m.size(), 160);  // mostly the headers
            const int changes = 1 + static_cast<int>(rng() % 8);
            for (int i = 0; i < changes; ++i) {
                const size_t at = rng() % (round % 4 == 0 ? m.size() : span);
                m[at] = static_cast<char>(round % 3 == 0 ? 0xFF : rng());
            }
            ReadOutcome o = read(write("m" + ext, m));
            EXPECT_TRUE(o.track || !o.error.empty()) << name << " round " << round;
            EXPECT_GE(o.track ? o.track->duration.value_or(0) : 0, 0) << name << " round " << round;
        }
    }
}

}  // namespace
}  // namespace sonique::scanner
