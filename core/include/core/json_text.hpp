#pragma once
// A JSON document that is already serialised: what every service read returns, whether
// PostgreSQL built it (json_agg, json_build_object) or dump_json() wrote it. The HTTP layer sends
// it as it is (server::answer), so a read is never parsed and written again on its way out.
#include <string>
#include <utility>

#include "core/json.hpp"

namespace sonique {

struct JsonText {
    std::string text;

    JsonText() = default;
    explicit JsonText(std::string serialised) : text(std::move(serialised)) {}
    // Serialises a tree (invalid UTF-8 replaced, as dump_json does).
    static JsonText from(const Json& value) { return JsonText(dump_json(value)); }
};

}  // namespace sonique
