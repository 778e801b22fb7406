// Fixed-point text for numbers in explanations, without a format string:
// what absl::StrFormat("%.Nf") and ("%04d") give, by integer digits where
// the rounding is clear and else std::to_chars (which formats "as if by
// printf in the C locale"), so an
// explanation costs a few appends instead of a format parse per part
// (tests/matcher/fixed_format_test.cc compares both over many values).
#ifndef JOBMATCH_MATCHER_FIXED_FORMAT_H_
#define JOBMATCH_MATCHER_FIXED_FORMAT_H_

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/strings/str_format.h"

namespace jobmatch::matcher {

// "%.<precision>f" of `value`.
inline std::string Fixed(double value, int precision) {
  // The common case without to_chars: a finite value, precision 0 to 3,
  // scaled below 1e9 (the product's rounding error is then below 1e-7), and
  // not within 1e-6 of a tie between two roundings (so the error cannot
  // cross the half: rounding the product rounds the exact value). Ties and
  // everything else go to to_chars (exact, ties to even as printf).
  static constexpr double kScale[4] = {1, 10, 100, 1000};
  const double magnitude = std::fabs(value);
  if (precision >= 0 && precision <= 3 && magnitude * kScale[precision] < 1e9) {
    const double scaled = magnitude * kScale[precision];
    const double whole = std::floor(scaled);
    const double fraction = scaled - whole;
    if (std::fabs(fraction - 0.5) > 1e-6) {
      uint64_t digits = static_cast<uint64_t>(whole) + (fraction > 0.5 ? 1 : 0);
      char text[32];
      char* end = text + sizeof(text);
      char* p = end;
      for (int i = 0; i < precision; ++i) {
        *--p = static_cast<char>('0' + digits % 10);
        digits /= 10;
      }
      if (precision > 0) *--p = '.';
      do {
        *--p = static_cast<char>('0' + digits % 10);
        digits /= 10;
      } while (digits != 0);
      if (std::signbit(value)) *--p = '-';
      return std::string(p, end);
    }
  }
  char buffer[64];
  const std::to_chars_result r =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::fixed, precision);
  if (r.ec != std::errc()) return absl::StrFormat("%.*f", precision, value);  // too long
  return std::string(buffer, r.ptr);
}

// "%04d" of `value`.
inline std::string Padded4(int value) {
  if (value < 0 || value > 9999) return absl::StrFormat("%04d", value);
  const char text[4] = {static_cast<char>('0' + value / 1000),
                        static_cast<char>('0' + value / 100 % 10),
                        static_cast<char>('0' + value / 10 % 10),
                        static_cast<char>('0' + value % 10)};
  return std::string(text, 4);
}

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_FIXED_FORMAT_H_
