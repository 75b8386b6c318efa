#pragma once
// Files compiled into the binary by cmake/Embed.cmake (migrations, OpenAPI fragments, assets).
#include <span>
#include <string_view>

namespace sonique {

struct EmbeddedFile {
    std::string_view name;
    std::string_view data;
};

}  // namespace sonique
