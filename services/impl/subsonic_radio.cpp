// Internet radio stations: a client plays their URL itself, so only http(s) URLs are stored
// (never file:, javascript: or a path on the server).
#include "services/subsonic_radio.hpp"

#include "core/error.hpp"
#include "core/strings.hpp"
#include "db/pool.hpp"

namespace sonique::services {
namespace {

void check_url(const std::string& url, const char* what) {
    std::string lower = to_lower(url.substr(0, 8));
    size_t host = lower.starts_with("http://") ? 7 : lower.starts_with("https://") ? 8 : 0;
    bool ok = host > 0 && url.size() > host && url.size() <= 2048 &&
              std::string_view("/?#@:").find(url[host]) == std::string_view::npos;
    for (unsigned char c : url)
        ok = ok && c > 0x20 && c != 0x7f;
    if (!ok)
        throw bad_request(std::string(what) +
                          " must be an http:// or https:// URL with a host, without blanks");
}

void check(const RadioStation& s) {
    size_t chars = 0;
    for (unsigned char c : s.name)
        chars += (c & 0xC0) != 0x80;
    if (s.name.find_first_not_of(" \t\r\n") == std::string::npos)
        throw bad_request("A station's name must not be empty");
    if (chars > 500) throw bad_request("A station's name has at most 500 characters");
    check_url(s.stream_url, "streamUrl");
    if (s.home_page_url && !s.home_page_url->empty()) check_url(*s.home_page_url, "homepageUrl");
}

std::optional<std::string> home(const RadioStation& s) {
    if (!s.home_page_url || s.home_page_url->empty()) return std::nullopt;
    return s.home_page_url;
}

}  // namespace

JsonText SubsonicRadio::list() {
    return JsonText(
        ctx_.pool.acquire()
            ->exec("SELECT json_build_object('internetRadioStation', COALESCE(json_agg("
                   "json_strip_nulls(json_build_object('id', 'ra-' || id, 'name', name, "
                   "'streamUrl', stream_url, 'homePageUrl', home_page_url)) ORDER BY lower(name), "
                   "id), '[]'::json)) FROM radio_stations")
            .str(0, 0));
}

int64_t SubsonicRadio::create(const RadioStation& s) {
    check(s);
    return ctx_.pool.acquire()
        ->exec(
            "INSERT INTO radio_stations (name, stream_url, home_page_url) VALUES ($1, $2, $3) "
            "RETURNING id",
            db::Params(s.name, s.stream_url, home(s)))
        .int64(0, 0);
}

bool SubsonicRadio::update(int64_t id, const RadioStation& s) {
    check(s);
    return ctx_.pool.acquire()
               ->exec(
                   "UPDATE radio_stations SET name = $2, stream_url = $3, home_page_url = $4 "
                   "WHERE id = $1",
                   db::Params(id, s.name, s.stream_url, home(s)))
               .affected() > 0;
}

bool SubsonicRadio::remove(int64_t id) {
    return ctx_.pool.acquire()
               ->exec("DELETE FROM radio_stations WHERE id = $1", db::Params(id))
               .affected() > 0;
}

}  // namespace sonique::services
