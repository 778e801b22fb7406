// The edge, through gRPC against a real jobmatchd (docs/security.md): one
// per-call context for every RPC (each audited with its caller), the
// leaks of issue 14 closed (needs to BATCH, scores, verdicts and texts
// computed from needs, unknown fields, unbounded strings, counts across
// municipalities, reflection without credentials), the employer's anonymous
// view, and refusals counted, logged and audited.
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "jobmatch/v1/audit_service.pb.h"
#include "jobmatch/v1/candidate_service.pb.h"
#include "server/auth/method_policy.h"
#include "tests/e2e/security_fixture.h"

namespace jobmatch::testing {
namespace {

namespace pb = google::protobuf;
using auth::Role;

// --- Part 5: one per-call context for every RPC ---

TEST_F(SecurityFixture, EveryRpcOfTheDescriptorsIsAuditedWithItsCaller) {
  const std::vector<std::string> methods = auth::EnumerateRpcs("jobmatch.v1");
  ASSERT_GE(methods.size(), 30u);
  for (const std::string& method : methods) {
    // An empty request: most fail validation, which is audited too.
    Raw(method, SecretOf(Role::kAdmin), {""});
    Raw(method, kScopedConsultant, {""});
  }
  std::map<std::string, std::set<std::string>> callers;  // method -> caller ids audited
  for (const v1::AuditEntry& e : AuditEntries()) callers[e.method()].insert(e.caller_id());
  for (const std::string& method : methods) {
    EXPECT_EQ(callers[method].count("ADMIN-key"), 1u) << method << " was not audited for admin";
    // Served or refused, the consultant's scope named the caller.
    EXPECT_EQ(callers[method].count("scoped-consultant"), 1u)
        << method << " was not audited for the scoped consultant";
  }
}

// --- Part 1: leaks ---

v1::Seeker SeekerWithNeeds(const std::string& id, bool consent) {
  v1::Seeker s = ValidSeeker(id, 8200);
  AddHardNeed(&s, v1::STEP_FREE_ACCESS);
  auto* demand = s.add_excluded_demands();
  demand->set_demand(v1::HEAVY_LIFTING);
  demand->set_strength(v1::HARD);
  s.set_commute_limit_reason(v1::HEALTH);
  s.set_consent_share_needs_with_employers(consent);
  return s;
}

TEST_F(SecurityFixture, BatchAndVacancyFeedNeverReadNeedsWhileTheCaseSystemDoes) {
  Put(SeekerWithNeeds("s-needs", false));
  v1::GetSeekerRequest get;
  get.set_id("s-needs");
  for (Role role : {Role::kBatch, Role::kCaseSystem}) {
    auto got = As(role, "/jobmatch.v1.SeekerService/Get", get);
    ASSERT_TRUE(got.status.ok()) << got.status.error_message();
    v1::GetSeekerResponse response;
    ASSERT_TRUE(response.ParseFromString(got.responses.at(0)));
    const v1::Seeker& s = response.seeker();
    const bool need_to_know = role == Role::kCaseSystem;
    EXPECT_EQ(s.needs_size() > 0, need_to_know) << auth::RoleName(role);
    EXPECT_EQ(s.excluded_demands_size() > 0, need_to_know);
    EXPECT_EQ(s.commute_limit_reason() == v1::HEALTH, need_to_know);
    EXPECT_EQ(s.target_group().empty(), !need_to_know);
    EXPECT_EQ(s.id(), "s-needs");  // the rest is there
  }
  auto listed = As(Role::kBatch, "/jobmatch.v1.SeekerService/List", v1::ListSeekersRequest());
  ASSERT_TRUE(listed.status.ok());
  v1::ListSeekersResponse list;
  ASSERT_TRUE(list.ParseFromString(listed.responses.at(0)));
  ASSERT_EQ(list.seekers_size(), 1);
  EXPECT_EQ(list.seekers(0).seeker().needs_size(), 0);
}

TEST_F(SecurityFixture, ADemandTheSeekerCannotMeetIsNotNamedWithoutConsent) {
  Put(SeekerWithNeeds("s-private", false));
  v1::Vacancy lifting = ValidVacancy("v-lifting", 8000);
  lifting.add_demands()->set_demand(v1::HEAVY_LIFTING);
  lifting.mutable_demands(0)->set_essential(true);
  Put(lifting);
  v1::ExplainRequest explain;
  explain.set_seeker_id("s-private");
  explain.set_vacancy_id("v-lifting");
  auto got = As(Role::kConsultant, "/jobmatch.v1.MatchService/Explain", explain);
  ASSERT_TRUE(got.status.ok()) << got.status.error_message();
  v1::ExplainResponse response;
  ASSERT_TRUE(response.ParseFromString(got.responses.at(0)));
  EXPECT_EQ(response.explanation().verdict(), "INFEASIBLE");
  EXPECT_EQ(response.explanation().blocker(), "WITHHELD");
  EXPECT_EQ(got.responses.at(0).find("HEAVY_LIFTING"), std::string::npos);
  EXPECT_EQ(got.responses.at(0).find("DEMAND_EXCLUDED"), std::string::npos);
  EXPECT_TRUE(response.explanation().needs_redacted());
}

TEST_F(SecurityFixture, UnknownFieldsAreDroppedOnEveryWriteAndStringsAreBounded) {
  // A seeker with a hidden field 777 (a string "diabetes").
  v1::UpsertSeekerRequest upsert;
  *upsert.mutable_seeker() = ValidSeeker("s-hidden", 8200);
  std::string seeker_bytes = upsert.seeker().SerializeAsString() + std::string("\xca\x30\x08", 3) +
                             "diabetes";  // field 777, wire type 2, length 8
  const std::string request = Field1(seeker_bytes);
  auto written = Raw("/jobmatch.v1.SeekerService/Upsert", SecretOf(Role::kAdmin), {request});
  ASSERT_TRUE(written.status.ok()) << written.status.error_message();
  v1::GetSeekerRequest get;
  get.set_id("s-hidden");
  auto got = As(Role::kConsultant, "/jobmatch.v1.SeekerService/Get", get);
  ASSERT_TRUE(got.status.ok());
  EXPECT_EQ(got.responses.at(0).find("diabetes"), std::string::npos) << "returned";

  // Feedback: closed codes only; unknown fields dropped, decision id not free text.
  Put(ValidVacancy("v-1", 8000));
  v1::RecordFeedbackRequest feedback;
  feedback.mutable_feedback()->set_seeker_id("s-hidden");
  feedback.mutable_feedback()->set_vacancy_id("v-1");
  feedback.mutable_feedback()->set_outcome(v1::SHORTLISTED);
  std::string f = feedback.feedback().SerializeAsString() + std::string("\xca\x30\x04", 3) + "PTSD";
  const std::string f_request = Field1(f);
  ASSERT_TRUE(Raw("/jobmatch.v1.MatchService/RecordFeedback", SecretOf(Role::kConsultant),
                  {f_request})
                  .status.ok());
  v1::ListFeedbackRequest list;
  list.set_seeker_id("s-hidden");
  auto listed = As(Role::kConsultant, "/jobmatch.v1.MatchService/ListFeedback", list);
  ASSERT_TRUE(listed.status.ok());
  v1::ListFeedbackResponse feedbacks;
  ASSERT_TRUE(feedbacks.ParseFromString(listed.responses.at(0)));
  EXPECT_EQ(feedbacks.feedback_size(), 1);
  EXPECT_EQ(listed.responses.at(0).find("PTSD"), std::string::npos);
  feedback.mutable_feedback()->set_decision_id("seeker has diabetes");
  auto free_text = As(Role::kConsultant, "/jobmatch.v1.MatchService/RecordFeedback", feedback);
  EXPECT_EQ(free_text.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(free_text.status.error_message(), "feedback.decision_id:"))
      << free_text.status.error_message();

  // Every string of every request is bounded.
  v1::GetVacancyRequest long_id;
  long_id.set_id(std::string(2000, 'x'));
  auto bounded = As(Role::kConsultant, "/jobmatch.v1.VacancyService/Get", long_id);
  EXPECT_EQ(bounded.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bounded.status.error_message(), "id: at most 1024 bytes");
}

TEST_F(SecurityFixture, CountsOnAVacancyCountOnlySeekersInTheConsultantsScope) {
  Put(ValidSeeker("s-aarhus", 8200));
  for (int i = 0; i < 3; ++i) Put(ValidSeeker(absl::StrCat("s-skanderborg-", i), 8660));
  Put(ValidVacancy("v-1", 8000));
  v1::TopSeekersRequest top;
  top.set_vacancy_id("v-1");
  auto national = As(Role::kConsultant, "/jobmatch.v1.MatchService/TopSeekersForVacancy", top);
  auto scoped = Raw("/jobmatch.v1.MatchService/TopSeekersForVacancy", kScopedConsultant,
                    {top.SerializeAsString()});
  ASSERT_TRUE(national.status.ok() && scoped.status.ok());
  v1::MatchResponse all, mine;
  ASSERT_TRUE(all.ParseFromString(national.responses.at(0)));
  ASSERT_TRUE(mine.ParseFromString(scoped.responses.at(0)));
  EXPECT_EQ(all.candidates(), 4u);  // positive control
  EXPECT_EQ(mine.matches_size(), 1);
  EXPECT_EQ(mine.feasible(), 1u);
  EXPECT_EQ(mine.candidates(), 0u) << "counts other municipalities' seekers";
  EXPECT_EQ(mine.scored(), 0u);
}

TEST_F(SecurityFixture, ReflectionNeedsCredentials) {
  const std::string method = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";
  // ServerReflectionRequest { file_by_filename (3) = "jobmatchd_config.proto" }
  const std::string name = "jobmatchd_config.proto";
  const std::string request = std::string("\x1a", 1) + static_cast<char>(name.size()) + name;
  auto anonymous = Raw(method, "", {request});
  EXPECT_EQ(anonymous.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(anonymous.responses.empty());
  auto authenticated = Raw(method, SecretOf(Role::kBatch), {request});
  EXPECT_TRUE(authenticated.status.ok() || authenticated.cancelled_by_client)
      << authenticated.status.error_message();
  EXPECT_FALSE(authenticated.responses.empty());
}

// --- Part 2: the employer's anonymous view ---

TEST_F(SecurityFixture, EmployerSeesOnlyAnonymousCandidatesShortlistedForItsOwnVacancy) {
  Put(SeekerWithNeeds("s-short", true));  // consent does not matter to an employer
  Put(ValidSeeker("s-other", 8200));
  v1::Vacancy mine = ValidVacancy("v-mine", 8000);  // employer-1
  AddAccommodation(&mine, v1::STEP_FREE_ACCESS, v1::POSSIBLE_WITH_SCHEME);
  Put(mine);
  v1::Vacancy theirs = ValidVacancy("v-theirs", 8000);
  theirs.set_employer_id("employer-2");
  Put(theirs);
  auto feedback = [&](const std::string& seeker, const std::string& vacancy,
                      v1::FeedbackOutcome outcome) {
    v1::RecordFeedbackRequest r;
    r.mutable_feedback()->set_seeker_id(seeker);
    r.mutable_feedback()->set_vacancy_id(vacancy);
    r.mutable_feedback()->set_outcome(outcome);
    if (outcome == v1::REJECTED) r.mutable_feedback()->set_reason(v1::SKILLS_INSUFFICIENT);
    ASSERT_TRUE(As(Role::kConsultant, "/jobmatch.v1.MatchService/RecordFeedback", r).status.ok());
  };
  feedback("s-short", "v-mine", v1::SHORTLISTED);
  feedback("s-other", "v-mine", v1::CONTACTED);  // never shortlisted
  feedback("s-short", "v-theirs", v1::SHORTLISTED);

  const std::string method = "/jobmatch.v1.CandidateService/ListShortlistedCandidates";
  v1::ListShortlistedCandidatesRequest request;
  request.set_vacancy_id("v-mine");
  auto got = As(Role::kEmployer, method, request);
  ASSERT_TRUE(got.status.ok()) << got.status.error_message();
  v1::ListShortlistedCandidatesResponse response;
  ASSERT_TRUE(response.ParseFromString(got.responses.at(0)));
  ASSERT_EQ(response.candidates_size(), 1);
  const v1::AnonymousCandidate& c = response.candidates(0);
  EXPECT_EQ(c.candidate_ref().size(), 24u);
  EXPECT_GT(c.skills_size(), 0);
  EXPECT_FALSE(c.commute_band().empty());
  // Nothing that names or locates the person, nor their needs.
  const std::string& bytes = got.responses.at(0);
  EXPECT_EQ(bytes.find("s-short"), std::string::npos);
  EXPECT_EQ(bytes.find("STEP_FREE"), std::string::npos);
  EXPECT_EQ(bytes.find("hjaelpemidler"), std::string::npos);
  EXPECT_TRUE(c.GetReflection()->GetUnknownFields(c).empty());

  // Another employer's vacancy reads as missing; other RPCs are refused.
  request.set_vacancy_id("v-theirs");
  auto theirs_got = As(Role::kEmployer, method, request);
  EXPECT_EQ(theirs_got.status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(theirs_got.status.error_message(), "vacancy v-theirs: not found");
  v1::GetSeekerRequest get;
  get.set_id("s-short");
  EXPECT_EQ(As(Role::kEmployer, "/jobmatch.v1.SeekerService/Get", get).status.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Rejected since: no longer shown.
  feedback("s-short", "v-mine", v1::REJECTED);
  request.set_vacancy_id("v-mine");
  auto after = As(Role::kEmployer, method, request);
  ASSERT_TRUE(after.status.ok());
  ASSERT_TRUE(response.ParseFromString(after.responses.at(0)));
  EXPECT_EQ(response.candidates_size(), 0);
}

// --- Part 4: every refusal leaves a trace ---

double Counter(const std::string& scrape, const std::string& series) {
  // "name{labels} value" lines; the series is matched as a prefix.
  double total = 0;
  size_t at = 0;
  while ((at = scrape.find(series, at)) != std::string::npos) {
    const size_t space = scrape.find("} ", at) + 1;
    const size_t end = scrape.find('\n', at);
    total += std::stod(scrape.substr(space + 1, end - space - 1));
    at = end;
  }
  return total;
}

TEST_F(SecurityFixture, RefusedCallsAreCountedLoggedAndAuditedWithTheirRequestId) {
  const std::string unauthenticated =
      "jobmatch_rpc_requests_total{code=\"UNAUTHENTICATED\",method=\"/jobmatch.v1.SeekerService/Get\"}";
  const std::string denied =
      "jobmatch_rpc_requests_total{code=\"PERMISSION_DENIED\",method=\"/jobmatch.v1.SeekerService/Upsert\"}";
  const double before_unauthenticated = Counter(service_->metrics().Scrape(), unauthenticated);
  const double before_denied = Counter(service_->metrics().Scrape(), denied);
  const size_t entries_before = AuditEntries().size();
  v1::GetSeekerRequest get;
  get.set_id("s-1");
  for (int i = 0; i < 50; ++i) {
    auto r = Raw("/jobmatch.v1.SeekerService/Get", "wrong-secret", {get.SerializeAsString()},
                 {{"x-request-id", absl::StrCat("trace:", i)}});
    ASSERT_EQ(r.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  for (int i = 0; i < 50; ++i) {
    auto r = Raw("/jobmatch.v1.SeekerService/Upsert", SecretOf(Role::kBatch), {""},
                 {{"x-request-id", absl::StrCat("svc:batch:", i)}});
    ASSERT_EQ(r.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  }
  const std::string scrape = service_->metrics().Scrape();
  EXPECT_EQ(Counter(scrape, unauthenticated) - before_unauthenticated, 50);
  EXPECT_EQ(Counter(scrape, denied) - before_denied, 50);
  std::vector<v1::AuditEntry> entries = AuditEntries();
  ASSERT_EQ(entries.size() - entries_before, 100u);
  const v1::AuditEntry& first = entries[entries_before];
  EXPECT_EQ(first.method(), "/jobmatch.v1.SeekerService/Get");
  EXPECT_EQ(first.caller_id(), "unauthenticated");
  EXPECT_EQ(first.status_code(), "UNAUTHENTICATED");
  EXPECT_EQ(first.request_id(), "trace:0") << "a request id with ':' is kept";
  const v1::AuditEntry& last = entries.back();
  EXPECT_EQ(last.caller_id(), "BATCH-key");
  EXPECT_EQ(last.caller_role(), "BATCH");
  EXPECT_EQ(last.status_code(), "PERMISSION_DENIED");
  EXPECT_EQ(last.request_id(), "svc:batch:49");
  // Served calls keep such ids too.
  auto served = Raw("/jobmatch.v1.SeekerService/Get", SecretOf(Role::kAdmin),
                    {get.SerializeAsString()}, {{"x-request-id", "svc:get:1"}});
  EXPECT_EQ(AuditEntries().back().request_id(), "svc:get:1");
  // Bogus method names collapse into one label.
  for (int i = 0; i < 20; ++i) Raw(absl::StrCat("/jobmatch.v1.Bogus/M", i), SecretOf(Role::kAdmin), {""});
  const std::string after = service_->metrics().Scrape();
  EXPECT_EQ(after.find("Bogus"), std::string::npos);
  EXPECT_EQ(Counter(after, "jobmatch_rpc_requests_total{code=\"PERMISSION_DENIED\",method=\"(unknown method)\"}"), 20);
}

TEST_F(ServiceFixture, BogusMethodNamesDoNotGrowMetricsOnAServerWithoutAuthentication) {
  // The local demo: no authentication, every method name reaches gRPC.
  const size_t before = service_->metrics().Scrape().size();
  for (int i = 0; i < 20000; ++i) {
    fuzz::RawCallOptions options;
    options.deadline = absl::Seconds(5);
    fuzz::RawCall(channel_, absl::StrCat("/bogus.Service", i, "/Method", i), {""}, options);
  }
  const std::string after = service_->metrics().Scrape();
  EXPECT_LT(after.size(), before + 8000) << "grew by " << after.size() - before << " bytes";
  EXPECT_EQ(after.find("bogus"), std::string::npos);
}

}  // namespace
}  // namespace jobmatch::testing
