// User management: getUser, getUsers, createUser, updateUser, deleteUser, changePassword, and
// tokenInfo (apiKeyAuthentication). Administrators manage everyone; a user reads itself and
// changes its own password when it has the settings role.
#include "core/strings.hpp"
#include "folders.hpp"
#include "methods.hpp"
#include "services/user_folders.hpp"

namespace sonique::subsonic {
namespace {

// `stored`: the user's roots as UserFolders keeps them (nullopt: every root).
void write_user(Node& n, const services::User& u, const Config& config, int max_bit_rate,
                const std::optional<std::vector<std::string>>& stored) {
    const auto& r = u.roles;
    n.set("username", u.name)
        .set("email", u.email)
        .set("scrobblingEnabled", r.scrobble)
        .set("adminRole", r.admin)
        .set("settingsRole", r.settings)
        .set("downloadRole", r.download)
        .set("uploadRole", false)
        .set("playlistRole", r.playlist)
        .set("coverArtRole", r.cover_art)
        .set("commentRole", false)
        .set("podcastRole", false)
        .set("streamRole", r.stream)
        .set("jukeboxRole", false)
        .set("shareRole", false)
        .set("videoConversionRole", false);
    if (max_bit_rate > 0) n.set("maxBitRate", static_cast<int64_t>(max_bit_rate));
    // The music folders the user may see (createUser/updateUser musicFolderId).
    n.list("folder");
    for (const auto& f : visible_folders(config, stored))
        n.value_item("folder", f.id);
}

std::string password_param(const Call& call) {
    auto p = services::decode_subsonic_password(call.required("password"));
    if (!p) throw SubsonicError(kGeneric, "Parameter password: bad hex after enc:");
    return *p;
}

bool same_name(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

void get_user(Call& call, MethodEnv& env) {
    std::string name = call.required("username");
    if (!same_name(name, call.user->name)) call.require_admin();
    auto u = env.users.find(name);
    if (!u) throw SubsonicError(kNotFound, "User not found");
    auto rates = env.users.max_bit_rates();
    write_user(call.body.child("user"), *u, env.config, rates.count(u->id) ? rates[u->id] : 0,
               services::UserFolders(env.services).roots(u->id));
}

void get_users(Call& call, MethodEnv& env) {
    call.require_admin();
    auto users = env.users.list();
    auto rates = env.users.max_bit_rates();
    auto stored = services::UserFolders(env.services).all();
    Node& list = call.body.child("users");
    list.list("user");
    for (const auto& u : users) {
        auto it = stored.find(u.id);
        write_user(list.item("user"), u, env.config, rates.count(u.id) ? rates[u.id] : 0,
                   it == stored.end() ? std::nullopt
                                      : std::optional<std::vector<std::string>>(it->second));
    }
}

// maxBitRate (createUser, updateUser): one of the spec's legal values, in kbit/s; 0 is no cap.
// Stored for stream (migration 0013). Throws SubsonicError 0 for another value.
std::optional<int> max_bit_rate_param(const Call& call) {
    auto text = call.get("maxBitRate");
    if (!text) return std::nullopt;
    static const int kLegal[] = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
    auto n = parse_int(*text);
    for (int legal : kLegal)
        if (n && *n == legal) return legal;
    throw SubsonicError(kGeneric,
                        "Parameter maxBitRate must be 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, "
                        "160, 192, 224, 256 or 320");
}

void refuse_ldap(const Call& call) {
    if (call.boolean("ldapAuthenticated").value_or(false))
        throw SubsonicError(kGeneric, "Sonique has no LDAP authentication");
}

void create_user(Call& call, MethodEnv& env) {
    call.require_admin();
    std::string name = call.required("username");
    std::string password = password_param(call);
    std::string email = call.required("email");
    refuse_ldap(call);
    services::UserRoles r;
    r.admin = call.boolean("adminRole").value_or(r.admin);
    r.settings = call.boolean("settingsRole").value_or(r.settings);
    r.stream = call.boolean("streamRole").value_or(r.stream);
    r.download = call.boolean("downloadRole").value_or(r.download);
    r.playlist = call.boolean("playlistRole").value_or(r.playlist);
    r.cover_art = call.boolean("coverArtRole").value_or(r.cover_art);
    auto rate = max_bit_rate_param(call);
    auto roots = folder_roots_param(call, env.config);
    env.users.create(name, password, email, r);
    if (rate) env.users.set_max_bit_rate(name, *rate);
    if (roots) services::UserFolders(env.services).set(name, roots);
}

void update_user(Call& call, MethodEnv& env) {
    call.require_admin();
    std::string name = call.required("username");
    refuse_ldap(call);
    services::UserUpdate u;
    if (call.get("password")) u.password = password_param(call);
    u.email = call.get("email");
    u.admin = call.boolean("adminRole");
    u.settings = call.boolean("settingsRole");
    u.stream = call.boolean("streamRole");
    u.download = call.boolean("downloadRole");
    u.playlist = call.boolean("playlistRole");
    u.cover_art = call.boolean("coverArtRole");
    auto rate = max_bit_rate_param(call);
    auto roots = folder_roots_param(call, env.config);
    if (!env.users.update(name, u)) throw SubsonicError(kNotFound, "User not found");
    if (rate) env.users.set_max_bit_rate(name, *rate);
    if (roots) services::UserFolders(env.services).set(name, roots);
}

void delete_user(Call& call, MethodEnv& env) {
    call.require_admin();
    std::string name = call.required("username");
    if (same_name(name, call.user->name))
        throw SubsonicError(kGeneric, "An administrator cannot delete itself");
    if (!env.users.remove(name)) throw SubsonicError(kNotFound, "User not found");
}

void change_password(Call& call, MethodEnv& env) {
    std::string name = call.required("username");
    std::string password = password_param(call);
    if (!same_name(name, call.user->name))
        call.require_admin();
    else if (!call.user->roles.settings && !call.user->roles.admin)
        throw SubsonicError(kNotAuthorised, "User is not authorized for the given operation");
    if (!env.users.change_password(name, password))
        throw SubsonicError(kNotFound, "User not found");
}

}  // namespace

void add_user_methods(MethodTable& table) {
    table["getUser"] = {get_user, true};
    table["getUsers"] = {get_users, true};
    table["createUser"] = {create_user, true};
    table["updateUser"] = {update_user, true};
    table["deleteUser"] = {delete_user, true};
    table["changePassword"] = {change_password, true};
    table["tokenInfo"] = {[](Call& call, MethodEnv&) {
                              call.body.child("tokenInfo").set("username", call.user->name);
                          },
                          true};
}

}  // namespace sonique::subsonic
