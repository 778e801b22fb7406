#include "matcher/scorer.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "matcher/fixed_format.h"
#include "matcher/hard_constraints.h"
#include "matcher/policy_fields.h"

namespace jobmatch::matcher {
namespace {

bool Contains(const std::vector<SkillId>& sorted, SkillId id) {
  return std::binary_search(sorted.begin(), sorted.end(), id);
}

bool Intersects(const std::vector<SkillId>& a, const std::vector<SkillId>& b) {
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i == *j) return true;
    if (*i < *j) {
      ++i;
    } else {
      ++j;
    }
  }
  return false;
}

bool Has(uint32_t mask, int bit) { return (mask >> bit) & 1u; }

// A skill group narrow enough to count as a relation between skills: at
// least two levels below a root of the hierarchy (so never a pillar such as
// "skills" or "knowledge", nor its first level).
bool NarrowGroup(const Taxonomy& taxonomy, SkillId g) {
  for (const SkillId* p = taxonomy.BroaderBegin(g); p != taxonomy.BroaderEnd(g); ++p) {
    if (taxonomy.BroaderBegin(*p) != taxonomy.BroaderEnd(*p)) return true;
  }
  return false;
}

double StatusCredit(AccommodationStatus s, const Policy& policy) {
  switch (s) {
    case AccommodationStatus::kInPlace: return policy.needs_credit_in_place;
    case AccommodationStatus::kPossible: return policy.needs_credit_possible;
    case AccommodationStatus::kPossibleWithScheme: return policy.needs_credit_with_scheme;
    case AccommodationStatus::kUnknown: return policy.needs_credit_unknown;
    case AccommodationStatus::kNotPossible: return 0.0;
  }
  return 0.0;
}

bool Usable(AccommodationStatus s) {
  return s == AccommodationStatus::kInPlace || s == AccommodationStatus::kPossible ||
         s == AccommodationStatus::kPossibleWithScheme;
}

// Skill coverage of `required` by the seeker, with taxonomy partial credit.
// `levels`, if given, counts the required skills by credit level (0 held,
// 1 narrower, 2 sibling, 3 none).
double Coverage(const Taxonomy& taxonomy, const SeekerProfile& seeker,
                const SeekerSkillBits* bits, const std::vector<SkillId>& required,
                const Policy& policy, bool explain, Score* score, bool essential,
                int* levels = nullptr) {
  if (required.empty()) return 1.0;
  double credit = 0;
  if (bits != nullptr && !explain) {
    // Ranking: one byte lookup per required skill, the credits added in the
    // same order as below -- or the sum kept from the last time this list
    // was asked about for this seeker (SeekerSkillBits::Assign).
    const int slot = essential ? 0 : 1;
    if (const SeekerSkillBits::Remembered* r =
            bits->Recall(slot, required, policy.narrower_skill_credit,
                         policy.sibling_skill_credit, levels != nullptr)) {
      if (levels != nullptr) {
        for (int l = 0; l < 4; ++l) levels[l] += r->levels[l];
      }
      return r->credit / static_cast<double>(required.size());
    }
    const double credit_of[4] = {1.0, policy.narrower_skill_credit, policy.sibling_skill_credit,
                                 0.0};
    SeekerSkillBits::Remembered kept;
    if (levels != nullptr) {
      for (SkillId t : required) {
        const uint8_t level = bits->Level(t);
        credit += credit_of[level];
        ++kept.levels[level];
      }
      for (int l = 0; l < 4; ++l) levels[l] += kept.levels[l];
      kept.has_levels = true;
    } else {
      for (SkillId t : required) credit += credit_of[bits->Level(t)];
    }
    kept.list = required.data();
    kept.size = required.size();
    kept.narrower = policy.narrower_skill_credit;
    kept.sibling = policy.sibling_skill_credit;
    kept.credit = credit;
    bits->Remember(slot, kept);
    return credit / static_cast<double>(required.size());
  }
  for (SkillId t : required) {
    double c = 0;
    uint8_t level = 3;
    SkillId via = kNoSkill;
    if (bits != nullptr) {
      const double credit_of[4] = {1.0, policy.narrower_skill_credit,
                                   policy.sibling_skill_credit, 0.0};
      level = bits->Level(t);
      c = credit_of[level];
      if (level == 0) via = t;
    } else if (Contains(seeker.skills, t)) {
      c = 1.0;
      level = 0;
      via = t;
    } else if (Contains(seeker.skill_parents, t)) {
      // The seeker holds a narrower skill of t.
      c = policy.narrower_skill_credit;
      level = 1;
    } else if (Intersects(taxonomy.skill(t).broader, seeker.skill_parents)) {
      // The seeker holds a skill sharing a broader concept with t.
      c = policy.sibling_skill_credit;
      level = 2;
    }
    credit += c;
    if (levels != nullptr) ++levels[level];
    if (!explain) continue;
    if (c > 0) {
      if (via == kNoSkill && bits != nullptr) {
        via = bits->Via(t);
      } else if (via == kNoSkill) {
        // Name the seeker's skill that earned the partial credit.
        for (SkillId s : seeker.skills) {
          const auto& up = taxonomy.skill(s).broader;
          if (Contains(up, t) || Intersects(up, taxonomy.skill(t).broader)) {
            via = s;
            break;
          }
        }
      }
      score->matched_skills.push_back({t, via, c});
    } else if (essential) {
      score->missing_skills.push_back(t);
    } else if (score->missing_optional_skills.size() < Score::kMaxMissingOptionalSkills) {
      score->missing_optional_skills.push_back(t);
    }
  }
  return credit / static_cast<double>(required.size());
}

}  // namespace

const char* ReasonName(Reason reason) {
  switch (reason) {
    case Reason::kEssentialSkills: return "ESSENTIAL_SKILLS";
    case Reason::kOptionalSkills: return "OPTIONAL_SKILLS";
    case Reason::kEducation: return "EDUCATION";
    case Reason::kOccupationFit: return "OCCUPATION_FIT";
    case Reason::kCommute: return "COMMUTE";
    case Reason::kHoursFit: return "HOURS_FIT";
    case Reason::kNeedsFit: return "NEEDS_FIT";
    case Reason::kDevelopmentPotential: return "DEVELOPMENT_POTENTIAL";
    case Reason::kSeekerInactive: return "SEEKER_INACTIVE";
    case Reason::kVacancyClosed: return "VACANCY_CLOSED";
    case Reason::kVacancyExpired: return "VACANCY_EXPIRED";
    case Reason::kOccupationUnrelated: return "OCCUPATION_UNRELATED";
    case Reason::kKindNotAccepted: return "KIND_NOT_ACCEPTED";
    case Reason::kFleksjobRequiresVisitation: return "FLEKSJOB_REQUIRES_VISITATION";
    case Reason::kHoursIncompatible: return "HOURS_INCOMPATIBLE";
    case Reason::kLicenceMissing: return "LICENCE_MISSING";
    case Reason::kLanguageMissing: return "LANGUAGE_MISSING";
    case Reason::kCommuteTooLong: return "COMMUTE_TOO_LONG";
    case Reason::kHardNeedUnmet: return "HARD_NEED_UNMET";
    case Reason::kDemandExcluded: return "DEMAND_EXCLUDED";
    case Reason::kNotAvailableInTime: return "NOT_AVAILABLE_IN_TIME";
    case Reason::kAuthorisationMissing: return "AUTHORISATION_MISSING";
    case Reason::kPlacementNotEligible: return "PLACEMENT_NOT_ELIGIBLE";
    case Reason::kPlacementTooLong: return "PLACEMENT_TOO_LONG";
  }
  return "UNKNOWN";
}

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kFeasible: return "FEASIBLE";
    case Verdict::kFeasibleWithSupport: return "FEASIBLE_WITH_SUPPORT";
    case Verdict::kInfeasible: return "INFEASIBLE";
  }
  return "INFEASIBLE";
}

