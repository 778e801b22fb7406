// Development placements through the API (issue 17 §2): a virksomhedspraktik
// ranks the seekers it would develop, eligibility and duration come from the
// versioned rules table and name the rule, and live lists, Explain, WhyNot
// and the nightly rematch give one pair one score.
#include <algorithm>

#include "gtest/gtest.h"
#include "jobmatch/v1/rematch_service.grpc.pb.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

constexpr int kIsco = 5120;  // cooks

// For each essential skill of the occupation, a sibling skill (another skill
// under one of its broader concepts) that is not itself essential: a seeker
// holding these is close to every skill the placement teaches.
std::vector<std::string> SiblingSkillUris(int isco) {
  const matcher::Taxonomy& t = *RefData().taxonomy;
  const auto& essential = t.occupation(t.FindOccupation(EscoOccupationIn(isco))).essential;
  std::vector<matcher::SkillId> out;
  for (matcher::SkillId skill : essential) {
    bool found = false;
    for (const auto* b = t.BroaderBegin(skill); b != t.BroaderEnd(skill) && !found; ++b) {
      for (const auto* n = t.NarrowerBegin(*b); n != t.NarrowerEnd(*b) && !found; ++n) {
        if (*n == skill || t.skill(*n).is_group ||
            std::binary_search(essential.begin(), essential.end(), *n)) {
          continue;
        }
        out.push_back(*n);
        found = true;
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  std::vector<std::string> uris;
  for (auto id : out) uris.push_back(t.skill(id).uri);
  return uris;
}

class DevelopmentPlacementTest : public ServiceFixture {
 protected:
  v1::Seeker Close(const std::string& id) {
    v1::Seeker s = ValidSeeker(id, 8200, kIsco);
    s.clear_skills();
    for (const auto& uri : SiblingSkillUris(kIsco)) s.add_skills()->set_esco_uri(uri);
    // The rule that applied follows from the target group, which results
    // show only with the seeker's consent (docs/security.md).
    s.set_consent_share_needs_with_employers(true);
    return s;
  }
  v1::Vacancy Praktik(const std::string& id, int weeks) {
    v1::Vacancy v = ValidVacancy(id, 8000, kIsco);
    v.set_kind(v1::VIRKSOMHEDSPRAKTIK);
    v.set_duration_weeks(weeks);
    return v;
  }
  static const v1::ScorePart* Part(const v1::Explanation& e, const std::string& reason) {
    for (const auto& p : e.parts()) {
      if (p.reason() == reason) return &p;
    }
    return nullptr;
  }
};

TEST_F(DevelopmentPlacementTest, APraktikRanksTheSeekerItWouldDevelopFirst) {
  ASSERT_GE(SiblingSkillUris(kIsco).size(), 3u);
  ASSERT_TRUE(PutSeeker(ValidSeeker("ready", 8200, kIsco)).ok());
  ASSERT_TRUE(PutSeeker(Close("close")).ok());
  ASSERT_TRUE(PutVacancy(Praktik("praktik", 4)).ok());
  v1::Vacancy job = ValidVacancy("job", 8000, kIsco);
  ASSERT_TRUE(PutVacancy(job).ok());

  const v1::MatchResponse praktik = TopSeekers("praktik");
  ASSERT_EQ(praktik.matches_size(), 2);
  EXPECT_EQ(praktik.matches(0).id(), "close");
  EXPECT_EQ(praktik.matches(1).id(), "ready");
  // The same two for an ordinary job: the one who holds the skills first.
  const v1::MatchResponse ordinary = TopSeekers("job");
  ASSERT_EQ(ordinary.matches_size(), 2);
  EXPECT_EQ(ordinary.matches(0).id(), "ready");

  const v1::Explanation e = Explain("close", "praktik");
  const v1::ScorePart* dev = Part(e, "DEVELOPMENT_POTENTIAL");
  ASSERT_NE(dev, nullptr);
  EXPECT_GT(dev->value(), 0.5);
  EXPECT_GT(dev->contribution(), 0);
  EXPECT_GT(e.development_skills_size(), 0);
  EXPECT_EQ(e.placement_rule().rule_id(), "vp-jobparat");
  EXPECT_EQ(e.placement_rule().rule_version(), 1);
  EXPECT_EQ(e.placement_rule().table_version(), "2026-12");
  EXPECT_EQ(e.placement_rule().max_weeks(), 4);
  EXPECT_EQ(e.placement_rule().valid_from(), "2020-01-01");
  EXPECT_NE(e.placement_rule().source().find("aktiv beskæftigelsesindsats"), std::string::npos);
  EXPECT_EQ(Part(Explain("close", "job"), "DEVELOPMENT_POTENTIAL"), nullptr);

  // Without consent the score and its parts are the same; the rule is not
  // shown.
  v1::Seeker quiet = Close("quiet");
  quiet.set_consent_share_needs_with_employers(false);
  ASSERT_TRUE(PutSeeker(quiet).ok());
  const v1::Explanation q = Explain("quiet", "praktik");
  EXPECT_FALSE(q.has_placement_rule());
  EXPECT_EQ(q.total(), e.total());
  ASSERT_NE(Part(q, "DEVELOPMENT_POTENTIAL"), nullptr);
  EXPECT_EQ(Part(q, "DEVELOPMENT_POTENTIAL")->evidence(), dev->evidence());
}

TEST_F(DevelopmentPlacementTest, AnIneligibleTargetGroupIsInfeasibleWithTheRuleNamed) {
  v1::Seeker self = Close("self");
  self.set_target_group("selvforsoerger");
  ASSERT_TRUE(PutSeeker(self).ok());
  ASSERT_TRUE(PutVacancy(Praktik("praktik", 4)).ok());
  const v1::Explanation e = Explain("self", "praktik");
  EXPECT_EQ(e.verdict(), "INFEASIBLE");
  EXPECT_EQ(e.blocker(), "PLACEMENT_NOT_ELIGIBLE");
  EXPECT_NE(e.blocker_detail().find("vp-jobparat v1"), std::string::npos) << e.blocker_detail();
  EXPECT_NE(e.blocker_detail().find("vp-13-uger v1"), std::string::npos) << e.blocker_detail();
  EXPECT_EQ(TopSeekers("praktik").matches_size(), 0);
  // Without consent the blocker stays, the rules it names do not.
  self.set_id("self-quiet");
  self.set_consent_share_needs_with_employers(false);
  ASSERT_TRUE(PutSeeker(self).ok());
  const v1::Explanation quiet = Explain("self-quiet", "praktik");
  EXPECT_EQ(quiet.blocker(), "PLACEMENT_NOT_ELIGIBLE");
  EXPECT_EQ(quiet.blocker_detail().find("vp-"), std::string::npos) << quiet.blocker_detail();

  // WhyNot says the same.
  v1::WhyNotRequest why;
  why.set_seeker_id("self");
  why.set_vacancy_id("praktik");
  v1::WhyNotResponse answer;
  ASSERT_TRUE(match_->WhyNot(Context().get(), why, &answer).ok());
  EXPECT_EQ(answer.kind(), "INFEASIBLE");
  EXPECT_EQ(answer.score().blocker(), "PLACEMENT_NOT_ELIGIBLE");
}

TEST_F(DevelopmentPlacementTest, ADurationOverTheRulesLimitIsInfeasible) {
  ASSERT_TRUE(PutSeeker(Close("jobready")).ok());
  v1::Seeker sick = Close("sick");
  sick.set_target_group("sygedagpenge");
  ASSERT_TRUE(PutSeeker(sick).ok());
  ASSERT_TRUE(PutVacancy(Praktik("eight-weeks", 8)).ok());

  const v1::Explanation e = Explain("jobready", "eight-weeks");
  EXPECT_EQ(e.blocker(), "PLACEMENT_TOO_LONG");
  EXPECT_NE(e.blocker_detail().find("8 weeks; rule vp-jobparat v1 allows at most 4 weeks"),
            std::string::npos)
      << e.blocker_detail();
  // The sick-listed may be placed for up to 13 weeks.
  const v1::Explanation s = Explain("sick", "eight-weeks");
  EXPECT_NE(s.verdict(), "INFEASIBLE") << s.blocker_detail();
  EXPECT_EQ(s.placement_rule().rule_id(), "vp-13-uger");
  const v1::MatchResponse list = TopSeekers("eight-weeks");
  ASSERT_EQ(list.matches_size(), 1);
  EXPECT_EQ(list.matches(0).id(), "sick");

  // A duration out of range is refused, naming the field.
  v1::Vacancy bad = Praktik("bad", -1);
  grpc::Status status = PutVacancy(bad);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("vacancy.duration_weeks"), std::string::npos)
      << status.error_message();
}

TEST_F(DevelopmentPlacementTest, TheNewKindsAreStoredAndRuledByTheirOwnRows) {
  ASSERT_TRUE(PutSeeker(Close("jobready")).ok());
  v1::Seeker self = Close("self");
  self.set_target_group("selvforsoerger");
  ASSERT_TRUE(PutSeeker(self).ok());
  v1::Vacancy igu = Praktik("igu", 104);
  igu.set_kind(v1::IGU);
  ASSERT_TRUE(PutVacancy(igu).ok());
  v1::Vacancy voksen = Praktik("voksen", 156);
  voksen.set_kind(v1::VOKSENLAERLING);
  ASSERT_TRUE(PutVacancy(voksen).ok());

  EXPECT_EQ(Explain("jobready", "igu").placement_rule().rule_id(), "igu");
  EXPECT_EQ(Explain("self", "igu").blocker(), "PLACEMENT_NOT_ELIGIBLE");
  // Voksenlærling: every target group, no maximum duration.
  const v1::Explanation v = Explain("self", "voksen");
  EXPECT_NE(v.verdict(), "INFEASIBLE") << v.blocker_detail();
  EXPECT_EQ(v.placement_rule().rule_id(), "voksenlaerling");
  EXPECT_EQ(v.placement_rule().max_weeks(), 0);
  ASSERT_NE(Part(v, "DEVELOPMENT_POTENTIAL"), nullptr);

  // A kind filter finds them.
  v1::TopVacanciesRequest request;
  request.set_seeker_id("jobready");
  request.mutable_filters()->add_vacancy_kinds(v1::IGU);
  v1::MatchResponse response;
  ASSERT_TRUE(match_->TopVacanciesForSeeker(Context().get(), request, &response).ok());
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).id(), "igu");
}

