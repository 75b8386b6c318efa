#pragma once
// The sonic vector: a track's raw features standardised with statistics of the whole library
// and weighted per group, so that Euclidean (or inner-product) distance between two vectors
// means "sounds alike". This is the seam between the analyser and whatever indexes vectors
// (the search layer's FAISS sets): they take sonic_vector()'s output as it is.
#include <array>
#include <vector>

#include "analysis/features.hpp"

namespace sonique::analysis {

// Per-feature mean and standard deviation over the library's analysed tracks.
struct LibraryStats {
    FeatureVector mean{};
    FeatureVector stddev{};
};

// Weight of each group, in kGroups order (timbre, spectral, harmony, rhythm, loudness,
// stereo). Each
// group's features are scaled by weight / sqrt(group size), so that with equal weights every
// group counts the same however many values it holds.
using GroupWeights = std::array<float, kGroups.size()>;
inline constexpr GroupWeights kDefaultWeights{1.0f, 1.0f, 0.7f, 0.8f, 0.5f, 0.5f};

// Statistics of a set of vectors (population standard deviation; a feature that never varies
// gets 1, so that it standardises to 0). Any thread.
LibraryStats library_stats(const std::vector<FeatureVector>& vectors);

// The sonic vector of `features`: (x - mean) / stddev, times its group's scale, weight / sqrt(the
// number of the group's values in the vector). Two values are left out (0): the key's pitch
// class, a label rather than a quantity (the interval content describes the harmony whatever
// the key), and the tempo, whose distance says little about how alike two tracks sound: a
// tempo and its double are felt alike yet lie far apart, and music without a steady pulse gets
// an estimate at random (alone, the tempo found same-composer neighbours at or under chance;
// docs/analysis.md). The rhythm group keeps the tempo's confidence, the onset rate and the
// pulse clarity. Both stay in the features (the BPM and key values, the API). Any thread.
FeatureVector sonic_vector(const FeatureVector& features, const LibraryStats& stats,
                           const GroupWeights& weights = kDefaultWeights);

// Euclidean distance between two sonic vectors. Any thread.
float sonic_distance(const FeatureVector& a, const FeatureVector& b);

}  // namespace sonique::analysis