absl::Status Policy::Validate() const {
  if (version.empty()) return absl::InvalidArgumentError("policy.version: must not be empty");
  for (const PolicyField& f : PolicyFields()) {
    const double v = f.Get(*this);
    if (!(v >= f.min && v <= f.max)) {
      return absl::InvalidArgumentError(
          absl::StrCat("policy.", f.name, ": must be within [", f.min, ", ", f.max, "]"));
    }
  }
  if (substitute_fit_base + substitute_fit_slope > 1) {
    return absl::InvalidArgumentError(
        "policy.substitute_fit_*: base and slope must be >= 0 with base + slope <= 1");
  }
  return absl::OkStatus();
}

void SeekerSkillBits::Assign(const Taxonomy& taxonomy, const SeekerProfile& seeker,
                             bool remember_coverage) {
  taxonomy_ = &taxonomy;
  seeker_ = &seeker;
  remember_ = remember_coverage;
  remembered_[0] = remembered_[1] = Remembered();
  constexpr uint8_t kLastGeneration = UINT8_MAX >> 2;
  const size_t words = (taxonomy.skill_count() + 63) / 64;
  if (entry_.size() != taxonomy.skill_count() || generation_ == kLastGeneration) {
    entry_.assign(taxonomy.skill_count(), 0);  // generation 0 is never current
    generation_ = 0;
  }
  if (held_.size() != words) {
    held_.assign(words, 0);
    parents_.assign(words, 0);
    groups_.assign(words, 0);
    set_words_.clear();
    group_words_.clear();
  }
  ++generation_;
  // The previous seeker's bits off (a word may be listed twice: harmless).
  for (uint32_t w : set_words_) held_[w] = parents_[w] = 0;
  for (uint32_t w : group_words_) groups_[w] = 0;
  set_words_.clear();
  group_words_.clear();
  groups_ready_ = false;
  if (first_under_ready_) {
    for (SkillId p : under_set_) first_under_[p] = kNotUnder;
    under_set_.clear();
    first_under_ready_ = false;
  }
  for (SkillId s : seeker.skills) {
    Set(&held_, s);
    set_words_.push_back(s >> 6);
  }
  for (SkillId s : seeker.skill_parents) {
    Set(&parents_, s);
    set_words_.push_back(s >> 6);
  }
}

uint8_t SeekerSkillBits::Compute(SkillId id) const {
  // The tests of Coverage without bits, in the same order, on the bit sets.
  uint8_t level = 3;
  if (Test(held_, id)) {
    level = 0;
  } else if (Test(parents_, id)) {
    level = 1;
  } else {
    for (const SkillId* p = taxonomy_->BroaderBegin(id); p != taxonomy_->BroaderEnd(id); ++p) {
      if (Test(parents_, *p)) {
        level = 2;
        break;
      }
    }
  }
  entry_[id] = static_cast<uint8_t>(generation_ << 2 | level);
  return level;
}

bool SeekerSkillBits::Related(SkillId id) const {
  if (!groups_ready_) {
    // The narrow groups over the seeker's skills, one and two levels up (the
    // groups DevelopmentPotential collects without bits).
    auto add = [&](SkillId g) {
      if (!NarrowGroup(*taxonomy_, g)) return;
      Set(&groups_, g);
      group_words_.push_back(g >> 6);
    };
    for (SkillId p : seeker_->skill_parents) {
      add(p);
      for (const SkillId* g = taxonomy_->BroaderBegin(p); g != taxonomy_->BroaderEnd(p); ++g) {
        add(*g);
      }
    }
    groups_ready_ = true;
  }
  for (const SkillId* b = taxonomy_->BroaderBegin(id); b != taxonomy_->BroaderEnd(id); ++b) {
    if (Test(groups_, *b)) return true;
    for (const SkillId* g = taxonomy_->BroaderBegin(*b); g != taxonomy_->BroaderEnd(*b); ++g) {
      if (Test(groups_, *g)) return true;
    }
  }
  return false;
}

SkillId SeekerSkillBits::Via(SkillId id) const {
  if (!first_under_ready_) {
    if (first_under_.size() != taxonomy_->skill_count()) {
      first_under_.assign(taxonomy_->skill_count(), kNotUnder);
    }
    const std::vector<SkillId>& skills = seeker_->skills;
    for (uint32_t i = 0; i < skills.size(); ++i) {
      for (const SkillId* p = taxonomy_->BroaderBegin(skills[i]);
           p != taxonomy_->BroaderEnd(skills[i]); ++p) {
        if (first_under_[*p] != kNotUnder) continue;  // an earlier skill's
        first_under_[*p] = i;
        under_set_.push_back(*p);
      }
    }
    first_under_ready_ = true;
  }
  uint32_t first = first_under_[id];  // a seeker's skill narrower than id
  for (const SkillId* b = taxonomy_->BroaderBegin(id); b != taxonomy_->BroaderEnd(id); ++b) {
    first = std::min(first, first_under_[*b]);  // one sharing a broader concept with id
  }
  return first == kNotUnder ? kNoSkill : seeker_->skills[first];
}

void VacancySkillLookup::Add(SkillId key, uint32_t required, uint8_t level) {
  uint64_t& present = present_[key >> 6];
  const uint64_t bit = uint64_t{1} << (key & 63);
  if ((present & bit) == 0) {
    present |= bit;
    slot_[key] = static_cast<uint32_t>(touched_.size());
    // Its masks zeroed (masks_ keeps its size from one Assign to the next).
    const size_t size = size_t{kinds_} * words_, at = slot_[key] * size;
    if (masks_.size() < at + size) masks_.resize(std::max(at + size, 2 * masks_.size()));
    std::fill_n(masks_.begin() + static_cast<std::ptrdiff_t>(at), size, 0);
    touched_.push_back(key);
  }
  masks_[(size_t{slot_[key]} * kinds_ + level) * words_ + required / 64] |= uint64_t{1}
                                                                             << (required % 64);
}

void VacancySkillLookup::Assign(const Taxonomy& taxonomy, const VacancyProfile& vacancy) {
  if (slot_.size() != taxonomy.skill_count()) {
    slot_.assign(taxonomy.skill_count(), 0);
    present_.assign((taxonomy.skill_count() + 63) / 64, 0);
  } else {
    for (SkillId k : touched_) present_[k >> 6] = 0;
  }
  touched_.clear();
  essential_ = static_cast<uint32_t>(vacancy.essential_skills.size());
  optional_ = static_cast<uint32_t>(vacancy.optional_skills.size());
  words_ = (essential_ + optional_ + 63) / 64;
  const bool development = HasDevelopmentPart(vacancy);
  kinds_ = development ? 4 : 3;
  levels_.assign(size_t{kinds_} * words_, 0);
  named_.assign(words_, 0);
  uint32_t i = 0;
  for (const auto* list : {&vacancy.essential_skills, &vacancy.optional_skills}) {
    for (SkillId t : *list) {
      Add(t, i, 0);  // the seeker holds t
      for (const SkillId* c = taxonomy.NarrowerBegin(t); c != taxonomy.NarrowerEnd(t); ++c) {
        Add(*c, i, 1);  // the seeker holds a narrower skill of t
      }
      for (const SkillId* p = taxonomy.BroaderBegin(t); p != taxonomy.BroaderEnd(t); ++p) {
        for (const SkillId* c = taxonomy.NarrowerBegin(*p); c != taxonomy.NarrowerEnd(*p); ++c) {
          Add(*c, i, 2);  // the seeker holds a skill sharing a broader concept with t
        }
      }
      if (development && i < essential_) {
        // DevelopmentPotential's relation: a narrow group one or two
        // levels over t that is one or two levels over a skill the seeker
        // holds.
        auto related_under = [&](SkillId g) {
          if (!NarrowGroup(taxonomy, g)) return;
          for (const SkillId* p = taxonomy.NarrowerBegin(g); p != taxonomy.NarrowerEnd(g); ++p) {
            Add(*p, i, 3);
            for (const SkillId* c = taxonomy.NarrowerBegin(*p); c != taxonomy.NarrowerEnd(*p);
                 ++c) {
              Add(*c, i, 3);
            }
          }
        };
        for (const SkillId* b = taxonomy.BroaderBegin(t); b != taxonomy.BroaderEnd(t); ++b) {
          related_under(*b);
          for (const SkillId* g = taxonomy.BroaderBegin(*b); g != taxonomy.BroaderEnd(*b); ++g) {
            related_under(*g);
          }
        }
      }
      ++i;
    }
  }
}

