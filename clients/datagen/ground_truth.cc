#include "clients/datagen/ground_truth.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace jobmatch::datagen {
namespace {

constexpr uint64_t kTruthStream = 0x7472757468212121;  // "truth!!!"

uint64_t Mix(uint64_t z) {  // SplitMix64 finaliser
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void AddSkills(Random& r, const matcher::Taxonomy& taxonomy, matcher::OccupationId occ,
               double probability, std::vector<matcher::SkillId>* out) {
  for (matcher::SkillId k : taxonomy.occupation(occ).essential) {
    if (!taxonomy.skill(k).is_group && r.Chance(probability)) out->push_back(k);
  }
}

}  // namespace

SeekerTruth DrawSeekerTruth(uint64_t seed, const SeekerFacts& facts,
                            const matcher::Taxonomy& taxonomy, const OccupationMix& mix,
                            const TruthModel& model) {
  Random r(Mix(seed ^ kTruthStream ^ Mix(facts.index + 1)));
  SeekerTruth truth;
  truth.standard_commute_minutes = facts.standard_commute_minutes;
  truth.health_limited_hours = facts.health_limited_hours;
  std::vector<matcher::SkillId> skills = facts.recorded_skills;

  // The primary occupation: years as stated, else 0..20 (0: trained, never worked).
  truth.history.push_back({facts.primary,
                           facts.stated_years > 0 ? facts.stated_years : r.Between(0, 20),
                           facts.primary_in_case_file});
  const double hidden =
      model.hidden_essential_min +
      (model.hidden_essential_max - model.hidden_essential_min) * r.Uniform();
  for (matcher::SkillId k : taxonomy.occupation(facts.primary).essential) {
    if (taxonomy.skill(k).is_group) continue;
    if (std::binary_search(facts.recorded_skills.begin(), facts.recorded_skills.end(), k)) continue;
    if (r.Chance(hidden)) skills.push_back(k);
  }

  // Further wanted occupations: worked in some of them; the case file names
  // none of those skills.
  for (const auto& [isco, esco] : facts.further) {
    if (!r.Chance(model.further_worked)) continue;
    const auto& in_group = taxonomy.OccupationsInUnitGroup(isco);
    if (in_group.empty()) continue;
    const matcher::OccupationId occ =
        esco != matcher::kNoOccupation ? esco : in_group[r.Below(in_group.size())];
    truth.history.push_back({occ, r.Between(1, 10), esco != matcher::kNoOccupation});
    const double p = model.experienced_skill_min +
                     (model.experienced_skill_max - model.experienced_skill_min) * r.Uniform();
    AddSkills(r, taxonomy, occ, p, &skills);
  }

  // A past occupation the case file does not mention.
  if (r.Chance(model.unrecorded_past)) {
    const int primary_isco = taxonomy.occupation(facts.primary).isco;
    int isco = mix.Draw(r);
    if (r.Chance(0.5)) {
      for (int attempt = 0; attempt < 8 && isco / 100 != primary_isco / 100; ++attempt) {
        isco = mix.Draw(r);
      }
    }
    const auto& in_group = taxonomy.OccupationsInUnitGroup(isco);
    if (!in_group.empty()) {
      const matcher::OccupationId occ = in_group[r.Below(in_group.size())];
      if (occ != facts.primary) {
        truth.history.push_back({occ, r.Between(1, 10), false});
        const double p = model.experienced_skill_min +
                         (model.experienced_skill_max - model.experienced_skill_min) * r.Uniform();
        AddSkills(r, taxonomy, occ, p, &skills);
      }
    }
  }

  std::sort(skills.begin(), skills.end());
  skills.erase(std::unique(skills.begin(), skills.end()), skills.end());
  truth.skills_not_in_case_file = skills.size() - facts.recorded_skills.size();
  truth.skills = std::move(skills);
  return truth;
}

std::string TruthJsonLine(const std::string& seeker_id, const SeekerTruth& truth,
                          const matcher::Taxonomy& taxonomy) {
  std::string out = absl::StrCat("{\"id\":\"", seeker_id, "\",\"history\":[");
  for (size_t i = 0; i < truth.history.size(); ++i) {
    const auto& job = truth.history[i];
    const matcher::Occupation& o = taxonomy.occupation(job.occupation);
    absl::StrAppend(&out, i ? "," : "", "{\"esco_uri\":\"", o.uri, "\",\"isco_code\":\"",
                    absl::StrFormat("%04d", o.isco), "\",\"years\":", job.years,
                    ",\"in_case_file\":", job.in_case_file ? "true" : "false", "}");
  }
  absl::StrAppend(&out, "],\"skills\":[");
  for (size_t i = 0; i < truth.skills.size(); ++i) {
    absl::StrAppend(&out, i ? "," : "", "\"", taxonomy.skill(truth.skills[i]).uri, "\"");
  }
  absl::StrAppend(&out, "],\"skills_not_in_case_file\":", truth.skills_not_in_case_file,
                  ",\"standard_commute_minutes\":", truth.standard_commute_minutes,
                  ",\"health_limited_hours\":", truth.health_limited_hours ? "true" : "false", "}");
  return out;
}

}  // namespace jobmatch::datagen
