#include "matcher/schemes.h"

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
    if (f.size() < 4) return absl::DataLossError("expected code, name, accommodations, limit");
    auto covers = ParseAccommodationList(f[2]);
    if (!covers.ok()) return covers.status();
    s->schemes_.push_back({std::string(f[0]), std::string(f[1]), std::string(f[3]), *covers});
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
  if (s->version_.empty()) {
    return absl::DataLossError(absl::StrCat(dir, "schemes.tsv: missing '# version' line"));
  }
  return s;
}

const SupportScheme* Schemes::SchemeFor(Accommodation a) const {
  for (const SupportScheme& scheme : schemes_) {
    if (scheme.covers & (1u << static_cast<int>(a))) return &scheme;
  }
  return nullptr;
}

}  // namespace jobmatch::matcher
