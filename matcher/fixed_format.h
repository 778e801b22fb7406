// Fixed-point text for numbers in explanations, without a format string:
// what absl::StrFormat("%.Nf") and ("%04d") give, appended with
// std::to_chars (which formats "as if by printf in the C locale"), so an
// explanation costs a few appends instead of a format parse per part
// (tests/matcher/fixed_format_test.cc compares both over many values).
#ifndef JOBMATCH_MATCHER_FIXED_FORMAT_H_
#define JOBMATCH_MATCHER_FIXED_FORMAT_H_

#include <charconv>
#include <string>
#include <string_view>

#include "absl/strings/str_format.h"

namespace jobmatch::matcher {

// "%.<precision>f" of `value`.
inline std::string Fixed(double value, int precision) {
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
