// The hard-constraint table (matcher/hard_constraints.h) against Evaluate and
// against docs/matching.md: the scans' prefilters exclude only pairs Evaluate
// excludes, and every pair Evaluate excludes for a one-sided or key rule.
#include "matcher/hard_constraints.h"

#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "gtest/gtest.h"
#include "tests/matcher/matcher_fixture.h"

namespace jobmatch::matcher {
namespace {

using testing::Data;
using testing::Evaluate;
using testing::MakeSeeker;
using testing::MakeVacancy;
using testing::Now;

constexpr int kCleaner = 9112;
constexpr int kDentist = 2261;

bool Prefiltered(const SeekerProfile& s, const VacancyProfile& v) {
  const SeekerKey seeker = KeyOf(s);
  const VacancyKey vacancy = KeyOf(v, *Data().schemes);
  return !SeekerAdmitted(seeker) || !VacancyAdmitted(vacancy, Now()) ||
         !KeysAdmitted(seeker, vacancy);
}

TEST(HardConstraintsTest, EachRowHasTheCheckOfItsSideAndADetail) {
  std::map<Reason, ConstraintSide> side_of;
  std::set<std::string> names;
  for (const HardConstraint& c : kHardConstraints) {
    EXPECT_TRUE(names.insert(c.name).second) << c.name;
    EXPECT_EQ(c.seeker_fails != nullptr, c.side == ConstraintSide::kSeeker) << c.name;
    EXPECT_EQ(c.vacancy_fails != nullptr, c.side == ConstraintSide::kVacancy) << c.name;
    EXPECT_EQ(c.key_fails != nullptr, c.side == ConstraintSide::kKeys) << c.name;
    EXPECT_EQ(c.pair_fails != nullptr, c.side == ConstraintSide::kPair) << c.name;
    EXPECT_NE(c.detail, nullptr) << c.name;
    // A reason shared by several rows (HOURS_INCOMPATIBLE) is of one side, so
    // a blocker tells which prefilter should have caught the pair.
    auto [it, fresh] = side_of.emplace(c.reason, c.side);
    EXPECT_EQ(it->second, c.side) << c.name;
  }
  // Every hard Reason of score.h has a row.
  for (int r = static_cast<int>(Reason::kSeekerInactive);
       r <= static_cast<int>(Reason::kAuthorisationMissing); ++r) {
    EXPECT_TRUE(side_of.count(static_cast<Reason>(r))) << ReasonName(static_cast<Reason>(r));
  }
}

TEST(HardConstraintsTest, PrefiltersAgreeWithEvaluateOnVariedPairs) {
  const Schemes& schemes = *Data().schemes;
  const int dentist_auth = schemes.AuthorisationFor(kDentist);
  ASSERT_GE(dentist_auth, 0);
  std::mt19937 rng(13);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  std::map<std::string, int> blocked_by;
  int feasible = 0;
  for (int i = 0; i < 6000; ++i) {
    const int isco = pick(3) == 0 ? kDentist : kCleaner;
    SeekerProfile s = MakeSeeker("s", 8000, isco);
    s.active = pick(12) != 0;
    s.acceptable_kinds = pick(3) == 0 ? static_cast<uint8_t>(pick(64) & ~1) : 0;
    s.fleksjob_hours_per_week = pick(3) == 0 ? 10 + pick(20) : 0;
    s.max_hours_hard = pick(3) == 0;
    s.max_hours_per_week = 20 + pick(25);
    s.min_hours_per_week = 0;
    s.max_hours_per_day = pick(4) == 0 ? 4 + pick(6) : 0;
    s.available_from = pick(3) == 0 ? Now() + absl::Hours(24 * pick(60)) : absl::InfinitePast();
    s.licences = static_cast<uint16_t>(pick(4) == 0 ? 0 : 0b10);
    s.authorisations = pick(2) == 0 ? (1u << dentist_auth) : 0;
    VacancyProfile v = MakeVacancy("v", 8000, isco);
    v.open = pick(12) != 0;
    v.valid_until = Now() + absl::Hours(24 * (pick(40) - 5));
    v.kind = static_cast<VacancyKind>(1 + pick(5));
    v.hours_per_week = 8 + pick(34);
    v.hours_agreed_per_person = pick(2) == 0;
    v.flexible_hours = pick(2) == 0;
    v.starts = pick(2) == 0 ? Now() + absl::Hours(24 * pick(60)) : absl::InfinitePast();
    v.required_licences = static_cast<uint16_t>(pick(3) == 0 ? 0b10 : 0);
    const Score score = Evaluate(s, v);
    const bool prefiltered = Prefiltered(s, v);
    if (score.feasible()) {
      ++feasible;
      EXPECT_FALSE(prefiltered) << "a prefilter drops a feasible pair, case " << i;
      continue;
    }
    EXPECT_FALSE(score.blocker_detail.empty());
    ConstraintSide side = ConstraintSide::kPair;
    for (const HardConstraint& c : kHardConstraints) {
      if (c.reason == *score.blocker) side = c.side;
    }
    ++blocked_by[ReasonName(*score.blocker)];
    // The prefilters test rows of every side but kPair: a pair whose first
    // failing row is one of them must be prefiltered.
    if (side != ConstraintSide::kPair) {
      EXPECT_TRUE(prefiltered) << ReasonName(*score.blocker) << ", case " << i;
    }
  }
  EXPECT_GT(feasible, 300);
  // The generator reaches every row the prefilters test.
  for (const HardConstraint& c : kHardConstraints) {
    if (c.side != ConstraintSide::kPair) {
      EXPECT_GT(blocked_by[ReasonName(c.reason)], 10) << c.name;
    }
  }
}

TEST(HardConstraintsTest, TheFirstFailingRowInTableOrderBlocks) {
  // Closed, of a kind the seeker does not consider, without the licence and
  // too far: the earliest of those rows is reported, then the next once it
  // is fixed.
  SeekerProfile s = MakeSeeker("s", 8000, kCleaner);
  s.acceptable_kinds = 1u << static_cast<int>(VacancyKind::kOrdinary);
  s.max_commute_minutes = 5;
  VacancyProfile v = MakeVacancy("v", 9000, kCleaner);
  v.open = false;
  v.kind = VacancyKind::kLoentilskud;
  v.required_licences = 0b10;
  EXPECT_EQ(Evaluate(s, v).blocker, Reason::kVacancyClosed);
  v.open = true;
  EXPECT_EQ(Evaluate(s, v).blocker, Reason::kKindNotAccepted);
  v.kind = VacancyKind::kOrdinary;
  EXPECT_EQ(Evaluate(s, v).blocker, Reason::kLicenceMissing);
  s.licences = 0b10;
  EXPECT_EQ(Evaluate(s, v).blocker, Reason::kCommuteTooLong);
}

TEST(HardConstraintsTest, DocsListEveryRowInOrderWithItsSide) {
  std::ifstream in(std::string(JOBMATCH_SOURCE_DATA_DIR) + "/../docs/matching.md");
  ASSERT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  size_t last = 0;
  int n = 0;
  for (const HardConstraint& c : kHardConstraints) {
    const std::string row = std::string("| ") + std::to_string(++n) + " | `" + c.name + "` | " +
                            ReasonName(c.reason) + " | " + ConstraintSideName(c.side) + " |";
    const size_t at = doc.find(row);
    EXPECT_NE(at, std::string::npos) << "docs/matching.md lacks the row " << row;
    if (at != std::string::npos) {
      EXPECT_GT(at, last) << row << " is out of order";
      last = at;
    }
  }
}

}  // namespace
}  // namespace jobmatch::matcher

