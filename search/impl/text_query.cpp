#include "search/text_query.hpp"

#include "core/strings.hpp"

namespace sonique::search {

size_t utf8_length(std::string_view text) {
    size_t n = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

std::optional<std::string> normalise_query(std::string_view text) {
    std::string q = trim(text);
    size_t chars = 0;
    for (size_t i = 0; i < q.size(); ++i) {
        if ((static_cast<unsigned char>(q[i]) & 0xC0) == 0x80) continue;
        if (chars++ == kMaxQueryChars) {
            q.resize(i);
            q = trim(q);
            break;
        }
    }
    if (q.empty()) return std::nullopt;
    return q;
}

}  // namespace sonique::search
