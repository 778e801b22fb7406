// Employer data is live: what a vacancy inherits from its employer (default
// accommodations, the public-sector flag behind fortrinsadgang) applies the
// moment the employer is written, changed or deleted -- also for vacancies
// written before their employer -- and every answer is the same before and
// after a restart over the same data folder.
#include <algorithm>

#include "tests/e2e/answers_snapshot.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

class EmployerInheritanceTest : public ServiceFixture {
 protected:
  grpc::Status PutEmployer(const v1::Employer& e) {
    v1::UpsertEmployerRequest request;
    *request.mutable_employer() = e;
    v1::WriteResult ignored;
    return employers_->Upsert(Context().get(), request, &ignored);
  }
  grpc::Status DeleteEmployer(const std::string& id) {
    v1::DeleteEmployerRequest request;
    request.set_id(id);
    v1::DeleteResponse ignored;
    return employers_->Delete(Context().get(), request, &ignored);
  }
  static v1::Employer EmployerWith(const std::string& id, v1::AccommodationStatus step_free,
                                   bool public_sector) {
    v1::Employer e = ValidEmployer(id);
    e.set_public_sector(public_sector);
    auto* a = e.add_default_accommodations();
    a->set_accommodation(v1::STEP_FREE_ACCESS);
    a->set_status(step_free);
    return e;
  }
  static v1::Vacancy VacancyOf(const std::string& id, const std::string& employer, int postal) {
    v1::Vacancy v = ValidVacancy(id, postal);
    v.set_employer_id(employer);
    return v;
  }
  static bool Has(const google::protobuf::RepeatedField<int>& list, v1::Accommodation a) {
    return std::find(list.begin(), list.end(), a) != list.end();
  }
  bool ListsSeeker(const std::string& vacancy, const std::string& seeker) {
    v1::TopSeekersRequest request;
    request.set_vacancy_id(vacancy);
    v1::MatchResponse response;
    EXPECT_TRUE(match_->TopSeekersForVacancy(Context().get(), request, &response).ok());
    for (const auto& m : response.matches()) {
      if (m.id() == seeker) return true;
    }
    return false;
  }
  // Every answer now, then again after a restart over the same folder.
  void ExpectRestartChangesNothing() {
    const Answers before = TakeAnswers(match_.get(), seekers_ids_, vacancy_ids_);
    Restart();
    const Answers after = TakeAnswers(match_.get(), seekers_ids_, vacancy_ids_);
    ExpectSameAnswers(before, after);
  }

  const std::vector<std::string> seekers_ids_ = {"need-s", "plain-1", "plain-2"};
  const std::vector<std::string> vacancy_ids_ = {"va-1", "va-2", "vb-1", "vb-2", "vown"};
};

