// Targeted upskilling through the public gRPC API: skill gaps per area and
// upskilling plans per seeker (docs/upskilling.md). Every expected figure is
// derived from Explain, the one scoring function, on the same records.
#include <algorithm>
#include <set>

#include "jobmatch/v1/upskilling_service.grpc.pb.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

constexpr char kBuildingCleaner[] =
    "http://data.europa.eu/esco/occupation/303a1e34-cb16-4054-b323-81e5eec17397";
// "perform cleaning activities in an environmentally friendly way": essential
// for building cleaners, related to none of their other essential skills (no
// partial credit without it), and taught by EX-AMU-0003 in the example
// course catalogue.
constexpr char kGreenCleaning[] =
    "http://data.europa.eu/esco/skill/4fb7f781-9362-426a-9eb6-65c360f83e31";
constexpr char kHygiene[] =
    "http://data.europa.eu/esco/skill/0162b701-6bb4-400a-b557-7996053d7daf";

class UpskillingTest : public ServiceFixture {
 protected:
  void SetUp() override {
    options_.course_catalogue =
        matcher::ReferenceData::SourceTreeDataDir() + "/courses/courses.example.tsv";
    options_.scope_of = [](const grpc::ServerContextBase& context) -> std::optional<AccessScope> {
      auto it = context.client_metadata().find("x-test-caller");
      if (it == context.client_metadata().end()) return std::nullopt;
      AccessScope scope;
      scope.caller_id = std::string(it->second.data(), it->second.size());
      scope.municipalities = {751};  // Aarhus
      return scope;
    };
    Start();
    upskilling_ = v1::UpskillingService::NewStub(channel_);
  }

  // A building cleaner in Aarhus with every essential skill of the
  // occupation except `without`.
  static v1::Seeker Cleaner(const std::string& id, const std::string& without, int postal = 8200) {
    v1::Seeker s = ValidSeeker(id, postal, 9112);
    s.clear_occupations();
    auto* occ = s.add_occupations();
    occ->set_isco_code("9112");
    occ->set_esco_uri(kBuildingCleaner);
    s.clear_skills();
    const auto& t = *RefData().taxonomy;
    for (auto skill : t.occupation(t.FindOccupation(kBuildingCleaner)).essential) {
      if (t.skill(skill).uri != without) s.add_skills()->set_esco_uri(t.skill(skill).uri);
    }
    return s;
  }
  static v1::Vacancy CleaningJob(const std::string& id) {
    v1::Vacancy v = ValidVacancy(id, 8000, 9112);
    v.set_esco_occupation_uri(kBuildingCleaner);
    v.add_essential_skills(kGreenCleaning);
    v.add_essential_skills(kHygiene);
    return v;
  }
  // Seeker "near" lacks the green-cleaning skill for "job"; "twin" has it.
  // Returns the good_score halfway between their totals, so that the skill
  // is exactly what separates a near miss from a good match.
  double PutNearMissAndTwin() {
    EXPECT_TRUE(PutVacancy(CleaningJob("job")).ok());
    EXPECT_TRUE(PutSeeker(Cleaner("near", kGreenCleaning)).ok());
    EXPECT_TRUE(PutSeeker(Cleaner("twin", "")).ok());
    const v1::Explanation before = Explain("near", "job");
    const v1::Explanation after = Explain("twin", "job");
    EXPECT_EQ(before.verdict(), "FEASIBLE");
    EXPECT_EQ(before.missing_skills_size(), 1);
    if (before.missing_skills_size() > 0) {
      EXPECT_EQ(before.missing_skills(0).esco_uri(), kGreenCleaning);
    }
    EXPECT_LT(before.total(), after.total());
    return (before.total() + after.total()) / 2;
  }

  std::unique_ptr<v1::UpskillingService::Stub> upskilling_;
};

