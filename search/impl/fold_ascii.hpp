#pragma once
// sonique_fold and sonique_search_key (migrations 0001 and 0015) for printable ASCII text, so
// that most typeahead queries need no statement. unaccent maps no ASCII character, lower() maps
// A-Z to a-z, and the key's regular expressions reduce to: blanks before a leading article (or
// "l'") and the article dropped, then every blank and ASCII punctuation mark removed. The
// typeahead index checks this against PostgreSQL at every load (typeahead_index.cpp) and folds in
// PostgreSQL when they differ. Private to search/.
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace sonique::search {

// {folded, key} of text, or nullopt when text holds anything but printable ASCII (0x20..0x7E).
// Throws nothing (std::bad_alloc aside); any thread.
std::optional<std::pair<std::string, std::string>> fold_ascii(std::string_view text);

// Texts whose folds exercise every rule above: every printable character, articles with and
// without a following blank, "l'".
const char* const* fold_probes();

}  // namespace sonique::search