void VacancySkillLookup::Gather(const SkillId* begin, const SkillId* stop) const {
  const uint32_t words = words_, all = kinds_ * words_;
  uint64_t* const got = levels_.data();
  std::fill(got, got + all, 0);
  for (const SkillId* it = begin; it != stop; ++it) {
    const SkillId s = *it;
    if (((present_[s >> 6] >> (s & 63)) & 1) == 0) continue;
    const uint64_t* masks = &masks_[size_t{slot_[s]} * all];
    for (uint32_t w = 0; w < all; ++w) got[w] |= masks[w];
  }
  // Each bit at its best (lowest) level only.
  for (uint32_t w = 0; w < words; ++w) {
    got[words + w] &= ~got[w];
    got[2 * words + w] &= ~(got[w] | got[words + w]);
  }
}

namespace {

// The bits of word w of essential ++ optional that are essential skills.
uint64_t EssentialBits(uint32_t essential, uint32_t w) {
  const uint32_t base = w * 64;
  return essential >= base + 64 ? ~uint64_t{0}
         : essential <= base    ? 0
                                : (uint64_t{1} << (essential - base)) - 1;
}

// The set bits of x, inline: this baseline x86-64 build has no popcnt
// instruction, and __builtin_popcountll calls libgcc's byte table.
inline int Popcount(uint64_t x) {
  x -= (x >> 1) & 0x5555555555555555u;
  x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
  return static_cast<int>((x * 0x0101010101010101u) >> 56);
}

}  // namespace

void VacancySkillLookup::CreditsByBits(const SkillId* begin, const SkillId* stop,
                                       const Policy& policy, double* essential, double* optional,
                                       int* essential_levels, int* related) const {
  int counts[2][3] = {{0, 0, 0}, {0, 0, 0}};  // essential, optional by level
  int related_count = 0;
  if (words_ == 1) {
    // Up to 64 required skills (most vacancies): the ORs in registers.
    // present_ is tested per skill before slot_: going to slot_ for every
    // skill (an all-zero row for one that earns nothing) was slower, slot_
    // being too large for the first-level cache (docs/benchmarks.md,
    // "session 9").
    uint64_t l0 = 0, l1 = 0, l2 = 0, l3 = 0;
    const uint64_t* const masks = masks_.data();
    const uint32_t* const slot = slot_.data();
    const uint64_t* const present = present_.data();
    if (kinds_ == 4) {
      for (const SkillId* it = begin; it != stop; ++it) {
        const SkillId s = *it;
        if (((present[s >> 6] >> (s & 63)) & 1) == 0) continue;
        const uint64_t* m = masks + size_t{slot[s]} * 4;
        l0 |= m[0];
        l1 |= m[1];
        l2 |= m[2];
        l3 |= m[3];
      }
    } else {
      for (const SkillId* it = begin; it != stop; ++it) {
        const SkillId s = *it;
        if (((present[s >> 6] >> (s & 63)) & 1) == 0) continue;
        const uint64_t* m = masks + size_t{slot[s]} * 3;
        l0 |= m[0];
        l1 |= m[1];
        l2 |= m[2];
      }
    }
    // Each bit at its best (lowest) level only, as Gather.
    l1 &= ~l0;
    l2 &= ~(l0 | l1);
    const uint64_t essential_bits = EssentialBits(essential_, 0);
    counts[0][0] = Popcount(l0 & essential_bits);
    counts[0][1] = Popcount(l1 & essential_bits);
    counts[0][2] = Popcount(l2 & essential_bits);
    counts[1][0] = Popcount(l0 & ~essential_bits);
    counts[1][1] = Popcount(l1 & ~essential_bits);
    counts[1][2] = Popcount(l2 & ~essential_bits);
    related_count = Popcount(l3 & essential_bits & ~(l0 | l1 | l2));
  } else {
    Gather(begin, stop);
    const uint32_t words = words_;
    const uint64_t* const got = levels_.data();
    for (uint32_t w = 0; w < words; ++w) {
      const uint64_t essential_bits = EssentialBits(essential_, w);
      for (int l = 0; l < 3; ++l) {
        counts[0][l] += Popcount(got[l * words + w] & essential_bits);
        counts[1][l] += Popcount(got[l * words + w] & ~essential_bits);
      }
      if (kinds_ == 4) {
        related_count += Popcount(got[3 * words + w] & essential_bits &
                                  ~(got[w] | got[words + w] | got[2 * words + w]));
      }
    }
  }
  if (related != nullptr) *related = related_count;
  double sums[2];
  for (int side = 0; side < 2; ++side) {
    sums[side] = counts[side][0] + policy.narrower_skill_credit * counts[side][1] +
                 policy.sibling_skill_credit * counts[side][2];
  }
  *essential = sums[0];
  *optional = sums[1];
  if (essential_levels != nullptr) {
    for (int l = 0; l < 3; ++l) essential_levels[l] += counts[0][l];
    essential_levels[3] +=
        static_cast<int>(essential_) - counts[0][0] - counts[0][1] - counts[0][2];
  }
}

void VacancySkillLookup::Credits(const SkillId* begin, const SkillId* stop, const Policy& policy,
                                 double* essential, double* optional,
                                 int* essential_levels) const {
  Gather(begin, stop);
  const uint32_t words = words_;
  const uint64_t* const got = levels_.data();
  const double credit_of[3] = {1.0, policy.narrower_skill_credit, policy.sibling_skill_credit};
  double essential_sum = 0, optional_sum = 0;
  int counts[3] = {0, 0, 0};
  for (uint32_t w = 0; w < words; ++w) {
    const uint64_t l0 = got[w], l1 = got[words + w], l2 = got[2 * words + w];
    const uint64_t essential_bits = EssentialBits(essential_, w);
    counts[0] += __builtin_popcountll(l0 & essential_bits);
    counts[1] += __builtin_popcountll(l1 & essential_bits);
    counts[2] += __builtin_popcountll(l2 & essential_bits);
    // In list order, as Credit adds them (a level-3 skill adds 0, which
    // changes no sum).
    for (uint64_t any = l0 | l1 | l2; any != 0; any &= any - 1) {
      const uint64_t bit = any & (~any + 1);
      const int level = (l0 & bit) != 0 ? 0 : (l1 & bit) != 0 ? 1 : 2;
      if ((essential_bits & bit) != 0) {
        essential_sum += credit_of[level];
      } else {
        optional_sum += credit_of[level];
      }
    }
  }
  *essential = essential_sum;
  *optional = optional_sum;
  if (essential_levels != nullptr) {
    for (int l = 0; l < 3; ++l) essential_levels[l] += counts[l];
    essential_levels[3] += static_cast<int>(essential_) - counts[0] - counts[1] - counts[2];
  }
}

void VacancySkillLookup::Development(const SkillId* begin, const SkillId* stop,
                                     const Policy& policy, double* credit, int* close,
                                     int* related, std::vector<uint32_t>* developed) const {
  Gather(begin, stop);
  const uint32_t words = words_;
  const uint64_t* const got = levels_.data();
  double sum = 0;
  for (uint32_t w = 0; w < words; ++w) {
    const uint64_t essential_bits = EssentialBits(essential_, w);
    const uint64_t partly = (got[words + w] | got[2 * words + w]) & essential_bits;
    const uint64_t lacked_related =
        got[3 * words + w] & essential_bits & ~(got[w] | got[words + w] | got[2 * words + w]);
    for (uint64_t bits = partly | lacked_related; bits != 0; bits &= bits - 1) {
      const uint64_t lowest = bits & (~bits + 1);
      if ((partly & lowest) != 0) {
        sum += 1.0;
        ++*close;
      } else {
        sum += policy.development_related_credit;
        ++*related;
      }
      if (developed != nullptr) {
        developed->push_back(w * 64 + static_cast<uint32_t>(__builtin_ctzll(bits)));
      }
    }
  }
  *credit = sum;
}

