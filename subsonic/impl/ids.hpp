#pragma once
// Subsonic ids: strings that tell the entity kinds apart ("ar-12", "al-5", "tr-9", "ge-3",
// playlists "pl-4", internet radio stations "ra-2") and
// stay stable across rescans (the database ids: the scanner updates rows in place by path).
// A client that sends an album's id to getArtist gets "not found" (70), never another artist.
// services/impl/subsonic_catalog.cpp writes the same prefixes in its SQL.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sonique::subsonic {

enum class IdKind { kArtist, kAlbum, kTrack, kGenre, kPlaylist, kRadio };

std::string make_id(IdKind kind, int64_t id);
// The database id in `text` when it is an id of `kind`; nullopt otherwise (another kind, no
// prefix, not a positive decimal integer, leading zeros, overflow).
std::optional<int64_t> parse_id(std::string_view text, IdKind kind);

}  // namespace sonique::subsonic
