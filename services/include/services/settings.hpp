#pragma once
// Settings (api-contract.md §12): key/value rows, list values as JSON arrays, optional encryption
// (libsodium secretbox, key derived from ENCRYPTION_KEY), defaults created on first read.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "core/json_text.hpp"
#include "services/context.hpp"

namespace sonique::db {
class Connection;
class Result;
}  // namespace sonique::db

namespace sonique::services {

// Keys with built-in defaults.
inline constexpr const char* kAlbumCoverFiles = "album_cover_files";
inline constexpr const char* kArtistImageFiles = "artist_image_files";
inline constexpr const char* kMusicPathTemplate = "music_path_template";
// Optional (never created on read): JSON arrays of strings that replace the scanner's defaults
// for splitting ARTIST and GENRE tags, and the names never split (such as "AC/DC").
inline constexpr const char* kArtistSeparators = "artist_separators";
inline constexpr const char* kArtistSplitExceptions = "artist_split_exceptions";

// The body of POST /api/settings/ and PUT /api/settings/{key}, already validated.
struct SettingInput {
    std::string key;
    Json value;  // string, array or null
    std::optional<std::string> description;
    bool is_encrypted = false;
    bool is_encrypted_given = false;  // absent on PUT: the stored flag is kept
};

// {"{artist}": description, ...} and the example template.
Json path_variables();
// Known variables only, balanced braces, relative, no "." or ".." segment, no empty segment.
bool valid_path_template(std::string_view tmpl);

class SettingsService {
  public:
    explicit SettingsService(ServiceContext& ctx) : ctx_(ctx) {}
    // Throws bad_request("Clé existe déjà"), bad_request when is_encrypted and no key.
    JsonText create(const SettingInput& input);
    JsonText list();
    // Creates a default on first read; throws not_found("Paramètre non trouvé").
    JsonText get(const std::string& key);
    // Replaces value and is_encrypted, and description when given. Throws not_found
    // (a default key is created first), bad_request when is_encrypted and no key.
    JsonText update(const std::string& key, const SettingInput& input);

  private:
    std::optional<std::string> stored_value(const SettingInput& input) const;
    Json shape(const db::Result& r, int row) const;
    void ensure_default(db::Connection& conn, const std::string& key);
    ServiceContext& ctx_;
};

}  // namespace sonique::services
