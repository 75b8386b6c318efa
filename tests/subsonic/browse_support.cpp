#include "browse_support.hpp"

#include <gtest/gtest.h>

#include "db/pool.hpp"

namespace sonique::test {
namespace {

// Ids 1..: the server's database is its own. Track 4 lies right in the first root, track 5 in
// the second; track 6 lies outside every root (written by hand, as the REST API may).
constexpr const char* kCatalog = R"sql(
INSERT INTO artists (id, name, sort_name, musicbrainz_artistid, lastfm_info) VALUES
  (1, 'The Cure', 'Cure, The', 'mb-cure', '{"url": "https://www.last.fm/music/The+Cure",
   "bio": {"summary": "An English rock band."}, "listeners": 12,
   "image": [{"#text": "https://img/s.jpg", "size": "small"},
             {"#text": "https://img/m.jpg", "size": "medium"},
             {"#text": "https://img/l.jpg", "size": "large"}]}'),
  (2, 'Adele', NULL, NULL, NULL), (3, 'Narrator', NULL, NULL, NULL),
  (4, 'Guest', NULL, NULL, NULL), (5, 'Elsewhere', NULL, NULL, NULL);
INSERT INTO albums (id, title, album_artist_id, release_year, musicbrainz_albumid) VALUES
  (1, 'Disintegration', 1, '1989', 'mb-disintegration'), (2, '21', 2, '2011', NULL),
  (3, 'Tales', 3, NULL, NULL), (4, 'Outside', 5, NULL, NULL);
INSERT INTO tracks (id, title, path, track_artist_id, album_id, track_number, disc_number,
                    year, original_date, duration, lyrics) VALUES
  (1, 'Plainsong', '/srv/lib/Music/The Cure/Disintegration/01 Plainsong.flac', 1, 1, '1', '1',
   '1989-05-02', '1989-05-02', 312,
   E'[ar:The Cure]\n[offset:+250]\n[00:01.00][00:20.50]Plainsong\n[00:10.5]Sometimes'),
  (2, 'Pictures of You', '/srv/lib/Music/The Cure/Disintegration/02 Pictures.flac', 1, 1, '2',
   '1', '1989', NULL, 447, E'I''ve been looking so long\n\nat these pictures of you'),
  (3, 'Rolling in the Deep', '/srv/lib/Music/Adele/21/01 Rolling.mp3', 2, 2, '1', NULL, '2011',
   NULL, 228, NULL),
  (4, 'Loose', '/srv/lib/Music/loose.mp3', 2, NULL, NULL, NULL, NULL, NULL, 100, NULL),
  (5, 'Chapter One', '/srv/lib/Spoken/Narrator/Tales/01 Chapter.mp3', 3, 3, '1', NULL, NULL,
   NULL, 600, NULL),
  (6, 'Far Away', '/srv/elsewhere/far.mp3', 5, 4, NULL, NULL, NULL, NULL, 60, NULL);
INSERT INTO track_artists (track_id, artist_id, position) VALUES (1, 1, 0), (1, 4, 1);
INSERT INTO artist_similar (artist_id, similar_artist_id, weight, source) VALUES
  (1, 2, 0.9, 'lastfm'), (1, 3, 0.5, 'manual'), (2, 1, 0.8, 'lastfm');
INSERT INTO audio_features (track_id, bpm, from_tags) VALUES (1, 121.6, true);
INSERT INTO mood_tags (id, name) VALUES (1, 'melancholic'), (2, 'dreamy');
INSERT INTO track_mood_tags (track_id, tag_id) VALUES (1, 1), (1, 2);
SELECT setval('artists_id_seq', 100), setval('albums_id_seq', 100),
       setval('tracks_id_seq', 100);
)sql";

SubsonicServer* g_browse = nullptr;

class BrowseServerEnvironment : public ::testing::Environment {
  public:
    void SetUp() override {
        g_browse = new SubsonicServer("subsonic_browse", false, {kMusicRoot, kSpokenRoot});
        g_browse->server().runtime().services().pool.acquire()->exec_script(kCatalog);
        Json r = g_browse->json("createUser", as_admin() + Query{{"username", kBobName},
                                                                 {"password", kBobPassword},
                                                                 {"email", "bob@example.org"},
                                                                 {"musicFolderId", "2"}});
        ASSERT_EQ(r["status"], "ok") << r.dump();
    }
    void TearDown() override {
        delete g_browse;
        g_browse = nullptr;
    }
};

[[maybe_unused]] ::testing::Environment* const g_environment =
    ::testing::AddGlobalTestEnvironment(new BrowseServerEnvironment);

}  // namespace

SubsonicServer& browse_server() {
    return *g_browse;
}

Query as_bob() {
    return {{"u", kBobName}, {"p", kBobPassword}};
}

}  // namespace sonique::test
