#pragma once
// The *tags* space (docs/search.md): latent semantic analysis of the library's own tags. Each
// entity (an artist, a track) is a document of weighted tags; a tag gives terms (its words, and
// the whole tag when it has several words); TF-IDF weights them; a truncated SVD of the
// document-term matrix, computed from the library, maps every term to `dimension` values. A
// document's vector, and a free-text query's, are the sum of their terms' TF-IDF weights times
// the terms' rows of that basis, so that "dreamy shoegaze" lands beside the artists tagged so.
// No model is downloaded: everything comes from the library's statistics.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sonique::search {

// One document: its entity id and (folded tag, weight) pairs (a tag may repeat: weights add).
struct TagDocument {
    int64_t id = 0;
    std::vector<std::pair<std::string, double>> tags;
};

// The terms of a folded tag or query (lower case, no accents): its words (split at anything
// but letters and digits of any script), and for several words the adjacent pairs and the
// whole of it, joined by single blanks. "dream pop" -> dream, pop, "dream pop". Throws nothing
// but std::bad_alloc; any thread.
std::vector<std::string> tag_terms(std::string_view folded);

class TagModel {
  public:
    // Fits the vocabulary, IDF and basis to docs. Deterministic (a fixed seed): the same
    // documents give the same model. dimension > 0. Throws std::invalid_argument for a
    // non-positive dimension. Any thread.
    static TagModel fit(const std::vector<TagDocument>& docs, int dimension);
    // Reads what serialise() wrote; nullopt for anything else. Throws nothing.
    static std::optional<TagModel> deserialise(std::string_view bytes);
    std::string serialise() const;

    int dimension() const noexcept { return dimension_; }
    size_t terms() const noexcept { return idf_.size(); }

    // A document's vector (not normalised; all zeros when none of its terms is known).
    std::vector<float> embed(const std::vector<std::pair<std::string, double>>& tags) const;
    // A folded query's vector: its terms (tag_terms) weighted once each.
    std::vector<float> embed_query(std::string_view folded) const;

  private:
    int dimension_ = 0;
    std::map<std::string, uint32_t, std::less<>> index_;  // term -> row
    std::vector<float> idf_;                              // per row
    std::vector<float> basis_;                            // rows of `dimension_` values
    std::vector<float> project(const std::map<uint32_t, double>& weights) const;
};

// The top `k` right singular vectors V of the sparse matrix whose row d holds the (column,
// value) pairs rows[d], `columns` columns wide: `columns` rows of k values, row after row
// (directions beyond the matrix's rank are zero). With columns <= k, the identity (exact).
// Deterministic (a fixed seed). Throws nothing but std::bad_alloc; any thread.
std::vector<float> truncated_svd_basis(
    const std::vector<std::vector<std::pair<uint32_t, double>>>& rows, size_t columns, int k);

}  // namespace sonique::search
