#pragma once
// Images for tests that store covers.
#include <string>

namespace sonique::test {

// A w x h RGB PNG (a gradient, so different sizes give different bytes).
std::string png_bytes(int w, int h);

}  // namespace sonique::test
