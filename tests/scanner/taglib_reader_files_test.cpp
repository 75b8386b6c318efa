// The TagLib reader on files the test tags itself: how multi-valued ARTISTS are read, and that
// reading opens files read-only (a read-write open ends in an inotify IN_CLOSE_WRITE, which
// `serve --watch` would take for a change).
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/inotify.h>
#include <taglib/fileref.h>
#include <taglib/tpropertymap.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "discovery.hpp"
#include "scanner/demo_library.hpp"
#include "scanner/tag_reader.hpp"
#include "support/test_env.hpp"

namespace sonique::scanner {
namespace {
namespace fs = std::filesystem;
using V = std::vector<std::string>;

class TaggedFiles : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("sonique-tagged-" + test::unique_suffix());
        DemoOptions o;
        o.files = 3;  // an MP3, a FLAC and a WAV
        o.missing_percent = 0;
        ASSERT_EQ(generate_library(dir_, o), 3u);
        for (const auto& f : discover(dir_, {}).files)
            if (f.path.ends_with(".flac")) flac_ = f;
        ASSERT_FALSE(flac_.path.empty());
    }
    void TearDown() override { fs::remove_all(dir_); }
    // Replaces the FLAC's values of key.
    void tag(const char* key, const V& values) {
        TagLib::FileRef f(flac_.path.c_str());
        ASSERT_FALSE(f.isNull());
        TagLib::StringList list;
        for (const auto& v : values)
            list.append(TagLib::String(v, TagLib::String::UTF8));
        auto props = f.file()->properties();
        props.replace(key, list);
        f.file()->setProperties(props);
        ASSERT_TRUE(f.save());
    }
    TrackInfo read() {
        auto reader = make_taglib_reader(SplitRules{});
        ReadOutcome o = reader->read(flac_);
        EXPECT_TRUE(o.track) << o.error;
        return o.track ? *o.track : TrackInfo{};
    }
    std::string dir_;
    FileEntry flac_;
};

// Several ARTISTS values are the artists as tagged: not split again on the separators, so they
// still pair with the MusicBrainz artist ids.
TEST_F(TaggedFiles, MultiValuedArtistsAreTakenAsTagged) {
    tag("ARTIST", {"Hall & Oates feat. Third One"});
    tag("ARTISTS", {" Hall / Oates ", "", "Third One"});
    tag("MUSICBRAINZ_ARTISTID", {"id-hall-oates", "id-third"});
    TrackInfo t = read();
    EXPECT_EQ(t.artists, (V{"Hall / Oates", "Third One"}));
    EXPECT_EQ(t.artist_mbids, (V{"id-hall-oates", "id-third"}));
}

// One ARTISTS value may be a list joined by a tagger (formats without multi-values): it is split
// like ARTIST, exceptions included.
TEST_F(TaggedFiles, SingleArtistsValueIsSplitLikeArtist) {
    tag("ARTISTS", {"Alice; AC/DC"});
    EXPECT_EQ(read().artists, (V{"Alice", "AC/DC"}));
    tag("ARTISTS", {});
    tag("ARTIST", {"Bob / Carol"});
    EXPECT_EQ(read().artists, (V{"Bob", "Carol"}));
}

// Replaces the first occurrence of from (same length) in the file's bytes.
void patch(const std::string& path, const std::string& from, const std::string& to) {
    ASSERT_EQ(from.size(), to.size());
    std::ifstream in(path, std::ios::binary);
    std::string bytes{std::istreambuf_iterator<char>(in), {}};
    in.close();
    auto at = bytes.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    bytes.replace(at, from.size(), to);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// Latin-1 (Windows-1252) written into Vorbis comments, which must be UTF-8: TagLib drops such a
// value; it is read again from the comment block, the key's other values kept in order.
TEST_F(TaggedFiles, Latin1VorbisCommentsAreReadAsWindows1252) {
    tag("TITLE", {"Cafe Night"});
    tag("ARTIST", {"Zoe", "Bjork", "Plain"});
    tag("ALBUM", {"Plain UTF-8 \xc3\xa9"});
    patch(flac_.path, "Cafe Night", "Caf\xe9 Night");
    patch(flac_.path, "Bjork", "Bj\xf6rk");
    patch(flac_.path, "Zoe", "Zo\x80");  // the euro sign in Windows-1252
    TrackInfo t = read();
    EXPECT_EQ(t.title, "Café Night");
    EXPECT_EQ(t.artists, (V{"Zo€", "Björk", "Plain"}));  // the valid value kept, in order
    EXPECT_EQ(t.album, "Plain UTF-8 é");
}

TEST_F(TaggedFiles, Latin1InOggVorbisAndOpusComments) {
    for (const char* name : {"test.ogg", "correctness_gain_silent_output.opus"}) {
        std::string path = dir_ + "/" + name;
        fs::copy_file(test::fixtures_dir() + "/odd-audio/" + name, path);
        {
            TagLib::FileRef f(path.c_str());
            ASSERT_FALSE(f.isNull()) << name;
            auto props = f.file()->properties();
            props.replace("TITLE", TagLib::StringList(TagLib::String("Cafe Night")));
            f.file()->setProperties(props);
            ASSERT_TRUE(f.save()) << name;
        }
        patch(path, "Cafe Night", "Caf\xe9 Night");
        ReadOutcome o = make_taglib_reader(SplitRules{})->read(FileEntry{path, 0, 0, {}, {}});
        ASSERT_TRUE(o.track) << name << ": " << o.error;
        EXPECT_EQ(o.track->title, "Café Night") << name;
    }
}

TEST_F(TaggedFiles, ReadingOpensFilesReadOnly) {
    int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    ASSERT_GE(fd, 0);
    auto files = discover(dir_, {}).files;
    for (const auto& f : files)
        ASSERT_GE(::inotify_add_watch(fd, f.path.c_str(), IN_CLOSE_WRITE | IN_CLOSE_NOWRITE), 0);
    auto reader = make_taglib_reader(SplitRules{});
    for (const auto& f : files)
        ASSERT_TRUE(reader->read(f).track) << f.path;
    int writes = 0, reads = 0;
    alignas(inotify_event) char buf[4096];
    pollfd p{fd, POLLIN, 0};
    while (::poll(&p, 1, 100) > 0) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) break;
        for (char* at = buf; at < buf + n;) {
            auto* ev = reinterpret_cast<inotify_event*>(at);
            at += sizeof(inotify_event) + ev->len;
            writes += (ev->mask & IN_CLOSE_WRITE) != 0;
            reads += (ev->mask & IN_CLOSE_NOWRITE) != 0;
        }
    }
    ::close(fd);
    EXPECT_EQ(writes, 0) << "a file was opened for writing";
    EXPECT_GE(reads, static_cast<int>(files.size()));
}

}  // namespace
}  // namespace sonique::scanner
