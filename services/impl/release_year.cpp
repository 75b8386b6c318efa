// Release years as albums store them ("YYYY"), from what tags and clients write.
#include <regex>

#include "core/strings.hpp"
#include "services/albums.hpp"

namespace sonique::services {
namespace {

std::optional<std::string> two_digits(int v) {
    if (v < 0 || v > 99) return std::nullopt;
    return std::to_string(v <= 30 ? 2000 + v : 1900 + v);
}

}  // namespace

std::optional<std::string> normalize_release_year(const Json& value) {
    if (value.is_number_integer()) {
        int64_t v = value.get<int64_t>();
        if (v >= 1000 && v <= 9999) return std::to_string(v);
        if (v >= 0 && v <= 99) return two_digits(static_cast<int>(v));
        return std::nullopt;
    }
    if (!value.is_string()) return std::nullopt;
    static const std::regex year_first(R"(^(\d{4})(?:[-/.]\d{1,2}(?:[-/.]\d{1,2})?|[-T ].*)?$)");
    static const std::regex year_last(R"(^\d{1,2}[-/.]\d{1,2}[-/.](\d{4})$)");
    static const std::regex yy(R"(^(\d{2})$)");
    std::string s = trim(value.get<std::string>());
    std::smatch m;
    if (std::regex_match(s, m, year_first) || std::regex_match(s, m, year_last)) return m[1].str();
    if (std::regex_match(s, m, yy)) return two_digits(std::stoi(m[1].str()));
    return std::nullopt;
}

}  // namespace sonique::services
