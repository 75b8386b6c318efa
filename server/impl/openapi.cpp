#include "core/embedded.hpp"
#include "core/log.hpp"
#include "server/routes.hpp"

namespace sonique {
std::span<const EmbeddedFile> openapi_files();
}

namespace sonique::server {
namespace {

// Merges the "paths" and "components" of every fragment into the base document.
Json assemble() {
    Json doc = Json::object();
    for (const auto& f : openapi_files()) {
        Json part = Json::parse(f.data);
        for (auto& [key, value] : part.items()) {
            if (key == "paths" || key == "components") {
                for (auto& [k, v] : value.items()) {
                    if (key == "components")
                        doc[key][k].update(v);
                    else
                        doc[key][k].update(v);
                }
            } else {
                doc[key] = value;
            }
        }
    }
    return doc;
}

}  // namespace

const Json& openapi_document() {
    static const Json doc = assemble();
    return doc;
}

}  // namespace sonique::server
