// The only file that includes simdjson.h (it is expensive to compile).
#include <simdjson.h>

#include "core/error.hpp"
#include "core/json.hpp"

namespace sonique {
namespace {

Json convert(simdjson::dom::element el) {
    using T = simdjson::dom::element_type;
    switch (el.type()) {
        case T::ARRAY: {
            Json out = Json::array();
            for (auto child : el.get_array())
                out.push_back(convert(child));
            return out;
        }
        case T::OBJECT: {
            Json out = Json::object();
            for (auto field : el.get_object())
                out[std::string(field.key)] = convert(field.value);
            return out;
        }
        case T::INT64:
            return Json(int64_t(el.get_int64()));
        case T::UINT64:
            return Json(uint64_t(el.get_uint64()));
        case T::DOUBLE:
            return Json(double(el.get_double()));
        case T::STRING:
            return Json(std::string(std::string_view(el.get_string())));
        case T::BOOL:
            return Json(bool(el.get_bool()));
        case T::NULL_VALUE:
            return Json(nullptr);
    }
    return Json(nullptr);
}

}  // namespace

Json parse_json(std::string_view text) {
    thread_local simdjson::dom::parser parser;
    simdjson::padded_string padded(text);
    simdjson::dom::element root;
    auto err = parser.parse(padded).get(root);
    if (err) {
        throw ValidationError({"body", "0"},
                              std::string("JSON decode error: ") + simdjson::error_message(err),
                              "json_invalid");
    }
    return convert(root);
}

std::string dump_json(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace sonique
