#include "bench/quality/limits.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace jobmatch::quality {

const char* LimitName(Limit limit) {
  switch (limit) {
    case Limit::kFunctionalNeeds: return "functional needs";
    case Limit::kHealthCommute: return "health commute limit";
    case Limit::kHourCaps: return "health hour caps";
    case Limit::kFleksjobHours: return "fleksjob hours";
  }
  return "?";
}

const char* LimitSuffix(Limit limit) {
  switch (limit) {
    case Limit::kFunctionalNeeds: return "needs";
    case Limit::kHealthCommute: return "commute";
    case Limit::kHourCaps: return "hours";
    case Limit::kFleksjobHours: return "fleksjob";
  }
  return "?";
}

std::string TwinId(const std::string& seeker_id, Limit limit) {
  return absl::StrCat(seeker_id, "~", LimitSuffix(limit));
}

bool HasFunctionalNeeds(const v1::Seeker& seeker) { return seeker.needs_size() > 0; }

datagen::SeekerTruth CaseFileView(const v1::Seeker& seeker, const matcher::Taxonomy& taxonomy) {
  datagen::SeekerTruth view;
  int years = 0;
  for (const auto& k : seeker.skills()) {
    const matcher::SkillId id = taxonomy.FindSkill(k.esco_uri());
    if (id != matcher::kNoSkill) view.skills.push_back(id);
    years = std::max(years, static_cast<int>(k.years()));
  }
  std::sort(view.skills.begin(), view.skills.end());
  view.skills.erase(std::unique(view.skills.begin(), view.skills.end()), view.skills.end());
  for (const auto& o : seeker.occupations()) {
    const matcher::OccupationId occ = taxonomy.FindOccupation(o.esco_uri());
    if (occ != matcher::kNoOccupation) view.history.push_back({occ, years, true});
  }
  return view;
}

std::optional<v1::Seeker> WithoutLimit(const v1::Seeker& seeker, const datagen::SeekerTruth& truth,
                                       Limit limit) {
  // The standard full-time week the generator's job-ready seekers state.
  constexpr int kFullTime = 37;
  v1::Seeker twin = seeker;
  switch (limit) {
    case Limit::kFunctionalNeeds:
      // The work demands a seeker with needs avoids come from those needs
      // (docs/data-generator.md); a seeker without needs only has soft
      // preferences, which are not needs.
      if (!HasFunctionalNeeds(seeker)) return std::nullopt;
      twin.clear_needs();
      twin.clear_excluded_demands();
      twin.set_consent_share_needs_with_employers(false);
      return twin;
    case Limit::kHealthCommute:
      if (seeker.commute_limit_reason() != v1::HEALTH) return std::nullopt;
      twin.set_commute_limit_reason(v1::STANDARD_RULE);
      twin.set_max_commute_minutes(
          std::max(seeker.max_commute_minutes(), truth.standard_commute_minutes));
      return twin;
    case Limit::kHourCaps:
      if (!truth.health_limited_hours) return std::nullopt;
      twin.set_max_hours_per_day(0);
      twin.set_max_hours_per_week_is_hard(false);
      if (seeker.fleksjob_hours_per_week() == 0 && seeker.max_hours_per_week() < kFullTime) {
        twin.set_max_hours_per_week(kFullTime);
      }
      if (twin.max_hours_per_day() == seeker.max_hours_per_day() &&
          twin.max_hours_per_week() == seeker.max_hours_per_week()) {
        return std::nullopt;
      }
      return twin;
    case Limit::kFleksjobHours:
      if (seeker.fleksjob_hours_per_week() == 0) return std::nullopt;
      twin.set_fleksjob_hours_per_week(kFullTime);
      twin.set_max_hours_per_week(std::max(seeker.max_hours_per_week(), kFullTime));
      return twin;
  }
  return std::nullopt;
}

}  // namespace jobmatch::quality
