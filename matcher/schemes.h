// Danish support schemes, the accommodations that mitigate each job demand,
// target groups and the development placements' rules: versioned data from
// data/schemes/ and data/placements/, not code, because the schemes are being
// reformed (2025-2027).
#ifndef JOBMATCH_MATCHER_SCHEMES_H_
#define JOBMATCH_MATCHER_SCHEMES_H_

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "matcher/placement_rules.h"
#include "matcher/profiles.h"

namespace jobmatch::matcher {

// Who a scheme is for (schemes.tsv, column eligibility).
enum class SchemeEligibility : uint8_t { kAll, kFleksjobApproved, kNewlyEducated };

struct SupportScheme {
  std::string code;   // e.g. "personlig_assistance"
  std::string name;   // e.g. "personlig assistance"
  std::string limit;  // e.g. "up to 20 hours per week"
  uint16_t covers = 0;  // bitmask of Accommodation
  SchemeEligibility eligibility = SchemeEligibility::kAll;
  std::string source;  // the law it rests on
  bool EligibleFor(const SeekerProfile& seeker) const;
};

// A Danish authorisation a regulated profession requires (authorisations.tsv).
struct Authorisation {
  std::string code;  // e.g. "tandlaege"
  std::string name;  // e.g. "tandlæge"
  std::vector<int> isco_unit_groups;
  std::string source;
};
inline constexpr int kMaxAuthorisations = 32;  // SeekerProfile::authorisations is a bitmask

class Schemes {
 public:
  static absl::StatusOr<std::unique_ptr<Schemes>> Load(const std::string& data_dir);

  // The scheme for `a` that `seeker` is eligible for: a targeted one (not
  // kAll) before a general one, else file order; nullptr if none.
  const SupportScheme* SchemeFor(Accommodation a, const SeekerProfile& seeker) const;
  // The index (in authorisations()) of the authorisation an occupation of
  // ISCO unit group `isco` requires, or -1.
  int AuthorisationFor(int isco) const {
    return isco >= 0 && isco < 10000 ? authorisation_by_isco_[isco] : -1;
  }
  // The index of the authorisation with this code, or -1.
  int AuthorisationIndex(std::string_view code) const;
  const std::vector<Authorisation>& authorisations() const { return authorisations_; }
  // Accommodations (bitmask) that make `d` workable for someone who cannot
  // meet it.
  uint16_t Mitigations(WorkDemand d) const { return mitigations_[static_cast<int>(d)]; }
  bool IsTargetGroup(const std::string& code) const { return target_groups_.contains(code); }
  const absl::flat_hash_map<std::string, std::string>& target_groups() const {
    return target_groups_;
  }
  const std::vector<SupportScheme>& schemes() const { return schemes_; }
  // data/placements/placement_rules.tsv (matcher/placement_rules.h).
  const PlacementRules& placement_rules() const { return placement_rules_; }
  const std::string& version() const { return version_; }

 private:
  Schemes() = default;
  std::vector<SupportScheme> schemes_;
  std::vector<Authorisation> authorisations_;
  std::vector<int8_t> authorisation_by_isco_ = std::vector<int8_t>(10000, -1);
  std::array<uint16_t, kWorkDemandCount> mitigations_{};
  absl::flat_hash_map<std::string, std::string> target_groups_;
  PlacementRules placement_rules_;
  std::string version_;
};

// Names as in the API (e.g. "STEP_FREE_ACCESS"); false if unknown.
bool ParseAccommodation(std::string_view name, Accommodation* out);
bool ParseWorkDemand(std::string_view name, WorkDemand* out);
const char* AccommodationName(Accommodation a);
const char* WorkDemandName(WorkDemand d);

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_SCHEMES_H_