void VacancySkillLookup::Levels(const SkillId* begin, const SkillId* stop,
                                std::vector<uint8_t>* levels, std::vector<SkillId>* via) const {
  const uint32_t end = essential_ + optional_, words = words_;
  levels->assign(end, 3);
  via->assign(end, kNoSkill);
  std::fill(named_.begin(), named_.end(), 0);
  // Level 1 (s is narrower) or 2 (s shares a broader concept): the first
  // such seeker skill, in their order.
  for (const SkillId* it = begin; it != stop; ++it) {
    const SkillId s = *it;
    if (((present_[s >> 6] >> (s & 63)) & 1) == 0) continue;
    const uint64_t* masks = &masks_[size_t{slot_[s]} * kinds_ * words];
    for (uint32_t w = 0; w < words; ++w) {
      for (uint64_t fresh = (masks[words + w] | masks[2 * words + w]) & ~named_[w]; fresh != 0;
           fresh &= fresh - 1) {
        (*via)[w * 64 + static_cast<uint32_t>(__builtin_ctzll(fresh))] = s;
      }
      named_[w] |= masks[words + w] | masks[2 * words + w];
    }
  }
  Gather(begin, stop);
  const uint64_t* const got = levels_.data();
  for (uint32_t w = 0; w < words; ++w) {
    for (uint8_t l = 0; l < 3; ++l) {
      for (uint64_t bits = got[l * words + w]; bits != 0; bits &= bits - 1) {
        (*levels)[w * 64 + static_cast<uint32_t>(__builtin_ctzll(bits))] = l;
      }
    }
  }
}


