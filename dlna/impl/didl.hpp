#pragma once
// DIDL-Lite documents (ContentDirectory:1 §2.8, DLNA 1.5 7.3): containers and music tracks,
// with the properties Filter asks for, URLs absolute under the request's base URL.
#include <set>
#include <string>
#include <vector>

#include "catalog.hpp"

namespace sonique::dlna {

// The properties a Browse or Search asked for ("*": every one). Names as in the standard:
// "dc:creator", "upnp:albumArtURI", "res", "res@size", ...
class PropertyFilter {
  public:
    explicit PropertyFilter(const std::string& filter);
    bool wants(const std::string& property) const;

  private:
    bool all_ = false;
    std::set<std::string> names_;
};

// "H:MM:SS.mmm" (res@duration).
std::string didl_duration(int64_t seconds);

// The document for these entries. Any thread.
std::string write_didl(const std::vector<Entry>& entries, const PropertyFilter& filter,
                       const std::string& base_url);

}  // namespace sonique::dlna
