// The LRC reader of the songLyrics answers: time tags in their forms, several per line, offsets,
// metadata, word times, and plain text that is not LRC.
#include <gtest/gtest.h>

#include "lyrics.hpp"

namespace sonique::subsonic {
namespace {

std::vector<std::pair<int64_t, std::string>> timed(const Lyrics& l) {
    std::vector<std::pair<int64_t, std::string>> out;
    for (const auto& line : l.lines)
        out.emplace_back(line.start_ms.value_or(-1), line.text);
    return out;
}

TEST(Lrc, TimeTagsInEveryFormGiveMilliseconds) {
    Lyrics l = parse_lyrics(
        "[00:01]one\n[00:02.5]two\n[00:03.25]three\n[00:04.125]four\n[01:05:50]five\n"
        "[100:00.00]long");
    EXPECT_TRUE(l.synced);
    using P = std::pair<int64_t, std::string>;
    EXPECT_EQ(timed(l), (std::vector<P>{{1000, "one"},
                                        {2500, "two"},
                                        {3250, "three"},
                                        {4125, "four"},
                                        {65500, "five"},
                                        {6000000, "long"}}));
}

TEST(Lrc, SeveralTimesOnOneLineRepeatItAndLinesAreSortedByTime) {
    Lyrics l = parse_lyrics("[00:20.50][00:01.00]Chorus\r\n[00:10.00]Verse\n[00:10.00]Same time");
    using P = std::pair<int64_t, std::string>;
    EXPECT_EQ(timed(l),
              (std::vector<P>{
                  {1000, "Chorus"}, {10000, "Verse"}, {10000, "Same time"}, {20500, "Chorus"}}));
}

TEST(Lrc, MetadataAndOffsetTagsAreRead) {
    Lyrics l = parse_lyrics(
        "[ar: The Cure ]\n[ti:Plainsong]\n[al:Disintegration]\n[by:someone]\n[la:en]\n"
        "[offset:+250]\n[00:01.00]Plainsong");
    EXPECT_EQ(l.artist, "The Cure");
    EXPECT_EQ(l.title, "Plainsong");
    EXPECT_EQ(l.lang, "en");
    EXPECT_EQ(l.offset_ms, 250);
    ASSERT_EQ(l.lines.size(), 1u);
    EXPECT_EQ(parse_lyrics("[offset:-1200]\n[00:01]x").offset_ms, -1200);
    EXPECT_EQ(parse_lyrics("[offset:soon]\n[00:01]x").offset_ms, 0);
}

TEST(Lrc, WordTimesAreDroppedAndEmptyTimedLinesKept) {
    Lyrics l = parse_lyrics("[00:01.00]<00:01.00>Hello <00:01.50>world <b>\n[00:05.00]\n");
    using P = std::pair<int64_t, std::string>;
    EXPECT_EQ(timed(l), (std::vector<P>{{1000, "Hello world <b>"}, {5000, ""}}));
}

TEST(Lrc, PlainTextIsUnsyncedLineByLine) {
    Lyrics l = parse_lyrics("\nFirst line\r\n\n[Chorus]\n[Verse 1: Alice] sings\nLast\n\n");
    EXPECT_FALSE(l.synced);
    using P = std::pair<int64_t, std::string>;
    EXPECT_EQ(timed(l), (std::vector<P>{{-1, "First line"},
                                        {-1, ""},
                                        {-1, "[Chorus]"},
                                        {-1, "[Verse 1: Alice] sings"},
                                        {-1, "Last"}}));
    EXPECT_EQ(plain_lyrics(l), "First line\n\n[Chorus]\n[Verse 1: Alice] sings\nLast");
}

TEST(Lrc, BrokenTagsAreNotTimes) {
    // Seconds past two digits, letters, a fraction past milliseconds, an unclosed bracket.
    Lyrics l = parse_lyrics("[00:123]a\n[aa:bb]b\n[00:01.1234]c\n[00:01 d");
    EXPECT_FALSE(l.synced);
    EXPECT_EQ(l.lines.size(), 3u) << plain_lyrics(l);  // "[aa:bb]" is a tag line
    EXPECT_TRUE(parse_lyrics("").lines.empty());
}

}  // namespace
}  // namespace sonique::subsonic