// --- The soft parts, each in [0, 1]. Evaluate computes them only for pairs
// that pass every hard constraint (matcher/hard_constraints.h). ---
namespace {

// COMMUTE: the trip valued against the policy's standard reach, not the
// seeker's own limit: the same trip scores the same for every seeker (a
// limit lowered for health reasons decides feasibility only).
double CommuteValue(const std::optional<CommuteEstimate>& trip, const Policy& policy) {
  if (!trip) return 1.0;  // a fully remote job
  const double ratio = trip->minutes / static_cast<double>(policy.commute_reference_minutes);
  double value = 1.0 - policy.commute_slope * ratio;
  if (ratio > 1.0 - policy.commute_uncertainty_band) {
    // Near the standard reach an unvalidated estimate counts for less.
    value -= policy.commute_uncertainty_penalty * (1.0 - trip->confidence);
  }
  return std::clamp(value, 0.0, 1.0);
}

// HOURS_FIT: hours outside the wanted range; none for a fleksjob whose hours
// are agreed with this seeker.
// (Reads the fields SeekerTerms keeps: a SeekerProfile or a SeekerTerms.)
// (And the fields VacancyTerms keeps: a VacancyProfile or a VacancyTerms.)
template <typename SeekerFields, typename VacancyFields>
double HoursFit(const SeekerFields& seeker, const VacancyFields& vacancy, const Policy& policy) {
  if (seeker.fleksjob_hours_per_week > 0 && vacancy.kind == VacancyKind::kFleksjob) return 1.0;
  const int h = vacancy.hours_per_week;
  const int gap = h < seeker.min_hours_per_week   ? seeker.min_hours_per_week - h
                  : h > seeker.max_hours_per_week ? h - seeker.max_hours_per_week
                                                  : 0;
  return std::max(0.0, 1.0 - gap / policy.hours_gap_span);
}

// ESSENTIAL_SKILLS and OPTIONAL_SKILLS: the share of the vacancy's skills the
// seeker holds, with the taxonomy's partial credit (optional is 0 when the
// vacancy lists none). The fastest lookup the caller prepared is used when
// not explaining; every path gives the same credits.
// With `count_levels` (not when explaining), also the essential skills by
// credit level, as Coverage counts them.
struct SkillsPart {
  double essential = 0, optional = 0;
  int essential_levels[4] = {0, 0, 0, 0};
};
// The skills not recorded: reduced credit, neither full nor none.
void UnrecordedSkills(const VacancyProfile& vacancy, const Policy& policy, SkillsPart* part) {
  if (!vacancy.essential_skills.empty()) part->essential = policy.unrecorded_skills_credit;
  if (!vacancy.optional_skills.empty()) part->optional = policy.unrecorded_skills_credit;
}
// SkillsFit through the vacancy's lookup, for the seeker's skills [begin, end).
SkillsPart SkillsByLookup(const SkillId* begin, const SkillId* end, const VacancyProfile& vacancy,
                          const Policy& policy, const VacancySkillLookup& vacancy_skills,
                          bool count_levels) {
  SkillsPart part;
  const size_t n_ess = vacancy.essential_skills.size();
  double essential_credit = 0, optional_credit = 0;
  vacancy_skills.Credits(begin, end, policy, &essential_credit, &optional_credit,
                         count_levels ? part.essential_levels : nullptr);
  part.essential = n_ess == 0 ? 1.0 : essential_credit / static_cast<double>(n_ess);
  if (!vacancy.optional_skills.empty()) {
    part.optional = optional_credit / static_cast<double>(vacancy.optional_skills.size());
  }
  if (begin == end) UnrecordedSkills(vacancy, policy, &part);
  return part;
}
// SkillsFit for an explanation through the vacancy's lookup: the values,
// matched skills (with the seeker's skill that earned a partial credit),
// missing skills and missing optional skills Coverage gives from the sorted
// vectors when explaining, in the same order, from one walk of the seeker's
// skills instead of searches per required skill.
SkillsPart SkillsExplainedByLookup(const SeekerProfile& seeker, const VacancyProfile& vacancy,
                                   const Policy& policy, const VacancySkillLookup& lookup,
                                   Score* explain) {
  thread_local std::vector<uint8_t> levels;
  thread_local std::vector<SkillId> via;
  lookup.Levels(seeker.skills.data(), seeker.skills.data() + seeker.skills.size(), &levels, &via);
  const double credit_of[4] = {1.0, policy.narrower_skill_credit, policy.sibling_skill_credit, 0.0};
  size_t position = 0;
  auto cover = [&](const std::vector<SkillId>& required, bool essential) {
    const size_t first = position;
    position += required.size();
    if (required.empty()) return 1.0;
    double credit = 0;
    for (size_t i = 0; i < required.size(); ++i) {
      const SkillId t = required[i];
      const uint8_t level = levels[first + i];
      const double c = credit_of[level];
      credit += c;
      if (c > 0) {
        explain->matched_skills.push_back({t, level == 0 ? t : via[first + i], c});
      } else if (essential) {
        explain->missing_skills.push_back(t);
      } else if (explain->missing_optional_skills.size() < Score::kMaxMissingOptionalSkills) {
        explain->missing_optional_skills.push_back(t);
      }
    }
    return credit / static_cast<double>(required.size());
  };
  SkillsPart part;
  part.essential = cover(vacancy.essential_skills, /*essential=*/true);
  if (!vacancy.optional_skills.empty()) part.optional = cover(vacancy.optional_skills, false);
  if (seeker.skills.empty()) UnrecordedSkills(vacancy, policy, &part);
  return part;
}

SkillsPart SkillsFit(const Taxonomy& taxonomy, const SeekerProfile& seeker,
                     const VacancyProfile& vacancy, const Policy& policy,
                     const SeekerSkillBits* bits, const VacancySkillLookup* vacancy_skills,
                     Score* explain, bool count_levels = false) {
  if (vacancy_skills != nullptr && explain == nullptr) {
    return SkillsByLookup(seeker.skills.data(), seeker.skills.data() + seeker.skills.size(),
                          vacancy, policy, *vacancy_skills, count_levels);
  }
  SkillsPart part;
  int* levels = count_levels && explain == nullptr ? part.essential_levels : nullptr;
  const bool has_optional = !vacancy.optional_skills.empty();
  {
    part.essential = Coverage(taxonomy, seeker, bits, vacancy.essential_skills, policy,
                              explain != nullptr, explain, /*essential=*/true, levels);
    if (has_optional) {
      part.optional = Coverage(taxonomy, seeker, bits, vacancy.optional_skills, policy,
                               explain != nullptr, explain, false);
    }
  }
  if (seeker.skills.empty()) UnrecordedSkills(vacancy, policy, &part);
  return part;
}

// The seeker's credit level for required skill t, by the tests of Coverage:
// 0 held, 1 a narrower skill held, 2 a sibling held, 3 none.
uint8_t SkillLevel(const Taxonomy& taxonomy, const SeekerProfile& seeker,
                   const SeekerSkillBits* bits, SkillId t) {
  if (bits != nullptr) return bits->Level(t);
  if (Contains(seeker.skills, t)) return 0;
  if (Contains(seeker.skill_parents, t)) return 1;
  if (Intersects(taxonomy.skill(t).broader, seeker.skill_parents)) return 2;
  return 3;
}

// DEVELOPMENT_POTENTIAL (development placements with essential skills): what
// the seeker would learn that builds on what they hold. Per essential skill
// (the placement teaches its essential skills): 1 if the seeker holds it
// only partly (a narrower or a sibling skill: close), development_related_
// credit if they lack it but it shares a narrow skill group, up to two
// levels up, with a skill they hold (related), 0 if they hold it already
// (nothing to learn) or it is unrelated. The value is the mean; `reach` is
// min(1, essential + value), which the qualification floor tests instead of
// the essential skills for these kinds. Reads skills only: never needs.
struct DevelopmentPart {
  double value = 0;
  double reach = 0;
  int close = 0, related = 0;
};
DevelopmentPart DevelopmentPotential(const Taxonomy& taxonomy, const SeekerProfile& seeker,
                                     const VacancyProfile& vacancy, const Policy& policy,
                                     const SeekerSkillBits* bits,
                                     const VacancySkillLookup* vacancy_skills, double essential,
                                     Score* explain) {
  DevelopmentPart part;
  const std::vector<SkillId>& required = vacancy.essential_skills;
  if (seeker.skills.empty()) {
    // Skills not recorded: reduced credit, as for the essential skills.
    part.value = policy.unrecorded_skills_credit;
  } else if (vacancy_skills != nullptr) {
    // The same walk by the vacancy's bit sets (a vacancy's list).
    thread_local std::vector<uint32_t> developed;
    developed.clear();
    double credit = 0;
    vacancy_skills->Development(seeker.skills.data(), seeker.skills.data() + seeker.skills.size(),
                                policy, &credit, &part.close, &part.related,
                                explain != nullptr ? &developed : nullptr);
    if (explain != nullptr) {
      for (uint32_t at : developed) explain->development_skills.push_back(required[at]);
    }
    part.value = credit / static_cast<double>(required.size());
  } else {
    // The narrow groups over the seeker's skills, one and two levels up.
    std::vector<SkillId> groups;
    bool groups_ready = false;
    double credit = 0;
    for (SkillId t : required) {
      const uint8_t level = SkillLevel(taxonomy, seeker, bits, t);
      if (level == 0) continue;
      if (level == 1 || level == 2) {
        credit += 1.0;
        ++part.close;
        if (explain != nullptr) explain->development_skills.push_back(t);
        continue;
      }
      bool related = false;
      if (bits != nullptr) {
        related = bits->Related(t);
      } else {
        if (!groups_ready) {
          for (SkillId p : seeker.skill_parents) {
            if (NarrowGroup(taxonomy, p)) groups.push_back(p);
            for (const SkillId* g = taxonomy.BroaderBegin(p); g != taxonomy.BroaderEnd(p); ++g) {
              if (NarrowGroup(taxonomy, *g)) groups.push_back(*g);
            }
          }
          std::sort(groups.begin(), groups.end());
          groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
          groups_ready = true;
        }
        for (const SkillId* b = taxonomy.BroaderBegin(t); b != taxonomy.BroaderEnd(t) && !related;
             ++b) {
          related = Contains(groups, *b);
          for (const SkillId* g = taxonomy.BroaderBegin(*b);
               g != taxonomy.BroaderEnd(*b) && !related; ++g) {
            related = Contains(groups, *g);
          }
        }
      }
      if (!related) continue;
      credit += policy.development_related_credit;
      ++part.related;
      if (explain != nullptr) explain->development_skills.push_back(t);
    }
    part.value = credit / static_cast<double>(required.size());
  }
  part.reach = std::min(1.0, essential + part.value);
  return part;
}

// EDUCATION: a step lost per ISCED level below the vacancy's minimum.
template <typename SeekerFields, typename VacancyFields>
double EducationFit(const SeekerFields& seeker, const VacancyFields& vacancy,
                    const Policy& policy) {
  if (seeker.education_level >= vacancy.min_education_level) return 1.0;
  return std::max(0.0, 1.0 - policy.education_step *
                                 (vacancy.min_education_level - seeker.education_level));
}

// NEEDS_FIT (the seeker's own view) and whether the pair depends on support:
// the credit of each functional need's workplace status, of each avoided
// soft demand the job has, and of the best mitigation of each demand the
// seeker cannot meet. Explaining also names what is met, what to check and
// the support schemes.
struct NeedsPart {
  double credit = 0;
  int counted = 0;
  bool support = false;
};
NeedsPart NeedsFit(const SeekerProfile& seeker, const VacancyProfile& vacancy,
                   const Policy& policy, const Schemes& schemes, Score* explain) {
  NeedsPart part;
  for (const FunctionalNeed& need : seeker.needs) {
    const AccommodationStatus status = WorkplaceStatus(vacancy, need.accommodation);
    part.credit += StatusCredit(status, policy);
    ++part.counted;
    if (status == AccommodationStatus::kPossibleWithScheme) {
      // Only a hard need makes the pair depend on the support; a scheme is
      // named for a soft need too.
      if (need.hard) part.support = true;
      if (explain != nullptr) {
        if (const SupportScheme* s = schemes.SchemeFor(need.accommodation, seeker)) {
          explain->support_schemes.push_back(s->code);
        }
      }
    }
    if (explain != nullptr) {
      if (status == AccommodationStatus::kUnknown) {
        explain->needs_to_check.push_back(need.accommodation);
      } else if (Usable(status)) {
        explain->needs_met.push_back(need.accommodation);
      }
    }
  }
  uint16_t demands = vacancy.demands_essential | vacancy.demands_occasional;
  if (vacancy.night_shifts) demands |= 1u << static_cast<int>(WorkDemand::kNightWork);
  for (int d = 1; d < kWorkDemandCount; ++d) {
    if (!Has(demands, d)) continue;
    if (Has(seeker.excluded_demands_soft, d)) {
      part.credit += policy.needs_credit_soft_demand;  // a demand the seeker prefers to avoid
      ++part.counted;
    }
    if (!Has(seeker.excluded_demands_hard, d)) continue;
    // The best accommodation the workplace has that mitigates the demand (an
    // essential demand without one is DEMAND_EXCLUDED).
    const uint16_t mitigations = schemes.Mitigations(static_cast<WorkDemand>(d));
    AccommodationStatus best = AccommodationStatus::kNotPossible;
    Accommodation via = Accommodation::kStepFreeAccess;
    for (int a = 1; a < kAccommodationCount; ++a) {
      if (!Has(mitigations, a)) continue;
      const AccommodationStatus s = WorkplaceStatus(vacancy, static_cast<Accommodation>(a));
      if (Usable(s) && (!Usable(best) || StatusCredit(s, policy) > StatusCredit(best, policy))) {
        best = s;
        via = static_cast<Accommodation>(a);
      }
    }
    part.support = true;
    part.credit +=
        Usable(best) ? StatusCredit(best, policy) : policy.needs_credit_unmitigated_demand;
    ++part.counted;
    if (explain != nullptr && best == AccommodationStatus::kPossibleWithScheme) {
      if (const SupportScheme* s = schemes.SchemeFor(via, seeker)) {
        explain->support_schemes.push_back(s->code);
      }
    }
  }
  return part;
}

// The weighted sides of the total, as Evaluate composes them.
struct Sides {
  double share = 0;                // requirements_share
  double pref_weight = 0;          // occupation + commute + hours
  double seeker_pref_weight = 0;   // the same + needs fit where it applies
  double req_weight = 0;           // essential + optional, education, development where they apply
  double floor_factor = 1.0;       // the qualification floor's factor
  bool has_optional = false, has_education = false, needs_apply = false;
  bool has_development = false;    // a development placement with essential skills
};

// The parts of an explained score, with their share of the total.
void ExplainParts(const SeekerProfile& seeker, const VacancyProfile& vacancy,
                  const Policy& policy, const Sides& sides, const PairFacts& facts,
                  double essential, double optional, double education,
                  const DevelopmentPart& development, double commute_value, double hours,
                  double needs_fit, Score* score) {
  const double share = sides.share;
  const double floor_factor = sides.floor_factor;
  auto add = [&](Reason r, double value, double weight, double side_weight, double side_share,
                 std::string evidence) {
    const double contribution =
        side_weight > 0 ? floor_factor * side_share * weight / side_weight * value : 0;
    score->parts.push_back({r, value, weight, contribution, std::move(evidence)});
  };
  const size_t n_ess = vacancy.essential_skills.size();
  std::string essential_evidence =
      seeker.skills.empty()
          ? absl::StrCat("skills not recorded: reduced credit ",
                         Fixed(policy.unrecorded_skills_credit, 2), " for the ",
                         static_cast<int>(n_ess), " essential skills")
          : absl::StrCat(Fixed(essential * n_ess, 1), " of ", static_cast<int>(n_ess),
                         " essential skills (exact or related)");
  if (vacancy.skills_from_occupation_profile) {
    absl::StrAppend(&essential_evidence, ", from the occupation profile");
  }
  if (floor_factor < 1.0) {
    absl::StrAppend(
        &essential_evidence,
        sides.has_development
            ? absl::StrCat("; skills held and to develop reach ",
                           Fixed(100 * development.reach, 0),
                           "%, below the qualification floor of ",
                           Fixed(100 * policy.qualification_floor, 0),
                           "%: every part counts x ", Fixed(floor_factor, 2))
            : absl::StrCat("; below the qualification floor of ",
                           Fixed(100 * policy.qualification_floor, 0),
                           "%: every part counts x ", Fixed(floor_factor, 2)));
  }
  add(Reason::kEssentialSkills, essential, policy.weight_essential_skills, sides.req_weight,
      share, std::move(essential_evidence));
  if (sides.has_optional) {
    add(Reason::kOptionalSkills, optional, policy.weight_optional_skills, sides.req_weight, share,
        absl::StrCat(Fixed(optional * 100, 0), "% of optional skills"));
  }
  if (sides.has_education) {
    add(Reason::kEducation, education, policy.weight_education, sides.req_weight, share,
        absl::StrCat("ISCED ", seeker.education_level, " vs required ",
                     vacancy.min_education_level));
  }
  if (sides.has_development) {
    std::string evidence =
        seeker.skills.empty()
            ? absl::StrCat("skills not recorded: reduced credit ", Fixed(development.value, 2))
            : absl::StrCat(absl::AsciiStrToLower(VacancyKindName(vacancy.kind)), ": ",
                           development.close + development.related, " of ",
                           static_cast<int>(n_ess), " essential skills to develop, ",
                           development.close,
                           " close to skills held (a narrower or sibling skill), ",
                           development.related,
                           " related (same skill group); skills already held count 0 here");
    // The rule that applied follows from the seeker's target group, so it is
    // in Score::placement_rule (shown like the target group), not here.
    add(Reason::kDevelopmentPotential, development.value, policy.weight_development_potential,
        sides.req_weight, share, std::move(evidence));
  }
  add(Reason::kOccupationFit, facts.occupation_fit, policy.weight_occupation, sides.pref_weight,
      1 - share,
      facts.best_substitute > 0
          ? absl::StrCat("vacancy ISCO ", Padded4(vacancy.isco),
                         "; a substitute for a wanted occupation (",
                         Fixed(100.0 * facts.best_substitute, 0), "% shared essential skills)")
          : absl::StrCat("vacancy ISCO ", Padded4(vacancy.isco)));
  add(Reason::kCommute, commute_value, policy.weight_commute, sides.pref_weight, 1 - share,
      score->commute
          ? absl::StrCat(
                "about ", Fixed(score->commute->minutes, 0), " min one way by ",
                TransportModeName(score->commute->mode), ", ", score->commute->daily_minutes,
                " min a day (limit ", seeker.max_commute_minutes, " one way, ",
                CommuteLimitReasonName(seeker.commute_limit_reason),
                "; scored against the standard ", policy.commute_reference_minutes, " min), ",
                score->commute->source == CommuteSource::kMatrix
                    ? "travel-time matrix"
                    : "model estimate, not yet validated against real travel times")
          : std::string("remote job"));
  const bool hours_per_person =
      vacancy.kind == VacancyKind::kFleksjob && vacancy.hours_agreed_per_person;
  add(Reason::kHoursFit, hours, policy.weight_hours, sides.pref_weight, 1 - share,
      hours_per_person
          ? absl::StrCat("fleksjob with hours agreed per person: ", seeker.fleksjob_hours_per_week,
                         " approved h/week (the vacancy states ", vacancy.hours_per_week, ")")
          : absl::StrCat(vacancy.hours_per_week, " h/week vs wanted ", seeker.min_hours_per_week,
                         "-", seeker.max_hours_per_week));
  // Seeker's view only: contribution relative to seeker_view_total.
  if (sides.needs_apply) {
    score->parts.push_back(
        {Reason::kNeedsFit, needs_fit, policy.weight_needs_fit,
         sides.seeker_pref_weight > 0 ? floor_factor * (1 - share) * policy.weight_needs_fit /
                                            sides.seeker_pref_weight * needs_fit
                                      : 0,
         "seeker's view only; never used to rank seekers against each other"});
  }
  std::sort(score->support_schemes.begin(), score->support_schemes.end());
  score->support_schemes.erase(
      std::unique(score->support_schemes.begin(), score->support_schemes.end()),
      score->support_schemes.end());
}

}  // namespace

