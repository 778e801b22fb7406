#include "matcher/fixed_format.h"

#include <cmath>
#include <limits>
#include <random>

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"

namespace jobmatch::matcher {
namespace {

// Fixed must give exactly what the explanations gave with StrFormat.
void ExpectSame(double v) {
  for (int precision : {0, 1, 2, 3}) {
    EXPECT_EQ(Fixed(v, precision), absl::StrFormat("%.*f", precision, v))
        << "value " << absl::StrFormat("%.17g", v) << " precision " << precision;
  }
}

TEST(FixedFormat, EdgeValuesAsStrFormat) {
  for (double v : {0.0, -0.0, 0.5, 1.5, 2.5, -0.5, 0.05, 0.15, 0.25, 0.35, 0.045, 0.125, 1.0,
                   99.5, 100.0, 12.345, 1e-9, -1e-9, 0.9999999, 1234567.891, 1e20, 1e300,
                   std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::denorm_min()}) {
    ExpectSame(v);
  }
  EXPECT_EQ(Fixed(2.5, 0), "2");   // ties to even, as printf
  EXPECT_EQ(Fixed(0.25, 1), "0.2");
  EXPECT_EQ(Fixed(-0.2, 0), "-0");  // the sign kept, as printf
  EXPECT_EQ(Fixed(0.3, 1), "0.3");
  EXPECT_EQ(Fixed(1e9, 0), "1000000000");  // to_chars beyond the integer path
  // Near ties either side, and the largest values of the integer path.
  for (double v : {0.4999999, 0.5000001, 0.04999999, 0.05000001, 2.4999999999, 2.5000000001,
                   99999999.4, 99999999.6, 999999999.4, 123.455, 123.445, 0.005, 0.015, 1.005,
                   -1.005, -2.5, -0.0049}) {
    ExpectSame(v);
  }
}

TEST(FixedFormat, RandomValuesAsStrFormat) {
  std::mt19937_64 rng(18);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_real_distribution<double> minutes(0.0, 300.0);
  for (int i = 0; i < 20000; ++i) {
    ExpectSame(unit(rng));
    ExpectSame(100 * unit(rng));
    ExpectSame(minutes(rng));
    // Shares of a few skills: k / n and multiples, as the evidence shows them.
    const int n = 1 + static_cast<int>(rng() % 40);
    const int k = static_cast<int>(rng() % (n + 1));
    ExpectSame(static_cast<double>(k) / n);
    ExpectSame(100.0 * k / n);
    ExpectSame((0.5 * k / n) * n);
    // Any bit pattern of moderate size, and values near the integer path's limit.
    ExpectSame(std::ldexp(unit(rng), static_cast<int>(rng() % 60) - 30));
    ExpectSame(-minutes(rng));
    ExpectSame(1e9 * unit(rng));
  }
}

TEST(FixedFormat, Padded4AsStrFormat) {
  for (int v : {-12, -1, 0, 7, 42, 911, 1000, 9112, 9999, 10000, 123456}) {
    EXPECT_EQ(Padded4(v), absl::StrFormat("%04d", v)) << v;
  }
}

}  // namespace
}  // namespace jobmatch::matcher