TEST_F(UpskillingTest, AreaListsTheSkillThatTurnsANearMissIntoAGoodMatch) {
  const double good = PutNearMissAndTwin();
  v1::SkillGapsRequest request;
  request.add_municipalities(751);
  request.mutable_settings()->set_good_score(good);
  request.mutable_settings()->set_near_miss_margin(0.5);
  v1::SkillGapsResponse response;
  grpc::Status status = upskilling_->SkillGaps(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.seekers(), 2u);
  EXPECT_EQ(response.feasible_pairs(), 2u);
  EXPECT_EQ(response.good_pairs(), 1u);  // the twin
  EXPECT_EQ(response.near_misses(), 1u);
  EXPECT_EQ(response.unlockable_pairs(), 1u);
  ASSERT_EQ(response.skills_size(), 1);
  const v1::SkillUnlock& top = response.skills(0);
  EXPECT_EQ(top.skill().esco_uri(), kGreenCleaning);
  EXPECT_EQ(top.skill().label(), "perform cleaning activities in an environmentally friendly way");
  EXPECT_EQ(top.pairs_alone(), 1u);
  EXPECT_EQ(top.seekers_alone(), 1u);
  EXPECT_EQ(top.vacancies_alone(), 1u);
  ASSERT_EQ(top.groups_size(), 1);
  EXPECT_EQ(top.groups(0).isco_group(), "911");
  EXPECT_FALSE(top.groups(0).label().empty());
  ASSERT_EQ(top.courses_size(), 1);
  EXPECT_EQ(top.courses(0).code(), "EX-AMU-0003");
  EXPECT_EQ(response.course_catalogue_version(), "example-2026-12");

  // With the bar above what the skill can reach, nothing is unlocked.
  const v1::Explanation twin = Explain("twin", "job");
  request.mutable_settings()->set_good_score(std::min(1.0, twin.total() + 0.01));
  ASSERT_TRUE(upskilling_->SkillGaps(Context().get(), request, &response).ok());
  EXPECT_EQ(response.good_pairs(), 0u);
  EXPECT_EQ(response.unlockable_pairs(), 0u);
  EXPECT_EQ(response.skills_size(), 0);
}

TEST_F(UpskillingTest, PlanNamesTheSkillAndTheVacanciesItOpens) {
  const double good = PutNearMissAndTwin();
  ASSERT_TRUE(PutVacancy(CleaningJob("job2")).ok());
  v1::UpskillingPlanRequest request;
  request.set_seeker_id("near");
  request.mutable_settings()->set_good_score(good);
  request.mutable_settings()->set_near_miss_margin(0.5);
  v1::UpskillingPlanResponse plan;
  grpc::Status status = upskilling_->UpskillingPlan(Context().get(), request, &plan);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(plan.feasible(), 2u);
  EXPECT_EQ(plan.good(), 0u);
  EXPECT_EQ(plan.near_misses(), 2u);
  ASSERT_EQ(plan.steps_size(), 1);
  EXPECT_EQ(plan.steps(0).skill().esco_uri(), kGreenCleaning);
  EXPECT_EQ(std::set<std::string>(plan.steps(0).vacancy_ids().begin(),
                                  plan.steps(0).vacancy_ids().end()),
            (std::set<std::string>{"job", "job2"}));
  ASSERT_EQ(plan.opened_size(), 2);
  const v1::Explanation twin = Explain("twin", "job");
  for (const auto& o : plan.opened()) {
    EXPECT_EQ(o.step(), 1);
    EXPECT_DOUBLE_EQ(o.total_after(), twin.total());  // the one scorer, skill added
    EXPECT_DOUBLE_EQ(o.total_before(), Explain("near", o.vacancy_id()).total());
    EXPECT_GE(o.total_after(), o.bar());
  }
  EXPECT_EQ(plan.steps(0).courses(0).code(), "EX-AMU-0003");
}

TEST_F(UpskillingTest, FunctionalNeedsNeverCountAgainstASeeker) {
  const double good = PutNearMissAndTwin();
  // The same seeker with a soft need the workplace cannot meet: it lowers
  // only their own view of the job, never the total.
  v1::Seeker with_need = Cleaner("with-need", kGreenCleaning);
  auto* need = with_need.add_needs();
  need->set_accommodation(v1::QUIET_WORKSPACE);
  need->set_strength(v1::SOFT);
  ASSERT_TRUE(PutSeeker(with_need).ok());
  const v1::Explanation e = Explain("with-need", "job");
  ASSERT_EQ(e.verdict(), "FEASIBLE");
  EXPECT_DOUBLE_EQ(e.total(), Explain("near", "job").total());
  v1::UpskillingPlanRequest request;
  request.mutable_settings()->set_good_score(good);
  request.mutable_settings()->set_near_miss_margin(0.5);
  v1::UpskillingPlanResponse plain, needs;
  request.set_seeker_id("near");
  ASSERT_TRUE(upskilling_->UpskillingPlan(Context().get(), request, &plain).ok());
  request.set_seeker_id("with-need");
  ASSERT_TRUE(upskilling_->UpskillingPlan(Context().get(), request, &needs).ok());
  EXPECT_EQ(needs.near_misses(), plain.near_misses());
  ASSERT_EQ(needs.steps_size(), plain.steps_size());
  ASSERT_EQ(needs.opened_size(), plain.opened_size());
  for (int i = 0; i < needs.opened_size(); ++i) {
    EXPECT_DOUBLE_EQ(needs.opened(i).total_before(), plain.opened(i).total_before());
    EXPECT_DOUBLE_EQ(needs.opened(i).total_after(), plain.opened(i).total_after());
  }
  // In the area both count alike.
  v1::SkillGapsRequest area;
  *area.mutable_settings() = request.settings();
  v1::SkillGapsResponse gaps;
  ASSERT_TRUE(upskilling_->SkillGaps(Context().get(), area, &gaps).ok());
  ASSERT_EQ(gaps.skills_size(), 1);
  EXPECT_EQ(gaps.skills(0).seekers_alone(), 2u);
}

