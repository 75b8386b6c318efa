// TF-IDF over the library's tag terms, reduced by a truncated SVD (tag_svd.cpp): docs/search.md.
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "search/tag_model.hpp"

namespace sonique::search {
namespace {

constexpr std::string_view kMagic = "SONIQUE-TAGS1\n";

bool word_byte(unsigned char c) {
    // Bytes of multi-byte UTF-8 characters count as letters: other scripts are kept as written.
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

template <typename T>
void put(std::string& out, T value) {
    char buf[sizeof(T)];
    std::memcpy(buf, &value, sizeof(T));
    out.append(buf, sizeof(T));
}

template <typename T>
bool take(std::string_view& in, T& value) {
    if (in.size() < sizeof(T)) return false;
    std::memcpy(&value, in.data(), sizeof(T));
    in.remove_prefix(sizeof(T));
    return true;
}

}  // namespace

std::vector<std::string> tag_terms(std::string_view folded) {
    std::vector<std::string> words;
    std::string word;
    for (char ch : folded) {
        if (word_byte(static_cast<unsigned char>(ch))) {
            word += ch;
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    std::vector<std::string> terms = words;
    for (size_t i = 0; i + 1 < words.size(); ++i)
        terms.push_back(words[i] + " " + words[i + 1]);
    if (words.size() > 2) {
        std::string all = words[0];
        for (size_t i = 1; i < words.size(); ++i)
            all += " " + words[i];
        terms.push_back(std::move(all));
    }
    return terms;
}

TagModel TagModel::fit(const std::vector<TagDocument>& docs, int dimension) {
    if (dimension <= 0) throw std::invalid_argument("tag space dimension must be positive");
    TagModel m;
    m.dimension_ = dimension;
    // Term frequencies per document, and document frequencies.
    std::vector<std::map<std::string, double>> tf(docs.size());
    for (size_t d = 0; d < docs.size(); ++d)
        for (const auto& [tag, weight] : docs[d].tags)
            for (auto& term : tag_terms(tag))
                tf[d][term] += weight;
    std::map<std::string, size_t> df;
    for (const auto& doc : tf)
        for (const auto& entry : doc)
            ++df[entry.first];
    uint32_t row = 0;
    for (const auto& [term, count] : df) {
        m.index_.emplace(term, row++);
        // Smoothed IDF: a term in every document still weighs 1, never 0.
        m.idf_.push_back(static_cast<float>(
            std::log((1.0 + docs.size()) / (1.0 + static_cast<double>(count))) + 1.0));
    }
    // Rows of TF-IDF, each of unit length, so that large documents do not steer the basis.
    std::vector<std::vector<std::pair<uint32_t, double>>> rows(docs.size());
    for (size_t d = 0; d < docs.size(); ++d) {
        double norm = 0;
        for (const auto& [term, weight] : tf[d]) {
            uint32_t t = m.index_.find(term)->second;
            double v = weight * m.idf_[t];
            rows[d].emplace_back(t, v);
            norm += v * v;
        }
        norm = std::sqrt(norm);
        for (auto& entry : rows[d])
            entry.second /= norm > 0 ? norm : 1.0;
    }
    m.basis_ = truncated_svd_basis(rows, m.idf_.size(), dimension);
    return m;
}

std::vector<float> TagModel::project(const std::map<uint32_t, double>& weights) const {
    std::vector<double> v(static_cast<size_t>(dimension_), 0.0);
    for (const auto& [t, w] : weights) {
        double x = w * idf_[t];
        const float* b = basis_.data() + static_cast<size_t>(t) * dimension_;
        for (int j = 0; j < dimension_; ++j)
            v[j] += x * b[j];
    }
    return {v.begin(), v.end()};
}

std::vector<float> TagModel::embed(const std::vector<std::pair<std::string, double>>& tags) const {
    std::map<uint32_t, double> weights;
    for (const auto& [tag, weight] : tags)
        for (const auto& term : tag_terms(tag))
            if (auto it = index_.find(term); it != index_.end()) weights[it->second] += weight;
    return project(weights);
}

std::vector<float> TagModel::embed_query(std::string_view folded) const {
    std::map<uint32_t, double> weights;
    for (const auto& term : tag_terms(folded))
        if (auto it = index_.find(term); it != index_.end()) weights[it->second] = 1.0;
    return project(weights);
}

std::string TagModel::serialise() const {
    std::string out(kMagic);
    put<uint32_t>(out, static_cast<uint32_t>(dimension_));
    put<uint32_t>(out, static_cast<uint32_t>(idf_.size()));
    for (const auto& [term, t] : index_) {
        put<uint32_t>(out, static_cast<uint32_t>(term.size()));
        out += term;
        put<float>(out, idf_[t]);
        for (int j = 0; j < dimension_; ++j)
            put<float>(out, basis_[static_cast<size_t>(t) * dimension_ + j]);
    }
    return out;
}

std::optional<TagModel> TagModel::deserialise(std::string_view in) {
    if (in.substr(0, kMagic.size()) != kMagic) return std::nullopt;
    in.remove_prefix(kMagic.size());
    uint32_t dimension = 0, terms = 0;
    if (!take(in, dimension) || !take(in, terms) || dimension == 0 || dimension > 4096)
        return std::nullopt;
    // Each term takes at least 4 + 4 + 4 * dimension bytes: a count the bytes cannot hold is
    // damage, refused before anything is allocated for it.
    if (terms > in.size() / (8 + 4 * static_cast<size_t>(dimension))) return std::nullopt;
    TagModel m;
    m.dimension_ = static_cast<int>(dimension);
    m.idf_.resize(terms);
    m.basis_.resize(static_cast<size_t>(terms) * dimension);
    for (uint32_t t = 0; t < terms; ++t) {
        uint32_t len = 0;
        if (!take(in, len) || in.size() < len) return std::nullopt;
        std::string term(in.substr(0, len));
        in.remove_prefix(len);
        if (!take(in, m.idf_[t])) return std::nullopt;
        for (uint32_t j = 0; j < dimension; ++j)
            if (!take(in, m.basis_[static_cast<size_t>(t) * dimension + j])) return std::nullopt;
        if (!m.index_.emplace(std::move(term), t).second) return std::nullopt;
    }
    if (!in.empty()) return std::nullopt;
    return m;
}

}  // namespace sonique::search
