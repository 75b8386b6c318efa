#pragma once
// What the scanner knows about one audio file: where it is (FileEntry) and what its tags and
// audio properties say (TrackInfo). Plain data, no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "imaging/cover_image.hpp"

namespace sonique::scanner {

// A file found by discovery. size and mtime decide whether it must be read again.
struct FileEntry {
    std::string path;  // absolute, symlinks of folders kept as found under the root
    int64_t size = 0;
    double mtime = 0;                     // seconds since the epoch, with sub-second precision
    std::string sidecar;                  // a ".lrc" or ".txt" beside the file, or empty
    std::optional<double> sidecar_mtime;  // its mtime: a change of it is a change of the file
};

// A cover image already normalised (WebP that fits 256x256): imaging's own type, so that the
// scanner stores what imaging made without copying it field by field.
using CoverImage = imaging::NormalisedImage;

using OptStr = std::optional<std::string>;

struct TrackInfo {
    FileEntry file;
    std::string title;
    std::vector<std::string> artists;       // in tag order, never empty after fallbacks
    std::vector<std::string> artist_mbids;  // MUSICBRAINZ_ARTISTID values, same order
    std::string album_artist;               // empty: none in the tags
    OptStr album;
    bool compilation = false;
    OptStr track_number, disc_number;  // raw text, e.g. "3/12"
    std::optional<int> track_total, disc_total;
    OptStr date, original_date;
    std::vector<std::string> genres, moods;
    std::optional<double> bpm;
    OptStr key, scale;
    // AcousticBrainz-style values found in tags, in audio_features column order.
    std::optional<double> danceability, mood_happy, mood_aggressive, mood_party, mood_relaxed,
        instrumental, acoustic, tonal;
    OptStr mb_track, mb_recording, mb_album, mb_album_artist, mb_release_group, acoustid;
    OptStr isrc, composer, comment, lyrics;
    OptStr title_sort, artist_sort, album_sort, album_artist_sort;
    std::optional<double> rg_track_gain, rg_track_peak, rg_album_gain, rg_album_peak;
    std::optional<int> duration, bitrate, sample_rate, channels, bit_depth;
    std::string mime_type;
    std::string picture;                     // raw embedded picture bytes (reader output)
    std::optional<CoverImage> album_cover;   // after normalisation (embedded or folder)
    std::optional<CoverImage> artist_image;  // from the album artist's folder
    std::string cover_source;                // path of the image file, or "embedded"
    std::string artist_image_source;         // path of artist_image's file
};

// A problem worth recording without failing the file (e.g. a corrupt cover).
struct FileWarning {
    std::string path;
    std::string reason;
};

// The result of reading one file: a track, or the reason it could not be read.
struct ReadOutcome {
    std::optional<TrackInfo> track;
    std::string error;  // set when track is empty
    // The failure may not be the file's (it could not be opened, no reader could start): it is
    // not remembered, so the file is read again by the next scan even when unchanged.
    bool transient = false;
    std::vector<FileWarning> warnings;
};

}  // namespace sonique::scanner