namespace jobmatch::matcher {
namespace {

// PlacementRowsAdmit (what a development placement's scan tests once per
// target group) against Evaluate: it refuses exactly the pairs Evaluate
// blocks with placement_not_eligible or placement_too_long, for every kind,
// both employer sectors, durations around the rules' maxima and every
// target group the rules name, none and an unknown one.
TEST(HardConstraintsTest, PlacementRowsByTargetGroupAgreeWithEvaluate) {
  const Schemes& schemes = *Data().schemes;
  std::set<std::string> groups = {"", "no-such-group"};
  for (const PlacementRule& rule : schemes.placement_rules().rules()) {
    for (const auto& g : rule.target_groups) groups.insert(g);
  }
  size_t refused = 0, admitted = 0;
  for (int k = 1; k < kVacancyKindCount; ++k) {
    for (bool public_employer : {false, true}) {
      for (int weeks : {0, 4, 13, 26, 52, 104}) {
        VacancyProfile v = MakeVacancy("v", 8000, kCleaner);
        v.kind = static_cast<VacancyKind>(k);
        v.public_employer = public_employer;
        v.duration_weeks = weeks;
        for (const std::string& group : groups) {
          SeekerProfile s = MakeSeeker("s", 8000, kCleaner);
          s.target_group = group;
          const Score score = Evaluate(s, v);
          const bool blocked = !score.feasible() &&
                               (*score.blocker == Reason::kPlacementNotEligible ||
                                *score.blocker == Reason::kPlacementTooLong);
          EXPECT_EQ(PlacementRowsAdmit(schemes, v, group, Now()), !blocked)
              << VacancyKindName(v.kind) << " public " << public_employer << " weeks " << weeks
              << " group '" << group << "'";
          (blocked ? refused : admitted) += 1;
        }
      }
    }
  }
  EXPECT_GT(refused, 10u);
  EXPECT_GT(admitted, 10u);
}

}  // namespace
}  // namespace jobmatch::matcher
