// Employers as partners, through the public gRPC API: the new employer
// fields are validated (CVR modulus 11, DB07, contacts) and the bridge view
// lists employers to call, to help and to visit.
#include <set>

#include "absl/strings/str_format.h"
#include "jobmatch/v1/employer_bridge_service.grpc.pb.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

// A CVR number passing the modulus-11 check, from a 7-digit prefix.
std::string Cvr(int prefix) {
  const int w[7] = {2, 7, 6, 5, 4, 3, 2};
  for (;; ++prefix) {
    const std::string p = absl::StrFormat("%07d", prefix);
    int sum = 0;
    for (int i = 0; i < 7; ++i) sum += w[i] * (p[i] - '0');
    const int check = (11 - sum % 11) % 11;
    if (check < 10) return absl::StrCat(p, check);
  }
}

class EmployerBridgeTest : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    bridge_ = v1::EmployerBridgeService::NewStub(channel_);
  }
  grpc::Status PutEmployer(const v1::Employer& e) {
    v1::UpsertEmployerRequest request;
    *request.mutable_employer() = e;
    v1::WriteResult ignored;
    return employers_->Upsert(Context().get(), request, &ignored);
  }
  static v1::Employer Firm(const std::string& id, int prefix, v1::EmployerSizeBand size) {
    v1::Employer e = ValidEmployer(id);
    e.set_name(id);
    e.set_cvr(Cvr(prefix));
    e.set_public_sector(false);
    e.set_size_band(size);
    e.set_industry_db07("812100");
    return e;
  }
  static void Contact(v1::Employer* e, v1::ContactKind kind, absl::Duration ago) {
    auto* c = e->add_contacts();
    c->set_kind(kind);
    c->set_date_micros(absl::ToUnixMicros(absl::Now() - ago));
    c->set_consultant("jc751-03");
  }
  static std::set<std::string> Ids(const google::protobuf::RepeatedPtrField<v1::BridgeEmployer>& r) {
    std::set<std::string> ids;
    for (const auto& e : r) ids.insert(e.employer_id());
    return ids;
  }
  std::unique_ptr<v1::EmployerBridgeService::Stub> bridge_;
};

TEST_F(EmployerBridgeTest, EmployerFieldsAreValidatedWithTheFieldNamed) {
  v1::Employer e = Firm("firm", 1234560, v1::EMPLOYEES_10_49);
  ASSERT_TRUE(PutEmployer(e).ok());
  v1::Employer bad = e;
  bad.set_cvr(std::string(e.cvr(), 0, 7) + std::to_string((e.cvr()[7] - '0' + 1) % 10));
  grpc::Status status = PutEmployer(bad);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("employer.cvr: fails the modulus-11 check"), std::string::npos)
      << status.error_message();
  bad = e;
  bad.set_industry_db07("81");
  EXPECT_NE(PutEmployer(bad).error_message().find("employer.industry_db07"), std::string::npos);
  bad = e;
  Contact(&bad, v1::VISIT, -absl::Hours(48));  // in the future
  EXPECT_NE(PutEmployer(bad).error_message().find("employer.contacts[0].date_micros"),
            std::string::npos);
  // Nothing of the refused writes was stored.
  v1::GetEmployerRequest get;
  get.set_id("firm");
  v1::GetEmployerResponse stored;
  ASSERT_TRUE(employers_->Get(Context().get(), get, &stored).ok());
  EXPECT_EQ(stored.employer().cvr(), e.cvr());
  EXPECT_EQ(stored.employer().contacts_size(), 0);
}

TEST_F(EmployerBridgeTest, BridgeListsEmployersToCallHelpAndVisit) {
  // Strong candidates, never contacted, 10-49 employees never visited.
  v1::Employer quiet = Firm("quiet", 1000000, v1::EMPLOYEES_10_49);
  // Strong candidates, called 10 days ago, 5-9 employees visited last year.
  v1::Employer called = Firm("called", 1000100, v1::EMPLOYEES_5_9);
  Contact(&called, v1::CALL, absl::Hours(24 * 10));
  Contact(&called, v1::VISIT, absl::Hours(24 * 400));
  // Five openings far from every seeker; 1-4 employees.
  v1::Employer remote = Firm("remote", 1000200, v1::EMPLOYEES_1_4);
  // Visited an hour ago; 250+ employees.
  v1::Employer visited = Firm("visited", 1000300, v1::EMPLOYEES_250_PLUS);
  Contact(&visited, v1::VISIT, absl::Hours(1));
  for (const auto& e : {quiet, called, remote, visited}) ASSERT_TRUE(PutEmployer(e).ok());
  v1::Vacancy a = ValidVacancy("job-quiet", 8000);
  a.set_employer_id("quiet");
  v1::Vacancy b = ValidVacancy("job-called", 8000);
  b.set_employer_id("called");
  v1::Vacancy c = ValidVacancy("job-remote", 9990);  // Skagen
  c.set_employer_id("remote");
  c.set_openings(5);
  for (const auto& v : {a, b, c}) ASSERT_TRUE(PutVacancy(v).ok());
  ASSERT_TRUE(PutSeeker(ValidSeeker("s1", 8200)).ok());

  // "Strong" = this seeker's own score for the jobs, from Explain.
  v1::ExplainRequest explain;
  explain.set_seeker_id("s1");
  explain.set_vacancy_id("job-quiet");
  v1::ExplainResponse e;
  ASSERT_TRUE(match_->Explain(Context().get(), explain, &e).ok());
  ASSERT_EQ(e.explanation().verdict(), "FEASIBLE");

  v1::BridgeRequest request;
  request.set_strong_score(e.explanation().total());
  request.set_no_contact_days(30);
  v1::BridgeResponse response;
  grpc::Status status = bridge_->Bridge(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(Ids(response.strong_candidates_no_contact()), (std::set<std::string>{"quiet"}));
  ASSERT_EQ(response.strong_candidates_no_contact_size(), 1);
  EXPECT_EQ(response.strong_candidates_no_contact(0).strong_candidates(), 1u);
  EXPECT_EQ(response.strong_candidates_no_contact(0).last_contact_micros(), 0);
  EXPECT_EQ(Ids(response.many_openings_few_candidates()), (std::set<std::string>{"remote"}));
  EXPECT_EQ(response.many_openings_few_candidates(0).openings(), 5u);
  EXPECT_EQ(response.many_openings_few_candidates(0).feasible_candidates(), 0u);
  EXPECT_EQ(Ids(response.not_visited_this_year()), (std::set<std::string>{"quiet", "called"}));
  EXPECT_EQ(response.not_visited_this_year(0).employer_id(), "quiet");  // never visited first

  // A stricter bar: no strong candidates anywhere.
  request.set_strong_score(std::min(1.0, e.explanation().total() + 0.01));
  ASSERT_TRUE(bridge_->Bridge(Context().get(), request, &response).ok());
  EXPECT_EQ(response.strong_candidates_no_contact_size(), 0);
  // With "no contact in 5 days" the called employer is due too.
  request.set_strong_score(e.explanation().total());
  request.set_no_contact_days(5);
  ASSERT_TRUE(bridge_->Bridge(Context().get(), request, &response).ok());
  EXPECT_EQ(Ids(response.strong_candidates_no_contact()), (std::set<std::string>{"quiet", "called"}));

  request.set_no_contact_days(-1);
  status = bridge_->Bridge(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("no_contact_days"), std::string::npos);
}

}  // namespace
}  // namespace jobmatch::testing
