// SettingsService: CRUD over the settings table, defaults, list values, encryption.
#include "services/settings.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "cover_shape.hpp"
#include "db/pool.hpp"
#include "settings_crypto.hpp"
#include "settings_files.hpp"

namespace sonique::services {
namespace {

const std::vector<std::string>& default_list(const std::string& key) {
    static const std::vector<std::string> album{"cover.jpg", "folder.jpg"};
    static const std::vector<std::string> artist{"folder.jpg", "fanart.jpg", "artist.jpg",
                                                 "artist.png", "folder.png"};
    return key == kAlbumCoverFiles ? album : artist;
}

// The default stored text of a key, or nullopt when the key has none.
std::optional<std::string> default_text(const std::string& key) {
    if (key == kAlbumCoverFiles || key == kArtistImageFiles) return Json(default_list(key)).dump();
    if (key == kMusicPathTemplate) return path_variables()["example"].get<std::string>();
    return std::nullopt;
}

std::string columns_sql() {
    return "id, key, value, description, is_encrypted, " + iso_ts_sql("date_added") + ", " +
           iso_ts_sql("date_modified");
}

// A stored text that is a JSON array comes back as that array.
Json value_json(const std::optional<std::string>& text) {
    if (!text) return nullptr;
    if (!text->empty() && text->front() == '[') {
        Json parsed = Json::parse(*text, nullptr, false);
        if (!parsed.is_discarded() && parsed.is_array()) return parsed;
    }
    return *text;
}

// The non-empty strings of a stored JSON array; nullopt when the key is absent, encrypted or
// not an array, or (strict) when an item is not a string.
std::optional<std::vector<std::string>> stored_list(const std::string& key,
                                                    const std::optional<std::string>& text,
                                                    bool strict) {
    Json value = value_json(text);
    if (!value.is_array()) {
        if (text) log::warn("setting ", key, " is not a JSON array of strings: ignored");
        return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& item : value) {
        if (strict && !item.is_string()) {
            log::warn("setting ", key, " holds a value that is not a string: ignored");
            return std::nullopt;
        }
        if (item.is_string() && !item.get<std::string>().empty())
            out.push_back(item.get<std::string>());
    }
    return out;
}

}  // namespace

ScanSettings scan_settings(db::Pool& pool) {
    const std::string keys[] = {kAlbumCoverFiles, kArtistImageFiles, kArtistSeparators,
                                kArtistSplitExceptions};
    std::optional<std::string> texts[4];
    {
        auto conn = pool.acquire();
        auto r = conn->exec(
            "SELECT key, value FROM settings WHERE key IN ($1, $2, $3, $4) AND NOT is_encrypted",
            db::Params(keys[0], keys[1], keys[2], keys[3]));
        for (int i = 0; i < r.rows(); ++i)
            for (int k = 0; k < 4; ++k)
                if (r.str(i, 0) == keys[k]) texts[k] = r.opt_str(i, 1);
    }
    auto files = [&](int k) {
        auto list = stored_list(keys[k], texts[k], false);
        return list && !list->empty() ? *list : default_list(keys[k]);
    };
    return ScanSettings{files(0), files(1), stored_list(keys[2], texts[2], true),
                        stored_list(keys[3], texts[3], true)};
}

std::optional<std::string> SettingsService::stored_value(const SettingInput& input) const {
    if (input.is_encrypted && ctx_.config.encryption_key.empty())
        throw bad_request(
            "Chiffrement impossible : aucune clé de chiffrement (ENCRYPTION_KEY) n'est configurée");
    if (input.value.is_null()) return std::nullopt;
    std::string text =
        input.value.is_string() ? input.value.get<std::string>() : input.value.dump();
    if (!input.is_encrypted) return text;
    return detail::encrypt_setting(text, ctx_.config.encryption_key);
}

Json SettingsService::shape(const db::Result& r, int row) const {
    std::optional<std::string> value = r.opt_str(row, 2);
    const bool encrypted = r.boolean(row, 4);
    if (encrypted && value) {
        const std::string key = r.str(row, 1);
        value = ctx_.config.encryption_key.empty()
                    ? std::nullopt
                    : detail::decrypt_setting(*value, ctx_.config.encryption_key);
        if (!value) log::warn("setting ", key, ": cannot decrypt (ENCRYPTION_KEY changed?)");
    }
    Json description = r.is_null(row, 3) ? Json(nullptr) : Json(r.str(row, 3));
    return Json{{"id", r.int64(row, 0)},         {"key", r.str(row, 1)},
                {"value", value_json(value)},    {"description", std::move(description)},
                {"is_encrypted", encrypted},     {"date_added", r.str(row, 5)},
                {"date_modified", r.str(row, 6)}};
}

void SettingsService::ensure_default(db::Connection& conn, const std::string& key) {
    auto text = default_text(key);
    if (!text) return;
    conn.exec(
        "INSERT INTO settings (key, value, description) VALUES ($1, $2, $3)"
        " ON CONFLICT (key) DO NOTHING",
        db::Params(key, *text, "System setting: " + key));
}

JsonText SettingsService::create(const SettingInput& input) {
    static const std::string sql =
        "INSERT INTO settings (key, value, description, is_encrypted) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (key) DO NOTHING RETURNING " +
        columns_sql();
    auto value = stored_value(input);
    auto conn = ctx_.pool.acquire();
    auto r = conn->exec(sql, db::Params(input.key, value, input.description, input.is_encrypted));
    if (r.empty()) throw bad_request("Clé existe déjà");
    return JsonText::from(shape(r, 0));
}

JsonText SettingsService::list() {
    static const std::string sql = "SELECT " + columns_sql() + " FROM settings ORDER BY id";
    auto conn = ctx_.pool.acquire();
    auto r = conn->exec(sql);
    Json out = Json::array();
    for (int row = 0; row < r.rows(); ++row)
        out.push_back(shape(r, row));
    return JsonText::from(out);
}

JsonText SettingsService::get(const std::string& key) {
    static const std::string sql = "SELECT " + columns_sql() + " FROM settings WHERE key = $1";
    auto conn = ctx_.pool.acquire();
    auto r = conn->exec(sql, db::Params(key));
    if (r.empty()) {
        ensure_default(*conn, key);
        r = conn->exec(sql, db::Params(key));
    }
    if (r.empty()) throw not_found("Paramètre non trouvé");
    return JsonText::from(shape(r, 0));
}

JsonText SettingsService::update(const std::string& key, const SettingInput& given) {
    static const std::string sql =
        "UPDATE settings SET value = $2, description = COALESCE($3, description), is_encrypted = "
        "$4,"
        " date_modified = now() WHERE key = $1 RETURNING " +
        columns_sql();
    auto conn = ctx_.pool.acquire();
    ensure_default(*conn, key);
    SettingInput input = given;
    if (!input.is_encrypted_given) {  // a PUT without the flag never decrypts a secret
        auto current =
            conn->exec("SELECT is_encrypted FROM settings WHERE key = $1", db::Params(key));
        if (current.empty()) throw not_found("Paramètre non trouvé");
        input.is_encrypted = current.boolean(0, 0);
    }
    auto value = stored_value(input);
    auto r = conn->exec(sql, db::Params(key, value, input.description, input.is_encrypted));
    if (r.empty()) throw not_found("Paramètre non trouvé");
    return JsonText::from(shape(r, 0));
}

}  // namespace sonique::services
