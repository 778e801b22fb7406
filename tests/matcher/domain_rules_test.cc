// Issue 13 §2: domain rules a consultant would expect (fleksjob hours, hard
// weekly hours, availability, expected skill profiles).
#include <algorithm>
#include <string>

#include "gtest/gtest.h"
#include "matcher/profiles.h"
#include "matcher/schemes.h"
#include "tests/matcher/matcher_fixture.h"

namespace jobmatch::matcher {
namespace {

using testing::Data;
using testing::Evaluate;
using testing::MakeSeeker;
using testing::MakeVacancy;
using testing::Now;

const ScorePart* Part(const Score& s, Reason r) {
  for (const auto& p : s.parts) {
    if (p.reason == r) return &p;
  }
  return nullptr;
}

// The issue: a seeker approved for 10 h/week was FEASIBLE with HOURS_FIT 1.0
// for a 37-hour fleksjob.
TEST(DomainRulesTest, ApprovedFleksjobHoursLimitFleksjobsUnlessAgreedPerPerson) {
  SeekerProfile seeker = MakeSeeker("s", 8000, 9112);
  seeker.fleksjob_hours_per_week = 10;
  VacancyProfile job = MakeVacancy("v", 8000, 9112);
  job.kind = VacancyKind::kFleksjob;
  job.hours_per_week = 37;
  Score s = Evaluate(seeker, job);
  EXPECT_EQ(s.blocker, Reason::kHoursIncompatible);
  EXPECT_NE(s.blocker_detail.find("approved for 10"), std::string::npos) << s.blocker_detail;
  job.hours_per_week = 10;
  EXPECT_TRUE(Evaluate(seeker, job).feasible());
  job.hours_per_week = 37;
  job.hours_agreed_per_person = true;
  s = Evaluate(seeker, job);
  ASSERT_TRUE(s.feasible());
  EXPECT_NE(Part(s, Reason::kHoursFit)->evidence.find("agreed per person"), std::string::npos);
}

TEST(DomainRulesTest, StatedMaximumWeeklyHoursAreHardWhenTheSeekerSaysSo) {
  SeekerProfile seeker = MakeSeeker("s", 8000, 9112);
  seeker.max_hours_per_week = 30;
  const VacancyProfile job = MakeVacancy("v", 8000, 9112);  // 37 h
  const Score soft = Evaluate(seeker, job);
  ASSERT_TRUE(soft.feasible());
  EXPECT_LT(Part(soft, Reason::kHoursFit)->value, 1.0);
  seeker.max_hours_hard = true;
  EXPECT_EQ(Evaluate(seeker, job).blocker, Reason::kHoursIncompatible);
}

TEST(DomainRulesTest, AvailableFromIsComparedWithTheVacancysStart) {
  SeekerProfile seeker = MakeSeeker("s", 8000, 9112);
  seeker.available_from = Now() + absl::Hours(24 * 30);
  VacancyProfile job = MakeVacancy("v", 8000, 9112);
  EXPECT_TRUE(Evaluate(seeker, job).feasible());  // no start stated
  job.starts = Now() + absl::Hours(24 * 7);
  const Score s = Evaluate(seeker, job);
  EXPECT_EQ(s.blocker, Reason::kNotAvailableInTime);
  EXPECT_STREQ(ReasonName(*s.blocker), "NOT_AVAILABLE_IN_TIME");
  job.starts = Now() + absl::Hours(24 * 60);
  EXPECT_TRUE(Evaluate(seeker, job).feasible());
}

// The issue: an ISCO-only vacancy took the first ESCO occupation in file
// order (9112 -> "toilet attendant", 9333 -> "airport baggage handler").
TEST(DomainRulesTest, IscoOnlyVacancyUsesTheRepresentativeProfileOfTheGroup) {
  const Taxonomy& t = *Data().taxonomy;
  for (int isco : {9112, 9333, 5322}) {
    VacancyProfile v;
    v.id = "v";
    v.isco = isco;
    PrepareVacancy(t, &v);
    ASSERT_TRUE(v.skills_from_occupation_profile) << isco;
    ASSERT_FALSE(v.essential_skills.empty()) << isco;
    const auto& group = t.OccupationsInUnitGroup(isco);
    if (group.size() < 3) continue;
    EXPECT_NE(v.essential_skills, t.occupation(group.front()).essential) << isco;
    // Every skill of the profile is essential to several of the group's occupations.
    for (SkillId id : v.essential_skills) {
      int holders = 0;
      for (OccupationId o : group) {
        const auto& e = t.occupation(o).essential;
        holders += std::binary_search(e.begin(), e.end(), id) ? 1 : 0;
      }
      EXPECT_GE(holders, 2) << isco << " " << t.skill(id).label;
    }
  }
}

// The issue: a vacancy listing only optional skills gave everyone full
// essential credit (a seeker with no skills: ESSENTIAL_SKILLS 1.00).
TEST(DomainRulesTest, AVacancyWithoutEssentialSkillsIsScoredOnItsOccupationsProfile) {
  SeekerProfile none = MakeSeeker("s", 8000, 9112);
  none.skills.clear();
  PrepareSeeker(*Data().taxonomy, &none);
  VacancyProfile job = MakeVacancy("v", 8000, 9112);
  const std::vector<SkillId> optional = job.optional_skills;
  job.essential_skills.clear();
  job.optional_skills = {Data().taxonomy->occupation(job.esco).essential.front()};
  job.skills_from_occupation_profile = false;
  PrepareVacancy(*Data().taxonomy, &job);
  EXPECT_TRUE(job.skills_from_occupation_profile);
  EXPECT_EQ(job.essential_skills, Data().taxonomy->occupation(job.esco).essential);
  EXPECT_EQ(job.optional_skills.size(), 1u);  // the vacancy's own optional skills stay
  const Score s = Evaluate(none, job);
  ASSERT_TRUE(s.feasible());
  EXPECT_LT(Part(s, Reason::kEssentialSkills)->value, 0.5);
}

// The issue: a physiotherapist was FEASIBLE (0.79) for a dentist vacancy, a
// nurse for a midwife vacancy.
TEST(DomainRulesTest, RegulatedProfessionsRequireTheAuthorisation) {
  const Schemes& schemes = *Data().schemes;
  struct Case { int seeker_isco, vacancy_isco; const char* held; const char* needed; };
  for (const Case& c : {Case{2264, 2261, "fysioterapeut", "tandlaege"},
                        Case{2221, 2222, "sygeplejerske", "jordemoder"}}) {
    SeekerProfile seeker = MakeSeeker("s", 8000, c.seeker_isco);
    seeker.authorisations = 1u << schemes.AuthorisationIndex(c.held);
    const VacancyProfile job = MakeVacancy("v", 8000, c.vacancy_isco);
    const Score s = Evaluate(seeker, job);
    EXPECT_EQ(s.blocker, Reason::kAuthorisationMissing) << c.vacancy_isco;
    EXPECT_STREQ(ReasonName(Reason::kAuthorisationMissing), "AUTHORISATION_MISSING");
    EXPECT_NE(s.blocker_detail.find("regulated profession"), std::string::npos) << s.blocker_detail;
    seeker.authorisations |= 1u << schemes.AuthorisationIndex(c.needed);
    EXPECT_NE(Evaluate(seeker, job).blocker, Reason::kAuthorisationMissing) << c.vacancy_isco;
  }
  // Their own profession with their own authorisation is fine; without it, not.
  SeekerProfile nurse = MakeSeeker("s", 8000, 2221);
  const VacancyProfile nursing = MakeVacancy("v", 8000, 2221);
  EXPECT_EQ(Evaluate(nurse, nursing).blocker, Reason::kAuthorisationMissing);
  nurse.authorisations = 1u << schemes.AuthorisationIndex("sygeplejerske");
  EXPECT_TRUE(Evaluate(nurse, nursing).feasible());
  // An unregulated occupation needs none.
  EXPECT_EQ(schemes.AuthorisationFor(9112), -1);
}

// The issue: the first scheme covering an accommodation always won (MENTOR
// never yielded isbryder; FLEXIBLE_HOURS named fleksjob for people not
// approved for it), and SOFT needs got no scheme.
TEST(DomainRulesTest, TheSchemeNamedIsOneTheSeekerIsEligibleFor) {
  SeekerProfile seeker = MakeSeeker("s", 8000, 9112);
  seeker.needs.push_back({Accommodation::kMentor, true});
  seeker.needs.push_back({Accommodation::kFlexibleHours, false});  // soft
  VacancyProfile job = MakeVacancy("v", 8000, 9112);
  job.accommodations[static_cast<int>(Accommodation::kMentor)] = AccommodationStatus::kPossibleWithScheme;
  job.accommodations[static_cast<int>(Accommodation::kFlexibleHours)] =
      AccommodationStatus::kPossibleWithScheme;
  auto schemes_of = [&](const SeekerProfile& s) { return Evaluate(s, job).support_schemes; };
  EXPECT_EQ(schemes_of(seeker), std::vector<std::string>{"mentor"});
  seeker.newly_educated = true;
  EXPECT_EQ(schemes_of(seeker), std::vector<std::string>{"isbryder"});
  seeker.fleksjob_hours_per_week = 20;  // approved: fleksjob is named for the soft need
  job.hours_per_week = 20;
  EXPECT_EQ(schemes_of(seeker), (std::vector<std::string>{"fleksjob", "isbryder"}));
  EXPECT_EQ(Evaluate(seeker, job).verdict, Verdict::kFeasibleWithSupport);
}

// The issue: a seeker with no skills 4 min away (0.39) ranked above holders
// of 20 % and 10 % of the essential skills (0.37, 0.33).
TEST(DomainRulesTest, QualificationFloorKeepsThoseWithoutEssentialSkillsBelowThoseWithMost) {
  const VacancyProfile job = MakeVacancy("v", 8000, 9112);
  const std::vector<SkillId>& essential = job.essential_skills;
  ASSERT_GE(essential.size(), 5u);
  auto holding = [&](double share, int postal_code) {
    SeekerProfile s = MakeSeeker("s", postal_code, 9112);
    s.skills.assign(essential.begin(),
                    essential.begin() + static_cast<long>(share * essential.size()));
    if (s.skills.empty()) s.skills = {Data().taxonomy->occupation(testing::OccupationIn(2512)).essential.front()};
    PrepareSeeker(*Data().taxonomy, &s);
    return Evaluate(s, job);
  };
  const Score none = holding(0.0, 8000), tenth = holding(0.1, 8600), fifth = holding(0.2, 8600);
  const Score most = holding(0.6, 8600);
  EXPECT_LT(none.total, most.total);
  EXPECT_LT(none.total, fifth.total);
  EXPECT_LE(none.total, tenth.total);
  EXPECT_LT(tenth.total, most.total);
  ASSERT_TRUE(none.feasible());
  // The contributions still add up to the total, and the evidence names the floor.
  double sum = 0;
  for (const auto& p : fifth.parts) sum += p.reason == Reason::kNeedsFit ? 0 : p.contribution;
  EXPECT_NEAR(sum, fifth.total, 1e-9);
  EXPECT_NE(Part(fifth, Reason::kEssentialSkills)->evidence.find("qualification floor"),
            std::string::npos);
  // Without the floor the old order comes back.
  Policy no_floor;
  no_floor.qualification_floor = 0;
  SeekerProfile near_none = MakeSeeker("s", 8000, 9112);
  near_none.skills = {Data().taxonomy->occupation(testing::OccupationIn(2512)).essential.front()};
  PrepareSeeker(*Data().taxonomy, &near_none);
  EXPECT_GT(Evaluate(near_none, job, no_floor).total, Evaluate(near_none, job).total);
}

TEST(DomainRulesTest, ASeekerWithoutRecordedSkillsGetsReducedCredit) {
  SeekerProfile seeker = MakeSeeker("s", 8000, 9112);
  seeker.skills.clear();
  PrepareSeeker(*Data().taxonomy, &seeker);
  const Score s = Evaluate(seeker, MakeVacancy("v", 8000, 9112));
  ASSERT_TRUE(s.feasible());
  const ScorePart* part = Part(s, Reason::kEssentialSkills);
  EXPECT_EQ(part->value, Policy().unrecorded_skills_credit);
  EXPECT_NE(part->evidence.find("skills not recorded"), std::string::npos);
  EXPECT_GT(s.total, 0);
  EXPECT_LT(s.total, Evaluate(MakeSeeker("t", 8000, 9112), MakeVacancy("v", 8000, 9112)).total);
}

}  // namespace
}  // namespace jobmatch::matcher