Score Scorer::Evaluate(const SeekerProfile& seeker, const VacancyProfile& vacancy,
                       const Policy& policy, absl::Time now, Detail detail,
                       const SeekerSkillBits* bits, std::optional<Cutoff> cutoff,
                       const VacancySkillLookup* vacancy_skills,
                       const CommuteEstimate* known_trip) const {
  const bool explain = detail != Detail::kTotals;
  const bool skill_lists = detail == Detail::kExplain;  // and commute_by_mode
  // Every return returns `score` itself, so it is built in place rather than
  // copied (ranking scores many pairs that fail a constraint).
  Score score;
  score.fortrinsadgang = vacancy.public_employer;

  // --- Hard constraints, in the table's order; the first that fails blocks. ---
  const SeekerKey seeker_key = KeyOf(seeker);
  const VacancyKey vacancy_key = KeyOf(vacancy, *schemes_);
  const PairContext context{seeker, vacancy,    seeker_key, vacancy_key, policy,
                            now,    *taxonomy_, *schemes_,  *commute_,   known_trip};
  PairFacts facts;
  if (const int failed = FirstFailingConstraint(context, &facts); failed >= 0) {
    const HardConstraint& rule = kHardConstraints[failed];
    score.verdict = Verdict::kInfeasible;
    score.blocker = rule.reason;
    // Details are formatted only when explaining.
    if (explain) score.blocker_detail = rule.detail(context, facts);
    score.total = score.seeker_view_total = 0;
    return score;
  }
  if (explain) score.parts.reserve(8);
  if (skill_lists) {
    // The lists an explanation fills, at their most (one allocation each).
    score.matched_skills.reserve(vacancy.essential_skills.size() + vacancy.optional_skills.size());
    score.missing_skills.reserve(vacancy.essential_skills.size());
    score.missing_optional_skills.reserve(
        std::min(vacancy.optional_skills.size(), Score::kMaxMissingOptionalSkills));
    if (HasDevelopmentPart(vacancy)) {
      score.development_skills.reserve(vacancy.essential_skills.size());
    }
  }
  if (explain && facts.trip) score.commute = facts.trip;
  if (skill_lists && facts.trip) {
    score.commute_by_mode.reserve(
        static_cast<size_t>(__builtin_popcount(seeker.transport_modes)));
    for (int m = 1; m < kTransportModeCount; ++m) {
      if (!Has(seeker.transport_modes, m)) continue;
      if (auto e = commute_->Estimate(seeker.home, vacancy.workplace,
                                      static_cast<TransportMode>(m))) {
        score.commute_by_mode.push_back(*e);
      }
    }
  }

  // --- Soft parts: the cheap preference side first. ---
  const NeedsPart needs =
      NeedsFit(seeker, vacancy, policy, *schemes_, explain ? &score : nullptr);
  if (needs.support) score.verdict = Verdict::kFeasibleWithSupport;
  const double commute_value = CommuteValue(facts.trip, policy);
  const double hours = HoursFit(seeker, vacancy, policy);
  Sides sides;
  // Needs fit applies only where a need or an avoided demand meets this job;
  // otherwise it is left out and the seeker's view equals the total.
  sides.needs_apply = needs.counted > 0;
  const double needs_fit = sides.needs_apply ? needs.credit / needs.counted : 1.0;
  const double share = sides.share = policy.requirements_share;
  sides.pref_weight = policy.weight_occupation + policy.weight_commute + policy.weight_hours;
  const double pref_sum = policy.weight_occupation * facts.occupation_fit +
                          policy.weight_commute * commute_value + policy.weight_hours * hours;
  score.preference_fit = sides.pref_weight > 0 ? pref_sum / sides.pref_weight : 0;
  sides.seeker_pref_weight = sides.pref_weight + (sides.needs_apply ? policy.weight_needs_fit : 0);
  const double seeker_pref =
      !sides.needs_apply ? score.preference_fit
      : sides.seeker_pref_weight > 0
          ? (pref_sum + policy.weight_needs_fit * needs_fit) / sides.seeker_pref_weight
          : 0;
  sides.has_optional = !vacancy.optional_skills.empty();
  sides.has_education = vacancy.min_education_level > 0;
  sides.req_weight = policy.weight_essential_skills +
                     (sides.has_optional ? policy.weight_optional_skills : 0) +
                     (sides.has_education ? policy.weight_education : 0);
  score.placement_rule = facts.placement_rule;
  sides.has_development = HasDevelopmentPart(vacancy);
  if (sides.has_development) sides.req_weight += policy.weight_development_potential;

  // Pruning: with the requirements fit at its maximum, could this pair still
  // reach the cut-off? If not, skip the skill comparison. The bound has the
  // same arithmetic shape as the total, so total <= bound holds exactly.
  if (cutoff.has_value()) {
    const double best_requirements = sides.req_weight > 0 ? 1.0 : 0.0;
    const double total_bound = share * best_requirements + (1 - share) * score.preference_fit;
    const double seeker_bound = share * best_requirements + (1 - share) * seeker_pref;
    if (total_bound < cutoff->total_below && seeker_bound < cutoff->seeker_view_below) {
      score.pruned = true;
      score.total = total_bound;
      score.seeker_view_total = seeker_bound;
      return score;
    }
  }

  // --- The requirements side: skills and education. ---
  const SkillsPart skills =
      skill_lists && vacancy_skills != nullptr
          ? SkillsExplainedByLookup(seeker, vacancy, policy, *vacancy_skills, &score)
          : SkillsFit(*taxonomy_, seeker, vacancy, policy, bits, vacancy_skills,
                      skill_lists ? &score : nullptr);
  const double essential = skills.essential, optional = skills.optional;
  const double education = sides.has_education ? EducationFit(seeker, vacancy, policy) : 0;
  double req_sum = policy.weight_essential_skills * essential +
                   (sides.has_optional ? policy.weight_optional_skills * optional : 0) +
                   (sides.has_education ? policy.weight_education * education : 0);
  // A development placement also credits what the seeker would learn, and
  // its floor tests the skills held and to develop together.
  DevelopmentPart development;
  double floor_value = essential;
  if (sides.has_development) {
    development = DevelopmentPotential(*taxonomy_, seeker, vacancy, policy, bits, vacancy_skills,
                                       essential,
                                       skill_lists ? &score : nullptr);
    req_sum += policy.weight_development_potential * development.value;
    floor_value = development.reach;
  }
  score.requirements_fit = sides.req_weight > 0 ? req_sum / sides.req_weight : 0;
  score.total = share * score.requirements_fit + (1 - share) * score.preference_fit;
  score.seeker_view_total = share * score.requirements_fit + (1 - share) * seeker_pref;
  // The qualification floor (never raises a score, so the pruning bound holds).
  sides.floor_factor = floor_value < policy.qualification_floor
                           ? floor_value / policy.qualification_floor
                           : 1.0;
  if (sides.floor_factor < 1.0) {
    score.total *= sides.floor_factor;
    score.seeker_view_total *= sides.floor_factor;
  }

  if (explain) {
    ExplainParts(seeker, vacancy, policy, sides, facts, essential, optional, education,
                 development, commute_value, hours, needs_fit, &score);
  }
  return score;
}

