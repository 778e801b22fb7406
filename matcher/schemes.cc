#include "matcher/schemes.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "matcher/tsv_reader.h"

namespace jobmatch::matcher {
namespace {

constexpr const char* kAccommodationNames[kAccommodationCount] = {
    "", "STEP_FREE_ACCESS", "ACCESSIBLE_TOILET", "ADJUSTABLE_DESK", "QUIET_WORKSPACE",
    "SCREEN_READER", "HEARING_LOOP", "FLEXIBLE_HOURS", "REMOTE_WORK", "EXTRA_BREAKS",
    "REDUCED_PACE", "LIFTING_AIDS", "PERSONAL_ASSISTANCE", "MENTOR", "SIGN_LANGUAGE_INTERPRETER"};
constexpr const char* kWorkDemandNames[kWorkDemandCount] = {
    "", "HEAVY_LIFTING", "PROLONGED_STANDING", "PROLONGED_WALKING", "NIGHT_WORK",
    "NOISY_ENVIRONMENT", "CUSTOMER_CONTACT", "HIGH_PACE", "FINE_HAND_USE",
    "EXTENDED_SCREEN_WORK", "DRIVING", "OUTDOOR_WORK"};

absl::StatusOr<uint16_t> ParseAccommodationList(std::string_view list) {
  uint16_t mask = 0;
  for (absl::string_view name : absl::StrSplit(absl::string_view(list.data(), list.size()), ',',
                                               absl::SkipWhitespace())) {
    Accommodation a;
    if (!ParseAccommodation(std::string_view(name.data(), name.size()), &a)) {
      return absl::DataLossError(absl::StrCat("unknown accommodation '", name, "'"));
    }
    mask |= 1u << static_cast<int>(a);
  }
  return mask;
}

}  // namespace

bool ParseAccommodation(std::string_view name, Accommodation* out) {
  for (int i = 1; i < kAccommodationCount; ++i) {
    if (name == kAccommodationNames[i]) {
      *out = static_cast<Accommodation>(i);
      return true;
    }
  }
  return false;
}

bool ParseWorkDemand(std::string_view name, WorkDemand* out) {
  for (int i = 1; i < kWorkDemandCount; ++i) {
    if (name == kWorkDemandNames[i]) {
      *out = static_cast<WorkDemand>(i);
      return true;
    }
  }
  return false;
}

const char* AccommodationName(Accommodation a) {
  return kAccommodationNames[static_cast<int>(a)];
}
const char* WorkDemandName(WorkDemand d) { return kWorkDemandNames[static_cast<int>(d)]; }

absl::StatusOr<std::unique_ptr<Schemes>> Schemes::Load(const std::string& data_dir) {
  std::unique_ptr<Schemes> s(new Schemes());
  const std::string dir = data_dir + "/schemes/";
  s->version_ = ReadTsvVersion(dir + "schemes.tsv");
  absl::Status st = ReadTsv(dir + "schemes.tsv", [&](const auto& f) -> absl::Status {
    if (f.size() < 6) {
      return absl::DataLossError("expected code, name, accommodations, limit, eligibility, source");
    }
    auto covers = ParseAccommodationList(f[2]);
    if (!covers.ok()) return covers.status();
    SchemeEligibility eligibility;
    if (f[4] == "all") {
      eligibility = SchemeEligibility::kAll;
    } else if (f[4] == "fleksjob_approved") {
      eligibility = SchemeEligibility::kFleksjobApproved;
    } else if (f[4] == "newly_educated") {
      eligibility = SchemeEligibility::kNewlyEducated;
    } else {
      return absl::DataLossError(absl::StrCat("unknown eligibility '", std::string(f[4]), "'"));
    }
    s->schemes_.push_back({std::string(f[0]), std::string(f[1]), std::string(f[3]), *covers,
                           eligibility, std::string(f[5])});
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  st = ReadTsv(dir + "authorisations.tsv", [&](const auto& f) -> absl::Status {
    if (f.size() < 4) return absl::DataLossError("expected code, name, isco_unit_groups, source");
    if (s->authorisations_.size() >= kMaxAuthorisations) {
      return absl::DataLossError(absl::StrCat("more than ", kMaxAuthorisations, " authorisations"));
    }
    Authorisation a{std::string(f[0]), std::string(f[1]), {}, std::string(f[3])};
    for (absl::string_view code : absl::StrSplit(absl::string_view(f[2].data(), f[2].size()), ',',
                                                 absl::SkipWhitespace())) {
      int isco = 0;
      if (!absl::SimpleAtoi(code, &isco) || isco < 1000 || isco > 9999) {
        return absl::DataLossError(absl::StrCat("bad ISCO unit group '", code, "'"));
      }
      if (s->authorisation_by_isco_[isco] >= 0) {
        return absl::DataLossError(absl::StrCat("ISCO unit group ", isco, " listed twice"));
      }
      s->authorisation_by_isco_[isco] = static_cast<int8_t>(s->authorisations_.size());
      a.isco_unit_groups.push_back(isco);
    }
    s->authorisations_.push_back(std::move(a));
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  st = ReadTsv(dir + "demand_mitigations.tsv", [&](const auto& f) -> absl::Status {
    WorkDemand d;
    if (f.empty() || !ParseWorkDemand(f[0], &d)) return absl::DataLossError("unknown demand");
    auto mask = ParseAccommodationList(f.size() > 1 ? f[1] : std::string_view());
    if (!mask.ok()) return mask.status();
    s->mitigations_[static_cast<int>(d)] = *mask;
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  st = ReadTsv(dir + "target_groups.tsv", [&](const auto& f) -> absl::Status {
    if (f.size() < 2) return absl::DataLossError("expected code, name");
    s->target_groups_[std::string(f[0])] = std::string(f[1]);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  auto rules = PlacementRules::Load(
      data_dir + "/placements/placement_rules.tsv",
      [&](std::string_view code) { return s->IsTargetGroup(std::string(code)); });
  if (!rules.ok()) return rules.status();
  s->placement_rules_ = std::move(*rules);
  if (s->version_.empty()) {
    return absl::DataLossError(absl::StrCat(dir, "schemes.tsv: missing '# version' line"));
  }
  return s;
}

bool SupportScheme::EligibleFor(const SeekerProfile& seeker) const {
  switch (eligibility) {
    case SchemeEligibility::kAll: return true;
    case SchemeEligibility::kFleksjobApproved: return seeker.fleksjob_hours_per_week > 0;
    case SchemeEligibility::kNewlyEducated: return seeker.newly_educated;
  }
  return false;
}

const SupportScheme* Schemes::SchemeFor(Accommodation a, const SeekerProfile& seeker) const {
  const SupportScheme* general = nullptr;
  for (const SupportScheme& scheme : schemes_) {
    if (!(scheme.covers & (1u << static_cast<int>(a))) || !scheme.EligibleFor(seeker)) continue;
    if (scheme.eligibility != SchemeEligibility::kAll) return &scheme;
    if (general == nullptr) general = &scheme;
  }
  return general;
}

int Schemes::AuthorisationIndex(std::string_view code) const {
  for (size_t i = 0; i < authorisations_.size(); ++i) {
    if (authorisations_[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace jobmatch::matcher
