// PlacementRules: who may be placed in a development placement
// (virksomhedspraktik, løntilskud, IGU, voksenlærling) and for how long --
// versioned data from data/placements/placement_rules.tsv, each row with its
// legal source and the days it is valid, like the schemes table.
//
// The rules decide feasibility only (PLACEMENT_NOT_ELIGIBLE,
// PLACEMENT_TOO_LONG in matcher/hard_constraints.h); they never change a
// score. A rule is chosen from the seeker's target group, the employer's
// sector and the day of the decision, nothing else.
#ifndef JOBMATCH_MATCHER_PLACEMENT_RULES_H_
#define JOBMATCH_MATCHER_PLACEMENT_RULES_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "matcher/profiles.h"

namespace jobmatch::matcher {

// Which employers a rule covers (the employer record's public_sector).
enum class PlacementEmployer : uint8_t { kAny, kPublic, kPrivate };

struct PlacementRule {
  std::string id;       // e.g. "vp-jobparat"
  int version = 1;      // the row's version
  VacancyKind kind = VacancyKind::kVirksomhedspraktik;
  std::vector<std::string> target_groups;  // codes; empty = every seeker ("*")
  PlacementEmployer employer = PlacementEmployer::kAny;
  int max_weeks = 0;    // 0 = no maximum
  absl::Time valid_from = absl::InfinitePast();  // start of the first day (UTC)
  absl::Time valid_until = absl::InfiniteFuture();  // end of the last day, exclusive
  std::string source;   // the legal source
  std::string table_version;  // the file's "# version" line

  bool ValidAt(absl::Time t) const { return valid_from <= t && t < valid_until; }
  bool Covers(std::string_view target_group) const;
  bool CoversEmployer(bool public_employer) const {
    return employer == PlacementEmployer::kAny ||
           (employer == PlacementEmployer::kPublic) == public_employer;
  }
  // "vp-jobparat v1"
  std::string Name() const;
};

class PlacementRules {
 public:
  // Reads `path` (placement_rules.tsv). `is_target_group` says whether a
  // code is a known target group. DataLoss naming the line and the column
  // for a malformed row; NotFound if the file is missing.
  static absl::StatusOr<PlacementRules> Load(
      const std::string& path, const std::function<bool(std::string_view)>& is_target_group);

  // The rule that applies to a seeker of `target_group` ("" = not recorded)
  // placed in a `kind` placement at an employer of that sector on day
  // `now`, or null if no rule in force covers them. Of several, the one
  // naming the target group before one for every seeker, then the longest
  // maximum (none = longest), then the later valid_from, then file order.
  const PlacementRule* Applicable(VacancyKind kind, std::string_view target_group,
                                  bool public_employer, absl::Time now) const;
  // The rules of `kind` in force on `now` for that employer sector, in file
  // order (to say which rules a seeker was not eligible under).
  std::vector<const PlacementRule*> InForce(VacancyKind kind, bool public_employer,
                                            absl::Time now) const;

  const std::vector<PlacementRule>& rules() const { return rules_; }
  const std::string& version() const { return version_; }

 private:
  std::vector<PlacementRule> rules_;
  std::string version_;
};

// "2026-12-03" (UTC), for explanations.
std::string PlacementDate(absl::Time t);

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_PLACEMENT_RULES_H_
