// The scan pipeline's entities against a real PostgreSQL with a fake tag reader: artists in
// order, compilations, one artist named twice, batches of hundreds of new artists and albums,
// albums of one batch resolved as one at a time would, folder compilations.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "pipeline_fixture.hpp"

namespace sonique::test {
namespace {

TEST_F(Pipeline, ImportsEntitiesWithArtistsInOrderAndCompilations) {
    file("A/One/01.mp3",
         "title=First\nartist=Alice|Bob\nalbum=One\nalbumartist=Alice\ngenre=Rock|Pop\nbpm=120");
    file("A/One/02.mp3", "title=Second\nartist=alice\nalbum=ONE\nalbumartist=Alice");
    file("Comp/03.flac", "title=C1\nartist=Carol\nalbum=Hits\ncompilation=1");
    file("Comp/04.flac", "title=C2\nartist=Dave\nalbum=Hits\ncompilation=1");
    file("Comp/05.flac", "title=C3\nartist=Beyoncé\nalbum=Hits\ncompilation=1");
    file("Comp/06.flac", "title=C4\nartist=Beyonce\nalbum=Hits\ncompilation=1");
    file("Comp/cover.txt", "not audio");
    auto s = scan();
    EXPECT_EQ(s.found, 6);
    EXPECT_EQ(s.added, 6);
    EXPECT_EQ(count("SELECT count(*) FROM tracks"), 6);
    // Alice (case-insensitive), Bob, Carol, Dave, Beyoncé (accent-insensitive), Various Artists.
    EXPECT_EQ(count("SELECT count(*) FROM artists"), 6);
    EXPECT_EQ(count("SELECT count(*) FROM albums"), 2);
    EXPECT_EQ(count("SELECT count(*) FROM albums al JOIN artists a ON a.id = al.album_artist_id "
                    "WHERE a.name = 'Various Artists' AND al.is_compilation"),
              1);
    auto order = conn_->exec(
        "SELECT a.name FROM track_artists ta JOIN artists a ON a.id = ta.artist_id "
        "JOIN tracks t ON t.id = ta.track_id WHERE t.title = 'First' ORDER BY ta.position");
    ASSERT_EQ(order.rows(), 2);
    EXPECT_EQ(order.str(0, 0), "Alice");
    EXPECT_EQ(order.str(1, 0), "Bob");
    EXPECT_EQ(count("SELECT count(*) FROM track_genres"), 2);
    EXPECT_EQ(count("SELECT count(*) FROM audio_features WHERE bpm = 120"), 1);
}

// Features read from tags follow the file: replaced when it changes, removed when its tags no
// longer have any. Features written through the API (from_tags false) are never touched.
TEST_F(Pipeline, FeaturesFromTagsFollowTheFileAndThoseOfTheApiStay) {
    file("A/1.mp3", "title=One\nartist=Alice\nbpm=120");
    file("A/2.mp3", "title=Two\nartist=Alice\nbpm=90");
    ASSERT_EQ(scan().added, 2);
    EXPECT_EQ(count("SELECT count(*) FROM audio_features WHERE from_tags"), 2);
    // An analyser's figures for Two, through the API (services/impl/audio_features.cpp).
    conn_->exec(
        "UPDATE audio_features SET danceability = 0.5, from_tags = false WHERE track_id = "
        "(SELECT id FROM tracks WHERE title = 'Two')");
    reread_ = true;  // the files change below without a new size or mtime guarantee
    file("A/1.mp3", "title=One\nartist=Alice\nbpm=128");
    file("A/2.mp3", "title=Two\nartist=Alice\nbpm=100");
    ASSERT_EQ(scan().updated, 2);
    EXPECT_EQ(count("SELECT bpm FROM audio_features f JOIN tracks t ON t.id = f.track_id "
                    "WHERE t.title = 'One'"),
              128);
    EXPECT_EQ(count("SELECT bpm FROM audio_features f JOIN tracks t ON t.id = f.track_id "
                    "WHERE t.title = 'Two'"),
              90);
    file("A/1.mp3", "title=One\nartist=Alice");
    file("A/2.mp3", "title=Two\nartist=Alice");
    ASSERT_EQ(scan().updated, 2);
    EXPECT_EQ(count("SELECT count(*) FROM audio_features f JOIN tracks t ON t.id = f.track_id "
                    "WHERE t.title = 'One'"),
              0);
    EXPECT_EQ(count("SELECT count(*) FROM audio_features f JOIN tracks t ON t.id = f.track_id "
                    "WHERE t.title = 'Two' AND danceability = 0.5 AND bpm = 90"),
              1);
}

// Two spellings of one artist on one track: one link, at the first position; the next artist
// follows it.
TEST_F(Pipeline, OneArtistNamedTwiceOnATrackIsLinkedOnce) {
    file("A/01.mp3", "title=Duet\nartist=Beyoncé|BEYONCE|Carol\nalbum=X\nalbumartist=Carol");
    ASSERT_EQ(scan().added, 1);
    auto r = conn_->exec(
        "SELECT a.name, ta.position FROM track_artists ta JOIN artists a ON a.id = ta.artist_id "
        "ORDER BY ta.position");
    ASSERT_EQ(r.rows(), 2);
    EXPECT_EQ(r.str(0, 0), "Beyoncé");
    EXPECT_EQ(r.str(1, 0), "Carol");
    EXPECT_EQ(r.int64(1, 1), 1);
}

TEST_F(Pipeline, BatchOfHundredsOfNewArtistsAndAlbumsResolvesEachOnce) {
    // 250 artists, each under two spellings, in one batch: more than one pipeline of lookups.
    for (int i = 0; i < 500; ++i) {
        std::string n = std::to_string(i % 250);
        std::string artist = i < 250 ? "Artist " + n : "ARTIST " + n;
        file("L/" + std::to_string(i) + ".mp3", "title=T" + std::to_string(i) +
                                                    "\nartist=" + artist + "\nalbum=Album " + n +
                                                    "\nalbumartist=" + artist);
    }
    file("L/Various/a.mp3", "title=V1\nartist=Artist 1\nalbum=Mix\ncompilation=1");
    file("L/Various/b.mp3", "title=V2\nartist=Artist 2\nalbum=Mix\ncompilation=1");
    auto s = scan(std::chrono::milliseconds(5000), 1000);
    EXPECT_EQ(s.added, 502);
    EXPECT_EQ(count("SELECT count(*) FROM artists"), 251);  // and Various Artists
    EXPECT_EQ(count("SELECT count(*) FROM albums"), 251);
    // Every track points at the artist and album its tags name.
    EXPECT_EQ(count("SELECT count(*) FROM tracks t JOIN artists a ON a.id = t.track_artist_id "
                    "JOIN albums al ON al.id = t.album_id JOIN artists aa ON aa.id = "
                    "al.album_artist_id WHERE t.title NOT LIKE 'V%' AND lower(a.name) = "
                    "'artist ' || (substr(t.title, 2)::int % 250) AND al.title = 'Album ' || "
                    "(substr(t.title, 2)::int % 250) AND aa.id = a.id"),
              500);
    EXPECT_EQ(count("SELECT count(*) FROM tracks t JOIN albums al ON al.id = t.album_id "
                    "JOIN artists aa ON aa.id = al.album_artist_id WHERE al.title = 'Mix' "
                    "AND aa.name = 'Various Artists' AND al.is_compilation"),
              2);
}

// A batch's albums are looked up and created together, with the outcome of looking them up one
// at a time in the batch's order: a later track finds an album an earlier one created, by
// MusicBrainz id or by (album artist, title), and an existing album keeps precedence.
TEST_F(Pipeline, AlbumsOfOneBatchResolveAsOneAtATime) {
    file("Old/01.mp3", "title=Old1\nartist=Alice\nalbum=Old\nalbumartist=Alice");
    ASSERT_EQ(scan().added, 1);
    file("Old/02.mp3", "title=Old2\nartist=Alice\nalbum=OLD\nalbumartist=Alice\nalbummbid=m1");
    // One folder is read in name order: 01 creates "New" (m2), 02 finds it by title, 03 by id.
    file("B/01.mp3", "title=New1\nartist=Bob\nalbum=New\nalbumartist=Bob\nalbummbid=m2");
    file("B/02.mp3", "title=New2\nartist=Bob\nalbum=NEW\nalbumartist=Bob");
    file("B/03.mp3", "title=New3\nartist=Carol\nalbum=Other\nalbumartist=Carol\nalbummbid=m2");
    // Same artist and title, two release ids: two albums.
    file("D/01.mp3", "title=Twin1\nartist=Dan\nalbum=Twin\nalbumartist=Dan\nalbummbid=m3");
    file("D/02.mp3", "title=Twin2\nartist=Dan\nalbum=Twin\nalbumartist=Dan\nalbummbid=m4");
    // Without an id, then with one: the second finds the first by title.
    file("E/01.mp3", "title=Solo1\nartist=Eve\nalbum=Solo\nalbumartist=Eve");
    file("E/02.mp3", "title=Solo2\nartist=Eve\nalbum=solo\nalbumartist=Eve\nalbummbid=m5");
    // Titles equal for PostgreSQL's lower(), which the in-batch matching must follow.
    file("F/01.mp3", "title=Ete1\nartist=Fay\nalbum=ÉTÉ\nalbumartist=Fay");
    file("F/02.mp3", "title=Ete2\nartist=Fay\nalbum=été\nalbumartist=Fay");
    ASSERT_EQ(scan().added, 10);
    auto album_of = [&](const std::string& title) {
        return count("SELECT album_id FROM tracks WHERE title = '" + title + "'");
    };
    EXPECT_EQ(album_of("Old2"), album_of("Old1"));
    EXPECT_EQ(album_of("New2"), album_of("New1"));
    EXPECT_EQ(album_of("New3"), album_of("New1"));
    EXPECT_NE(album_of("Twin2"), album_of("Twin1"));
    EXPECT_EQ(album_of("Solo2"), album_of("Solo1"));
    bool same_lower = conn_->exec("SELECT lower('ÉTÉ') = lower('été')").boolean(0, 0);
    EXPECT_EQ(album_of("Ete2") == album_of("Ete1"), same_lower);
    // Old, New, Twin x2, Solo, and one or two "été".
    EXPECT_EQ(count("SELECT count(*) FROM albums"), same_lower ? 6 : 7);
}

TEST_F(Pipeline, FolderCompilationAndTaggedTracksOfOneFolderAreOneAlbum) {
    // Tracks 01-05 name no album artist and differ in artist (a compilation found by folder);
    // 06-10 say they are a compilation. One "Now 42" under Various Artists, in either order.
    for (int i = 1; i <= 10; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "%02d.mp3", i);
        std::string tags = "title=T" + std::to_string(i) + "\nartist=Artist " + std::to_string(i) +
                           "\nalbum=Now 42";
        file(std::string("Now42/") + name, tags + (i > 5 ? "\ncompilation=1" : ""));
        file(std::string("Now43/") + name,
             tags.replace(tags.find("Now 42"), 6, "Now 43") + (i <= 5 ? "\ncompilation=1" : ""));
    }
    EXPECT_EQ(scan().added, 20);
    for (const char* title : {"Now 42", "Now 43"}) {
        auto r = conn_->exec(
            "SELECT count(DISTINCT al.id), min(a.name), bool_and(al.is_compilation) FROM tracks t "
            "JOIN albums al ON al.id = t.album_id JOIN artists a ON a.id = al.album_artist_id "
            "WHERE al.title = $1",
            db::Params(std::string(title)));
        EXPECT_EQ(r.int64(0, 0), 1) << title;
        EXPECT_EQ(r.str(0, 1), "Various Artists") << title;
        EXPECT_TRUE(r.boolean(0, 2)) << title;
    }
    EXPECT_EQ(count("SELECT count(*) FROM albums"), 2);
}

// A folder of untagged tracks by several artists (a compilation found by folder) never takes an
// artist's own album of the same title from another folder, whichever is read first, in one
// batch or across scans.
TEST_F(Pipeline, AFolderCompilationLeavesAnArtistsAlbumOfTheSameTitleAlone) {
    // The album artists, album count and compilation flag of a folder's tracks.
    auto albums_of = [&](const std::string& dir) {
        return conn_->exec(
            "SELECT string_agg(DISTINCT a.name, ','), count(DISTINCT al.id), bool_and("
            "al.is_compilation) FROM tracks t JOIN albums al ON al.id = t.album_id JOIN artists a "
            "ON a.id = al.album_artist_id WHERE starts_with(t.path, $1)",
            db::Params((root_ / dir).string() + "/"));
    };
    auto check = [&](const std::string& own, const std::string& comp) {
        auto r = albums_of(own);
        EXPECT_EQ(r.str(0, 0), "X") << own;
        EXPECT_EQ(r.int64(0, 1), 1) << own;
        EXPECT_FALSE(r.boolean(0, 2)) << own;
        r = albums_of(comp);
        EXPECT_EQ(r.str(0, 0), "Various Artists") << comp;
        EXPECT_EQ(r.int64(0, 1), 1) << comp;
        EXPECT_TRUE(r.boolean(0, 2)) << comp;
        EXPECT_EQ(count("SELECT count(*) FROM albums WHERE title = 'Greatest Hits'"), 2);
        EXPECT_EQ(count("SELECT count(*) FROM albums al WHERE NOT EXISTS (SELECT 1 FROM tracks "
                        "t WHERE t.album_id = al.id)"),
                  0);
    };
    auto own_album = [&](const std::string& dir) {
        file(dir + "/01.mp3", "title=X1\nartist=X\nalbum=Greatest Hits");
        file(dir + "/02.mp3", "title=X2\nartist=X\nalbum=Greatest Hits");
    };
    auto compilation = [&](const std::string& dir) {
        file(dir + "/01.mp3", "title=C1\nartist=X\nalbum=Greatest Hits");
        file(dir + "/02.mp3", "title=C2\nartist=Y\nalbum=Greatest Hits");
    };
    own_album("a_x_hits");  // read first
    compilation("b_comp");
    EXPECT_EQ(scan().added, 4);
    check("a_x_hits", "b_comp");

    TearDown();
    SetUp();  // the compilation read first
    compilation("a_comp");
    own_album("b_x_hits");
    EXPECT_EQ(scan().added, 4);
    check("b_x_hits", "a_comp");

    TearDown();
    SetUp();  // the artist's album imported by an earlier scan
    own_album("a_x_hits");
    EXPECT_EQ(scan().added, 2);
    compilation("b_comp");
    EXPECT_EQ(scan().added, 2);
    check("a_x_hits", "b_comp");
}

}  // namespace
}  // namespace sonique::test
