#pragma once
// Internet radio stations of the OpenSubsonic API (docs/subsonic.md): shared by every user,
// edited by administrators (the caller checks the role). Ids: "ra-<id>".
#include <cstdint>
#include <optional>
#include <string>

#include "core/json_text.hpp"
#include "services/context.hpp"

namespace sonique::services {

struct RadioStation {
    std::string name;
    std::string stream_url;
    std::optional<std::string> home_page_url;  // empty or missing: none
};

// Every method may be called from any thread; each throws Error (kUnavailable) when the
// database is down, and create and update throw bad_request for an empty or too long name
// (500 characters) or a URL that is not http(s)://host... (no blanks or control characters,
// at most 2048 bytes).
class SubsonicRadio {
  public:
    explicit SubsonicRadio(ServiceContext& ctx) : ctx_(ctx) {}

    // {"internetRadioStation": [...]} by name whatever its case, then id.
    JsonText list();
    int64_t create(const RadioStation& station);
    // False when there is no such station.
    bool update(int64_t id, const RadioStation& station);
    bool remove(int64_t id);

  private:
    ServiceContext& ctx_;
};

}  // namespace sonique::services