TEST_F(DevelopmentPlacementTest, OnePairScoresTheSameLiveInExplainWhyNotAndNightly) {
  ASSERT_TRUE(PutSeeker(ValidSeeker("ready", 8200, kIsco)).ok());
  ASSERT_TRUE(PutSeeker(Close("close")).ok());
  ASSERT_TRUE(PutVacancy(Praktik("praktik", 4)).ok());

  const v1::MatchResponse live = TopSeekers("praktik");
  ASSERT_EQ(live.matches_size(), 2);
  const v1::Explanation explained = Explain("close", "praktik");
  double live_total = -1;
  for (const auto& m : live.matches()) {
    if (m.id() == "close") live_total = m.explanation().total();
  }
  EXPECT_EQ(live_total, explained.total());

  v1::WhyNotRequest why;
  why.set_seeker_id("close");
  why.set_vacancy_id("praktik");
  v1::WhyNotResponse answer;
  ASSERT_TRUE(match_->WhyNot(Context().get(), why, &answer).ok());
  EXPECT_EQ(answer.kind(), "IN_LIST");
  EXPECT_EQ(answer.score().total(), explained.total());

  const v1::RematchRun run = RunRematchToEnd();
  ASSERT_EQ(run.state(), "DONE") << run.error();
  auto rematch = v1::RematchService::NewStub(channel_);
  v1::GetRematchMatchesRequest request;
  request.set_vacancy_id("praktik");
  v1::RematchMatches nightly;
  ASSERT_TRUE(rematch->GetRematchMatches(Context().get(), request, &nightly).ok());
  ASSERT_EQ(nightly.matches_size(), 2);
  EXPECT_EQ(nightly.matches(0).id(), "close");
  EXPECT_EQ(nightly.matches(0).score(), explained.total());
}

}  // namespace
}  // namespace jobmatch::testing