TEST_F(UpskillingTest, ScopeAndBadInputAreRefusedWithTheFieldNamed) {
  PutNearMissAndTwin();
  ASSERT_TRUE(PutSeeker(Cleaner("copenhagen", kGreenCleaning, 2100)).ok());
  auto as_aarhus = [] {
    auto context = Context();
    context->AddMetadata("x-test-caller", "aarhus-consultant");
    return context;
  };
  v1::SkillGapsRequest area;
  area.add_municipalities(101);
  v1::SkillGapsResponse gaps;
  grpc::Status status = upskilling_->SkillGaps(as_aarhus().get(), area, &gaps);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(status.error_message().find("municipality 101"), std::string::npos);
  // Without municipalities: the caller's own (Aarhus), not Copenhagen.
  area.clear_municipalities();
  ASSERT_TRUE(upskilling_->SkillGaps(as_aarhus().get(), area, &gaps).ok());
  EXPECT_EQ(gaps.seekers(), 2u);
  ASSERT_EQ(gaps.municipalities_size(), 1);
  EXPECT_EQ(gaps.municipalities(0), 751);

  v1::UpskillingPlanRequest plan;
  plan.set_seeker_id("copenhagen");
  v1::UpskillingPlanResponse response;
  status = upskilling_->UpskillingPlan(as_aarhus().get(), plan, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  plan.set_seeker_id("nobody");
  EXPECT_EQ(upskilling_->UpskillingPlan(Context().get(), plan, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);

  plan.set_seeker_id("near");
  plan.mutable_settings()->set_good_score(1.5);
  status = upskilling_->UpskillingPlan(Context().get(), plan, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("settings.good_score"), std::string::npos);
  area.add_municipalities(12345);
  status = upskilling_->SkillGaps(Context().get(), area, &gaps);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("municipalities[0]"), std::string::npos);
}

TEST_F(UpskillingTest, NightlyReportHasASkillGapSection) {
  PutNearMissAndTwin();
  ASSERT_TRUE(PutSeeker(Cleaner("copenhagen", kGreenCleaning, 2100)).ok());
  v1::RematchRun run = RunRematchToEnd();
  ASSERT_EQ(run.state(), "DONE");
  auto rematch = v1::RematchService::NewStub(channel_);
  v1::GetRematchReportRequest request;
  v1::RematchReport report;
  ASSERT_TRUE(rematch->GetRematchReport(Context().get(), request, &report).ok());
  const v1::SkillGapSection& section = report.skill_gaps();
  EXPECT_EQ(section.seekers_total(), 3u);
  EXPECT_EQ(section.seekers_analysed(), 3u);
  EXPECT_DOUBLE_EQ(section.settings().good_score(), 0.7);
  // The same figures as the RPC over all seekers with the same settings.
  v1::SkillGapsRequest area;
  *area.mutable_settings() = section.settings();
  area.set_limit(20);
  v1::SkillGapsResponse gaps;
  ASSERT_TRUE(upskilling_->SkillGaps(Context().get(), area, &gaps).ok());
  EXPECT_EQ(section.feasible_pairs(), gaps.feasible_pairs());
  EXPECT_EQ(section.good_pairs(), gaps.good_pairs());
  EXPECT_EQ(section.near_misses(), gaps.near_misses());
  EXPECT_EQ(section.unlockable_pairs(), gaps.unlockable_pairs());
  ASSERT_EQ(section.skills_size(), gaps.skills_size());
  for (int i = 0; i < gaps.skills_size(); ++i) {
    EXPECT_EQ(section.skills(i).skill().esco_uri(), gaps.skills(i).skill().esco_uri());
    EXPECT_EQ(section.skills(i).pairs_alone(), gaps.skills(i).pairs_alone());
  }
}

}  // namespace
}  // namespace jobmatch::testing
