// WithoutLimitReasons (server/view.h): the one-pass rewrite of a commute
// part's evidence gives exactly what replacing each of the ten patterns with
// absl::StrReplaceAll gave (the rewrite it replaced), on the scorer's own
// wording and on texts built to trip a hand-written scan.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "server/view.h"

namespace jobmatch {
namespace {

constexpr const char* kReasons[] = {"STANDARD_RULE", "HEALTH", "CARE_OBLIGATIONS", "OTHER",
                                    "UNSPECIFIED"};

// The previous implementation, kept here as the reference.
std::optional<std::string> Reference(std::string text) {
  std::vector<std::pair<std::string, std::string>> patterns;
  for (const char* name : kReasons) {
    patterns.emplace_back(absl::StrCat(" one way, ", name, ")"), " one way)");
    patterns.emplace_back(absl::StrCat(" one way, ", name, ";"), " one way;");
  }
  if (absl::StrReplaceAll(patterns, &text) == 0) return std::nullopt;
  return text;
}

TEST(ViewLimitReasonTest, SameAsReplacingEachPattern) {
  std::vector<std::string> texts = {
      "",
      "remote job",
      " one way, ",
      " one way, HEALTH",
      " one way, HEALTH)",
      " one way, HEALTH;",
      " one way, HEALTHY)",
      " one way, OTHER) one way, OTHER;",
      " one way,  one way, HEALTH)",
      " one way, one way, HEALTH;",
      " one way, OTHER one way, CARE_OBLIGATIONS)",
      "x one way, UNSPECIFIED)y one way, STANDARD_RULE;z",
      "about 80 min one way, limit",
      " one way, health)",
      " one way, HEALTH) one way, HEALTH) one way, HEALTH)",
  };
  for (const char* name : kReasons) {
    texts.push_back(absl::StrCat(
        "about 41 min one way by public transport, 82 min a day (limit 60 one way, ", name,
        "; scored against the standard 60 min), model estimate, not yet validated against real "
        "travel times"));
    texts.push_back(absl::StrCat("limit 30 one way, ", name, ")"));
  }
  for (const std::string& text : texts) {
    EXPECT_EQ(WithoutLimitReasons(text), Reference(text)) << "text: \"" << text << "\"";
  }
}

TEST(ViewLimitReasonTest, NamesNoReasonAfterwards) {
  const std::string text =
      "about 41 min one way by car, 82 min a day (limit 60 one way, HEALTH; scored against the "
      "standard 60 min), travel-time matrix";
  std::optional<std::string> without = WithoutLimitReasons(text);
  ASSERT_TRUE(without.has_value());
  EXPECT_EQ(*without,
            "about 41 min one way by car, 82 min a day (limit 60 one way; scored against the "
            "standard 60 min), travel-time matrix");
  EXPECT_EQ(WithoutLimitReasons(*without), std::nullopt);
}

}  // namespace
}  // namespace jobmatch
