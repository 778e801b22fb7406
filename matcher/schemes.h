// Danish support schemes, the accommodations that mitigate each job demand,
// and target groups: versioned data from data/schemes/, not code, because the
// schemes are being reformed (2025-2027).
#ifndef JOBMATCH_MATCHER_SCHEMES_H_
#define JOBMATCH_MATCHER_SCHEMES_H_

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "matcher/profiles.h"

namespace jobmatch::matcher {

struct SupportScheme {
  std::string code;   // e.g. "personlig_assistance"
  std::string name;   // e.g. "personlig assistance"
  std::string limit;  // e.g. "up to 20 hours per week"
  uint16_t covers = 0;  // bitmask of Accommodation
};

class Schemes {
 public:
  static absl::StatusOr<std::unique_ptr<Schemes>> Load(const std::string& data_dir);

  // The first scheme that covers `a`, or nullptr.
  const SupportScheme* SchemeFor(Accommodation a) const;
  // Accommodations (bitmask) that make `d` workable for someone who cannot
  // meet it.
  uint16_t Mitigations(WorkDemand d) const { return mitigations_[static_cast<int>(d)]; }
  bool IsTargetGroup(const std::string& code) const { return target_groups_.contains(code); }
  const absl::flat_hash_map<std::string, std::string>& target_groups() const {
    return target_groups_;
  }
  const std::vector<SupportScheme>& schemes() const { return schemes_; }
  const std::string& version() const { return version_; }

 private:
  Schemes() = default;
  std::vector<SupportScheme> schemes_;
  std::array<uint16_t, kWorkDemandCount> mitigations_{};
  absl::flat_hash_map<std::string, std::string> target_groups_;
  std::string version_;
};

// Names as in the API (e.g. "STEP_FREE_ACCESS"); false if unknown.
bool ParseAccommodation(std::string_view name, Accommodation* out);
bool ParseWorkDemand(std::string_view name, WorkDemand* out);
const char* AccommodationName(Accommodation a);
const char* WorkDemandName(WorkDemand d);

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_SCHEMES_H_