// --- The upper bound the scans prune with (see scorer.h): Evaluate's
// arithmetic with every input at least the real one. Floating-point
// rounding is monotone, so the same expression over larger inputs is never
// smaller; kBoundSlack covers any reassociation by the compiler. ---
bool Scorer::BoundCovers(const VacancyProfile&) {
  // Every kind: UpperBound bounds every part Evaluate scores, the
  // development part of development placements (virksomhedspraktik,
  // loentilskud, IGU, voksenlaerling) and its credit against the
  // qualification floor included.
  return true;
}

namespace {

size_t EssentialCount(const VacancyProfile& v) { return v.essential_skills.size(); }
size_t EssentialCount(const VacancyTerms& v) { return v.essential_count; }
size_t OptionalCount(const VacancyProfile& v) { return v.optional_skills.size(); }
size_t OptionalCount(const VacancyTerms& v) { return v.optional_count; }

// SkillsFit by the seeker's credit levels for a vacancy's skills as pools
// hold them (n_ess essential ones at `essential`, n_opt optional ones at
// `optional`): the same credits added in the same order as Coverage with
// `bits`, so the same values. (Bound only: explaining never comes here.)
// With `credits`, the essential skills' credit and levels are looked up
// there by `essential_at` first, and kept there if new.
SkillsPart SkillsByBits(const SeekerSkillBits& bits, const SkillId* essential,
                        const SkillId* optional, size_t n_ess, size_t n_opt,
                        bool seeker_skills_empty, const Policy& policy, bool count_levels,
                        EssentialCredits* credits, uint32_t essential_at) {
  SkillsPart part;
  const double credit_of[4] = {1.0, policy.narrower_skill_credit, policy.sibling_skill_credit,
                               0.0};
  if (n_ess == 0) {
    part.essential = 1.0;
  } else if (credits != nullptr) {
    const EssentialCredits::Entry* known = credits->Find(essential_at);
    EssentialCredits::Entry summed;
    if (known == nullptr) {
      for (size_t i = 0; i < n_ess; ++i) {
        const uint8_t level = bits.Level(essential[i]);
        summed.credit += credit_of[level];
        ++summed.levels[level];
      }
      credits->Keep(essential_at, summed);
      known = &summed;
    }
    part.essential = known->credit / static_cast<double>(n_ess);
    if (count_levels) std::copy(known->levels, known->levels + 4, part.essential_levels);
  } else {
    double credit = 0;
    if (count_levels) {
      for (size_t i = 0; i < n_ess; ++i) {
        const uint8_t level = bits.Level(essential[i]);
        credit += credit_of[level];
        ++part.essential_levels[level];
      }
    } else {
      for (size_t i = 0; i < n_ess; ++i) credit += credit_of[bits.Level(essential[i])];
    }
    part.essential = credit / static_cast<double>(n_ess);
  }
  if (n_opt > 0) {
    double credit = 0;
    for (size_t i = 0; i < n_opt; ++i) credit += credit_of[bits.Level(optional[i])];
    part.optional = credit / static_cast<double>(n_opt);
  }
  if (seeker_skills_empty) {
    // UnrecordedSkills.
    if (n_ess > 0) part.essential = policy.unrecorded_skills_credit;
    if (n_opt > 0) part.optional = policy.unrecorded_skills_credit;
  }
  return part;
}

// UpperBound's arithmetic, for a SeekerProfile or a SeekerTerms (the fields
// both have) whose skills came out as `skills` (counted by level for a
// development placement), and a VacancyProfile or a VacancyTerms.
template <typename SeekerFields, typename VacancyFields>
Scorer::Bound BoundFrom(const SeekerFields& seeker, bool own_view, bool skills_empty,
                        const VacancyFields& vacancy, const Policy& policy,
                        const SkillsPart& skills, bool trip_known, const CommuteEstimate* trip) {
  // Preference side: occupation fit at the policy's best (later goals and
  // substitutes only lower it), the commute at 1 unless known, hours exact.
  const double best_occupation =
      std::max({policy.occupation_fit_exact, policy.occupation_fit_unit_group,
                policy.occupation_fit_unit_group_unspecified, policy.occupation_fit_minor_group,
                policy.occupation_fit_sub_major_group,
                policy.substitute_fit_base + policy.substitute_fit_slope});
  double commute_value = 1.0;
  if (trip_known) {
    commute_value = CommuteValue(trip != nullptr ? std::optional<CommuteEstimate>(*trip)
                                                 : std::optional<CommuteEstimate>(),
                                 policy);
  }
  const double hours = HoursFit(seeker, vacancy, policy);
  const double share = policy.requirements_share;
  const double pref_weight = policy.weight_occupation + policy.weight_commute + policy.weight_hours;
  const double pref_sum = policy.weight_occupation * best_occupation +
                          policy.weight_commute * commute_value + policy.weight_hours * hours;
  const double pref = pref_weight > 0 ? pref_sum / pref_weight : 0;
  // The needs fit (seeker's view only) at 1, where it may apply.
  double seeker_pref = pref;
  if (own_view) {
    const double with_needs_weight = pref_weight + policy.weight_needs_fit;
    const double with_needs =
        with_needs_weight > 0 ? (pref_sum + policy.weight_needs_fit * 1.0) / with_needs_weight : 0;
    seeker_pref = std::max(pref, with_needs);
  }
  // Requirements side: skills and education exact.
  const bool has_development = HasDevelopmentPart(vacancy);
  const bool has_optional = OptionalCount(vacancy) > 0;
  const bool has_education = vacancy.min_education_level > 0;
  const double education = has_education ? EducationFit(seeker, vacancy, policy) : 0;
  double req_weight = policy.weight_essential_skills +
                      (has_optional ? policy.weight_optional_skills : 0) +
                      (has_education ? policy.weight_education : 0);
  double req_sum = policy.weight_essential_skills * skills.essential +
                   (has_optional ? policy.weight_optional_skills * skills.optional : 0) +
                   (has_education ? policy.weight_education * education : 0);
  double floor_value = skills.essential;
  if (has_development) {
    // DEVELOPMENT_POTENTIAL at most what DevelopmentPotential credits from
    // the essential skills' levels: 1 for each held only partly (narrower or
    // sibling), development_related_credit for each counted at level 3 (not
    // held at all: every one, or those the vacancy's lookup knows to be
    // related), 0 for each held; the reduced credit without recorded
    // skills. Its floor tests min(1, essential + value).
    const int* n = skills.essential_levels;
    const double value =
        skills_empty
            ? policy.unrecorded_skills_credit
            : (static_cast<double>(n[1] + n[2]) + policy.development_related_credit * n[3]) /
                  static_cast<double>(EssentialCount(vacancy));
    req_weight += policy.weight_development_potential;
    req_sum += policy.weight_development_potential * value;
    floor_value = std::min(1.0, skills.essential + value);
  }
  const double requirements = req_weight > 0 ? req_sum / req_weight : 0;
  Scorer::Bound bound;
  bound.total = share * requirements + (1 - share) * pref;
  bound.seeker_view_total = share * requirements + (1 - share) * seeker_pref;
  if (floor_value < policy.qualification_floor) {
    const double floor_factor = floor_value / policy.qualification_floor;
    bound.total *= floor_factor;
    bound.seeker_view_total *= floor_factor;
  }
  bound.total += Scorer::kBoundSlack;
  bound.seeker_view_total += Scorer::kBoundSlack;
  return bound;
}

}  // namespace

