#pragma once
// Mean and standard deviation of a stream of values in constant memory (Welford's update,
// which stays accurate over millions of frames where sums of squares lose precision).
#include <cmath>
#include <cstddef>

namespace sonique::analysis {

class RunningStats {
  public:
    void add(double x) noexcept {
        ++n_;
        double d = x - mean_;
        mean_ += d / static_cast<double>(n_);
        m2_ += d * (x - mean_);
    }
    size_t count() const noexcept { return n_; }
    double mean() const noexcept { return mean_; }
    double stddev() const noexcept {
        return n_ > 1 ? std::sqrt(m2_ / static_cast<double>(n_ - 1)) : 0.0;
    }

  private:
    size_t n_ = 0;
    double mean_ = 0;
    double m2_ = 0;
};

}  // namespace sonique::analysis
