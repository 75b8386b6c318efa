// Which stream is sent (choose_transcode) and ffmpeg's arguments, without a server.
#include <gtest/gtest.h>

#include <algorithm>

#include "call.hpp"
#include "server/transcode.hpp"
#include "transcode_choice.hpp"

namespace sonique::subsonic {
namespace {

using server::TranscodeFormat;

StreamAsk ask(std::optional<std::string> format, int64_t cap = 0, int64_t user_cap = 0,
              int64_t offset = 0) {
    return {std::move(format), cap, user_cap, offset};
}

const SourceAudio kFlac{"flac", 900};
const SourceAudio kMp3{"mp3", 128};

TEST(TranscodeChoice, OriginalsWhenNothingAsksOtherwise) {
    EXPECT_FALSE(choose_transcode(ask(std::nullopt), kFlac));
    EXPECT_FALSE(choose_transcode(ask(""), kFlac));
    EXPECT_FALSE(choose_transcode(ask("raw", 32, 32), kFlac));
    EXPECT_FALSE(choose_transcode(ask("flac"), kFlac));
    EXPECT_FALSE(choose_transcode(ask("mp3", 192), kMp3));  // already mp3, under the cap
    EXPECT_FALSE(choose_transcode(ask(std::nullopt, 0, 0, 30), kFlac));  // offsets: transcodes
}

TEST(TranscodeChoice, FormatsCapsAndOffsets) {
    auto p = choose_transcode(ask("opus"), kFlac);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->format, TranscodeFormat::kOpus);
    EXPECT_EQ(p->bit_rate_kbps, 128);
    p = choose_transcode(ask("mp3"), kFlac);
    EXPECT_EQ(p->bit_rate_kbps, 192);
    p = choose_transcode(ask(std::nullopt, 96), kFlac);  // a cap alone: Opus at the cap
    EXPECT_EQ(p->format, TranscodeFormat::kOpus);
    EXPECT_EQ(p->bit_rate_kbps, 96);
    p = choose_transcode(ask("aac", 320, 64), kFlac);  // the lower cap wins
    EXPECT_EQ(p->format, TranscodeFormat::kAac);
    EXPECT_EQ(p->bit_rate_kbps, 64);
    p = choose_transcode(ask("mp3", 8), kFlac);  // clamped to the lowest rate
    EXPECT_EQ(p->bit_rate_kbps, 32);
    p = choose_transcode(ask("mp3", 0, 0, 42), kMp3);  // same format, but must start later
    ASSERT_TRUE(p);
    EXPECT_EQ(p->offset_s, 42);
    p = choose_transcode(ask(std::nullopt, 0, 64), SourceAudio{"flac", 0});  // unknown rate
    EXPECT_TRUE(p);
}

TEST(TranscodeChoice, UnknownFormatsAreRefused) {
    for (const char* f : {"wav", "OPUS", "-i", "mp3 ", "ogg"}) {
        try {
            choose_transcode(ask(f), kFlac);
            ADD_FAILURE() << f;
        } catch (const SubsonicError& e) {
            EXPECT_EQ(e.code(), kGeneric) << f;
        }
    }
}

TEST(TranscodeArguments, TheInputIsTheOpenedFileAndTheOffsetComesFirst) {
    server::TranscodePlan plan{TranscodeFormat::kMp3, 96, 30};
    auto a = server::ffmpeg_arguments(plan);
    auto at = [&](const std::string& s) { return std::find(a.begin(), a.end(), s) - a.begin(); };
    ASSERT_LT(at("-ss"), at("-i"));
    EXPECT_EQ(a[at("-ss") + 1], "30");
    EXPECT_EQ(a[at("-i") + 1], "file:/dev/fd/3");
    EXPECT_EQ(a[at("-b:a") + 1], "96k");
    EXPECT_EQ(a.back(), "pipe:1");
    plan.offset_s = 0;
    a = server::ffmpeg_arguments(plan);
    EXPECT_EQ(std::find(a.begin(), a.end(), "-ss"), a.end());
    EXPECT_EQ(server::estimated_length(10, {TranscodeFormat::kMp3, 192, 0}), 240000);
    EXPECT_EQ(server::estimated_length(10, {TranscodeFormat::kOpus, 128, 12}), 0);
}

TEST(TranscodeSlots, ALimitedCountReleasedWithTheSlots) {
    server::TranscodeSlots slots(2);
    auto a = slots.try_acquire();
    auto b = slots.try_acquire();
    ASSERT_TRUE(a && b);
    EXPECT_FALSE(slots.try_acquire());
    EXPECT_EQ(slots.in_use(), 2);
    a.reset();
    EXPECT_EQ(slots.in_use(), 1);
    auto c = slots.try_acquire();
    EXPECT_TRUE(c);
}

}  // namespace
}  // namespace sonique::subsonic