Scorer::Bound Scorer::UpperBound(const SeekerProfile& seeker, const VacancyProfile& vacancy,
                                 const Policy& policy, const SeekerSkillBits* bits,
                                 const VacancySkillLookup* vacancy_skills, bool trip_known,
                                 const CommuteEstimate* trip) const {
  const SkillsPart skills = SkillsFit(*taxonomy_, seeker, vacancy, policy, bits, vacancy_skills,
                                      nullptr, /*count_levels=*/HasDevelopmentPart(vacancy));
  return BoundFrom(seeker, HasOwnView(seeker), seeker.skills.empty(), vacancy, policy, skills,
                   trip_known, trip);
}

Scorer::Bound Scorer::UpperBound(const SeekerTerms& seeker, const SkillId* skills,
                                 const VacancyProfile& vacancy, const Policy& policy,
                                 const VacancySkillLookup& vacancy_skills) const {
  // SkillsByLookup's values with the bound's credits; for a development
  // placement the essential skills none of the seeker's earns a level for
  // counted only where DevelopmentPotential relates them to one they hold
  // (it credits the others nothing).
  const bool development = HasDevelopmentPart(vacancy);
  const size_t n_ess = vacancy.essential_skills.size(), n_opt = vacancy.optional_skills.size();
  SkillsPart part;
  double essential_credit = 0, optional_credit = 0;
  int related = 0;
  vacancy_skills.CreditsByBits(skills, skills + seeker.skill_count, policy, &essential_credit,
                               &optional_credit, development ? part.essential_levels : nullptr,
                               development ? &related : nullptr);
  if (development) part.essential_levels[3] = related;
  part.essential = n_ess == 0 ? 1.0 : essential_credit / static_cast<double>(n_ess);
  if (n_opt > 0) part.optional = optional_credit / static_cast<double>(n_opt);
  if (seeker.skill_count == 0) UnrecordedSkills(vacancy, policy, &part);
  return BoundFrom(seeker, seeker.own_view, seeker.skill_count == 0, vacancy, policy, part,
                   /*trip_known=*/false, nullptr);
}

Scorer::Bound Scorer::UpperBound(const SeekerProfile& seeker, const VacancyTerms& vacancy,
                                 const SkillId* essential, const SkillId* optional,
                                 const Policy& policy, const SeekerSkillBits& seeker_bits,
                                 EssentialCredits* credits) const {
  const SkillsPart part =
      SkillsByBits(seeker_bits, essential, optional, vacancy.essential_count,
                   vacancy.optional_count, seeker.skills.empty(), policy,
                   HasDevelopmentPart(vacancy), credits, vacancy.essential_at);
  return BoundFrom(seeker, HasOwnView(seeker), seeker.skills.empty(), vacancy, policy, part,
                   /*trip_known=*/false, nullptr);
}

VacancyTerms TermsOf(const VacancyProfile& vacancy) {
  VacancyTerms terms;
  terms.essential_count = static_cast<uint32_t>(vacancy.essential_skills.size());
  terms.optional_count = static_cast<uint32_t>(vacancy.optional_skills.size());
  terms.hours_per_week = vacancy.hours_per_week;
  terms.min_education_level = vacancy.min_education_level;
  terms.kind = vacancy.kind;
  return terms;
}

SeekerTerms TermsOf(const SeekerProfile& seeker) {
  SeekerTerms terms;
  terms.min_hours_per_week = seeker.min_hours_per_week;
  terms.max_hours_per_week = seeker.max_hours_per_week;
  terms.fleksjob_hours_per_week = seeker.fleksjob_hours_per_week;
  terms.education_level = seeker.education_level;
  terms.skill_count = static_cast<uint32_t>(seeker.skills.size());
  terms.own_view = Scorer::HasOwnView(seeker);
  return terms;
}


double DevelopmentPotentialMax(const VacancyProfile& vacancy, const Policy& policy) {
  if (!HasDevelopmentPart(vacancy)) return 0;
  const double req_weight = policy.weight_essential_skills +
                            (vacancy.optional_skills.empty() ? 0 : policy.weight_optional_skills) +
                            (vacancy.min_education_level > 0 ? policy.weight_education : 0) +
                            policy.weight_development_potential;
  return req_weight > 0
             ? policy.requirements_share * policy.weight_development_potential / req_weight
             : 0;
}

}  // namespace jobmatch::matcher