TEST_F(EmployerInheritanceTest, EmployerWritesInBothOrdersApplyAtOnceAndSurviveRestart) {
  v1::Seeker need = ValidSeeker("need-s", 8200);
  AddHardNeed(&need, v1::STEP_FREE_ACCESS);
  need.set_consent_share_needs_with_employers(true);
  ASSERT_TRUE(PutSeeker(need).ok());
  ASSERT_TRUE(PutSeeker(ValidSeeker("plain-1", 8000)).ok());
  ASSERT_TRUE(PutSeeker(ValidSeeker("plain-2", 8220)).ok());

  // Order A: the vacancies come before their employer.
  ASSERT_TRUE(PutVacancy(VacancyOf("va-1", "emp-late", 8000)).ok());
  ASSERT_TRUE(PutVacancy(VacancyOf("va-2", "emp-late", 8210)).ok());
  // Order B: the employer comes first and changes later.
  ASSERT_TRUE(PutEmployer(EmployerWith("emp-early", v1::NOT_POSSIBLE, false)).ok());
  ASSERT_TRUE(PutVacancy(VacancyOf("vb-1", "emp-early", 8000)).ok());
  ASSERT_TRUE(PutVacancy(VacancyOf("vb-2", "emp-early", 8240)).ok());
  // A vacancy with its own accommodations keeps them (only the flag is inherited).
  v1::Vacancy own = VacancyOf("vown", "emp-early", 8260);
  AddAccommodation(&own, v1::STEP_FREE_ACCESS, v1::NOT_POSSIBLE);
  ASSERT_TRUE(PutVacancy(own).ok());

  // Without an employer: step-free access is unknown, to check.
  v1::Explanation e = Explain("need-s", "va-1");
  EXPECT_NE(e.verdict(), "INFEASIBLE");
  EXPECT_TRUE(Has(e.needs_to_check(), v1::STEP_FREE_ACCESS)) << e.ShortDebugString();
  EXPECT_FALSE(e.fortrinsadgang());
  EXPECT_EQ(Explain("need-s", "vb-1").blocker(), "HARD_NEED_UNMET");

  // The late employer arrives: its defaults and flag apply to va-* at once.
  ASSERT_TRUE(PutEmployer(EmployerWith("emp-late", v1::NOT_POSSIBLE, true)).ok());
  e = Explain("need-s", "va-1");
  EXPECT_EQ(e.blocker(), "HARD_NEED_UNMET") << e.ShortDebugString();
  EXPECT_TRUE(e.fortrinsadgang());
  EXPECT_TRUE(Explain("plain-1", "va-2").fortrinsadgang());
  EXPECT_FALSE(ListsSeeker("va-1", "need-s"));

  // The early employer changes: vb-* follow at once; vown keeps its own list.
  ASSERT_TRUE(PutEmployer(EmployerWith("emp-early", v1::IN_PLACE, true)).ok());
  e = Explain("need-s", "vb-1");
  EXPECT_NE(e.verdict(), "INFEASIBLE") << e.ShortDebugString();
  EXPECT_TRUE(Has(e.needs_met(), v1::STEP_FREE_ACCESS)) << e.ShortDebugString();
  EXPECT_TRUE(e.fortrinsadgang());
  EXPECT_TRUE(ListsSeeker("vb-1", "need-s"));
  e = Explain("need-s", "vown");
  EXPECT_EQ(e.blocker(), "HARD_NEED_UNMET") << "its own NOT_POSSIBLE, not the default IN_PLACE";
  EXPECT_TRUE(e.fortrinsadgang());

  ExpectRestartChangesNothing();

  // After the restart: the employer deleted, a vacancy moved to another
  // employer, which is written again -- each applies at once, and a second
  // restart again changes nothing.
  ASSERT_TRUE(DeleteEmployer("emp-late").ok());
  e = Explain("need-s", "va-1");
  EXPECT_NE(e.verdict(), "INFEASIBLE") << e.ShortDebugString();
  EXPECT_FALSE(e.fortrinsadgang());
  ASSERT_TRUE(PutVacancy(VacancyOf("vb-2", "emp-late", 8240)).ok());
  EXPECT_FALSE(Explain("need-s", "vb-2").fortrinsadgang()) << "emp-late does not exist now";
  ASSERT_TRUE(PutEmployer(EmployerWith("emp-late", v1::IN_PLACE, true)).ok());
  EXPECT_TRUE(Has(Explain("need-s", "vb-2").needs_met(), v1::STEP_FREE_ACCESS));
  ASSERT_TRUE(PutEmployer(EmployerWith("emp-early", v1::NOT_POSSIBLE, false)).ok());
  EXPECT_EQ(Explain("need-s", "vb-1").blocker(), "HARD_NEED_UNMET");
  EXPECT_TRUE(Explain("need-s", "vb-2").fortrinsadgang()) << "vb-2 now follows emp-late only";
  EXPECT_FALSE(Explain("need-s", "vown").fortrinsadgang());

  ExpectRestartChangesNothing();
}

}  // namespace
}  // namespace jobmatch::testing
