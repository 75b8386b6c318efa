// Synchronised lyrics: SYLT frames of an MP3's ID3v2 tag are read as LRC text (what the lyrics
// column stores and getLyricsBySongId parses into synced lines), and win over unsynced lyrics.
#include <gtest/gtest.h>
#include <taglib/id3v2tag.h>
#include <taglib/mpegfile.h>
#include <taglib/synchronizedlyricsframe.h>
#include <taglib/unsynchronizedlyricsframe.h>

#include <filesystem>

#include "discovery.hpp"
#include "scanner/demo_library.hpp"
#include "scanner/tag_reader.hpp"
#include "support/test_env.hpp"

namespace sonique::scanner {
namespace {
namespace fs = std::filesystem;
using Sylt = TagLib::ID3v2::SynchronizedLyricsFrame;

class SyncedLyrics : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("sonique-sylt-" + test::unique_suffix());
        DemoOptions o;
        o.files = 3;  // an MP3, a FLAC and a WAV
        o.missing_percent = 0;
        ASSERT_EQ(generate_library(dir_, o), 3u);
        for (const auto& f : discover(dir_, {}).files)
            if (f.path.ends_with(".mp3")) mp3_ = f;
        ASSERT_FALSE(mp3_.path.empty());
    }
    void TearDown() override { fs::remove_all(dir_); }

    // Adds a SYLT frame of `type` with these (ms, text) entries to the MP3.
    void add_sylt(Sylt::Type type, Sylt::TimestampFormat format,
                  const std::vector<std::pair<unsigned, std::string>>& lines) {
        TagLib::MPEG::File f(mp3_.path.c_str());
        ASSERT_TRUE(f.isValid());
        auto* frame = new Sylt(TagLib::String::UTF8);
        frame->setType(type);
        frame->setTimestampFormat(format);
        frame->setLanguage("eng");
        Sylt::SynchedTextList list;
        for (const auto& [ms, text] : lines)
            list.append(Sylt::SynchedText(ms, TagLib::String(text, TagLib::String::UTF8)));
        frame->setSynchedText(list);
        f.ID3v2Tag(true)->addFrame(frame);
        ASSERT_TRUE(f.save(TagLib::MPEG::File::ID3v2));
    }
    void add_uslt(const std::string& text) {
        TagLib::MPEG::File f(mp3_.path.c_str());
        auto* frame = new TagLib::ID3v2::UnsynchronizedLyricsFrame(TagLib::String::UTF8);
        frame->setText(TagLib::String(text, TagLib::String::UTF8));
        f.ID3v2Tag(true)->addFrame(frame);
        ASSERT_TRUE(f.save(TagLib::MPEG::File::ID3v2));
    }
    std::optional<std::string> lyrics() {
        auto reader = make_taglib_reader(SplitRules{});
        ReadOutcome o = reader->read(mp3_);
        EXPECT_TRUE(o.track) << o.error;
        return o.track ? o.track->lyrics : std::nullopt;
    }
    std::string dir_;
    FileEntry mp3_;
};

TEST_F(SyncedLyrics, SyltFramesAreReadAsLrcAndWinOverUnsyncedLyrics) {
    add_uslt("Plain words");
    EXPECT_EQ(lyrics(), "Plain words");
    // A leading line break (the usual SYLT way to start a line) is dropped; empty texts too;
    // minutes past 99 keep their digits.
    add_sylt(Sylt::Lyrics, Sylt::AbsoluteMilliseconds,
             {{1500, "First line"}, {62000, "\nSecond ünïcode"}, {70000, "  "}, {6000000, "Late"}});
    EXPECT_EQ(lyrics(), "[00:01.50]First line\n[01:02.00]Second ünïcode\n[100:00.00]Late\n");
}

TEST_F(SyncedLyrics, TimesInMpegFramesAreNotRead) {
    add_uslt("Plain words");
    add_sylt(Sylt::Lyrics, Sylt::AbsoluteMpegFrames, {{10, "Frames"}});
    EXPECT_EQ(lyrics(), "Plain words");
}

TEST_F(SyncedLyrics, AnotherKindIsTakenWhenNoFrameIsLyrics) {
    add_sylt(Sylt::TextTranscription, Sylt::AbsoluteMilliseconds, {{0, "Spoken"}});
    EXPECT_EQ(lyrics(), "[00:00.00]Spoken\n");
    add_sylt(Sylt::Lyrics, Sylt::AbsoluteMilliseconds, {{250, "Sung"}});
    EXPECT_EQ(lyrics(), "[00:00.25]Sung\n");
}

}  // namespace
}  // namespace sonique::scanner
