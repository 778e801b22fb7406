// The existence rule (docs/security.md, "Seeker ids and existence"): a caller
// scoped to some municipalities cannot tell a seeker id stored in another
// municipality from one that was never stored. For every RPC whose request
// carries a seeker id (found from the descriptors; one without a request
// here fails the test) and every scoped role that may call it, the replies
// for the two ids must be the same — status code, message and response with
// the id written as <ID> — and take about as long (the fastest of
// interleaved calls). The same for the one RPC an employer calls, about a vacancy of
// another employer and a missing one. A seeker in the caller's own
// municipality is the positive control: the requests are otherwise valid.
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "jobmatch/v1/candidate_service.pb.h"
#include "jobmatch/v1/placement_history_service.pb.h"
#include "jobmatch/v1/rematch_service.pb.h"
#include "jobmatch/v1/upskilling_service.pb.h"
#include "server/auth/method_policy.h"
#include "tests/e2e/security_fixture.h"

namespace jobmatch::testing {
namespace {

namespace pb = google::protobuf;
using auth::Role;

// Same length, so that nothing differs by the id's length.
constexpr char kMine[] = "s-mine-0001";       // Aarhus: the caller's
constexpr char kElsewhere[] = "s-elsewhere";  // København
constexpr char kNowhere[] = "s-nowhere-1";    // never stored
constexpr char kOtherVacancy[] = "v-other";   // employer-2's
constexpr char kNoVacancy[] = "v-absnt";      // never stored

// True if `type` (recursively) has a field that names a record of `kind`
// ("seeker" or "vacancy"): <kind>_id, the id of a Seeker / Vacancy, or the
// id of a request of <Kind>Service.
bool NamesA(const pb::Descriptor* type, const std::string& kind, bool service_request, int depth = 0) {
  if (depth > 6) return false;
  for (int i = 0; i < type->field_count(); ++i) {
    const pb::FieldDescriptor* f = type->field(i);
    if (f->name() == kind + "_id") return true;
    if (f->name() == "id" && (service_request || absl::AsciiStrToLower(type->name()) == kind)) {
      return true;
    }
    if (f->message_type() != nullptr && NamesA(f->message_type(), kind, false, depth + 1)) {
      return true;
    }
  }
  return false;
}

std::string Describe(const pb::MethodDescriptor* md, const fuzz::RawCallResult& r,
                     const std::string& id) {
  std::string out = absl::StrCat(r.status.error_code(), " ", r.status.error_message());
  for (const std::string& bytes : r.responses) {
    std::unique_ptr<pb::Message> m(
        pb::MessageFactory::generated_factory()->GetPrototype(md->output_type())->New());
    if (!m->ParseFromString(bytes)) return out + " | unparsable response";
    out += " | " + m->ShortDebugString();
  }
  return absl::StrReplaceAll(out, {{id, "<ID>"}});
}

// The fastest of several calls: what a prober would compare, and robust to
// the stalls of a loaded machine.
double Fastest(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

class ExistenceTest : public SecurityFixture {
 protected:
  // A call that waits for slow replies (a loaded machine): the fixture's
  // client gives up on a reply after 50 ms of silence.
  fuzz::RawCallResult Raw(const std::string& method, const std::string& secret,
                          const std::vector<std::string>& requests) {
    fuzz::RawCallOptions options;
    options.metadata.emplace_back("authorization", "Bearer " + secret);
    options.read_idle = absl::Seconds(5);
    options.deadline = absl::Seconds(30);
    return fuzz::RawCall(secure_, method, requests, options);
  }
  fuzz::RawCallResult As(auth::Role role, const std::string& method,
                         const google::protobuf::Message& request) {
    return Raw(method, SecretOf(role), {request.SerializeAsString()});
  }

  void Plant() {
    Put(ValidSeeker(kMine, 8200));
    v1::Seeker elsewhere = ValidSeeker(kElsewhere, 2100);
    ASSERT_NE(elsewhere.home().municipality(), aarhus_);
    Put(elsewhere);
    Put(ValidVacancy("v-1", 8000));
    v1::Vacancy other = ValidVacancy(kOtherVacancy, 8000);
    other.set_employer_id("employer-2");
    Put(other);
    for (const char* id : {kMine, kElsewhere}) {
      v1::RecordFeedbackRequest r;
      r.mutable_feedback()->set_seeker_id(id);
      r.mutable_feedback()->set_vacancy_id(kOtherVacancy);
      r.mutable_feedback()->set_outcome(v1::SHORTLISTED);
      ASSERT_TRUE(As(Role::kAdmin, "/jobmatch.v1.MatchService/RecordFeedback", r).status.ok());
    }
    RunRematchAsAdmin();
  }
};

// One request of an RPC about a record id, and what the caller's own record
// gets (the positive control).
struct Case {
  std::function<std::vector<std::string>(const std::string& id)> build;
  grpc::StatusCode control = grpc::StatusCode::OK;
};

template <typename Request>
std::function<std::vector<std::string>(const std::string&)> WithSeekerId(Request base) {
  return [base](const std::string& id) {
    Request r = base;
    r.set_seeker_id(id);
    return std::vector<std::string>{r.SerializeAsString()};
  };
}

TEST_F(ExistenceTest, AScopedCallerCannotTellAnIdStoredElsewhereFromAMissingOne) {
  Plant();
  v1::ExplainRequest explain;
  explain.set_vacancy_id("v-1");
  v1::WhyNotRequest why_seeker_side;
  why_seeker_side.set_vacancy_id("v-1");
  why_seeker_side.set_seeker_side(true);
  v1::WhyNotRequest why_vacancy_side;
  why_vacancy_side.set_vacancy_id("v-1");
  auto upsert = [](int postal_code) {
    return [postal_code](const std::string& id) {
      v1::UpsertSeekerRequest r;
      *r.mutable_seeker() = ValidSeeker(id, postal_code);
      return std::vector<std::string>{r.SerializeAsString()};
    };
  };
  const std::map<std::string, std::vector<Case>> seeker_cases = {
      {"/jobmatch.v1.SeekerService/Upsert",
       {{upsert(8200)},
        // Moving a seeker out of scope is refused for what it asks, not for
        // whether the id exists.
        {upsert(2100), grpc::StatusCode::PERMISSION_DENIED},
        {[](const std::string& id) {
           v1::UpsertSeekerRequest r;
           *r.mutable_seeker() = ValidSeeker(id, 8200);
           r.set_expected_version(1);  // the version stored elsewhere
           return std::vector<std::string>{r.SerializeAsString()};
         },
         grpc::StatusCode::ABORTED}}},  // the control has been written since
      {"/jobmatch.v1.SeekerService/Import",
       {{[](const std::string& id) {
         std::vector<std::string> stream;
         for (int postal_code : {8200, 2100}) {
           v1::ImportSeekerRequest r;
           *r.mutable_seeker() = ValidSeeker(id, postal_code);
           stream.push_back(r.SerializeAsString());
         }
         return stream;
       }}}},
      {"/jobmatch.v1.SeekerService/Get",
       {{[](const std::string& id) {
         v1::GetSeekerRequest r;
         r.set_id(id);
         return std::vector<std::string>{r.SerializeAsString()};
       }}}},
      {"/jobmatch.v1.SeekerService/Delete",
       {{[](const std::string& id) {
          v1::DeleteSeekerRequest r;
          r.set_id(id);
          r.set_expected_version(1000);  // never erases the control: ABORTED for it
          return std::vector<std::string>{r.SerializeAsString()};
        },
         grpc::StatusCode::ABORTED}}},
      {"/jobmatch.v1.MatchService/TopVacanciesForSeeker", {{WithSeekerId(v1::TopVacanciesRequest())}}},
      {"/jobmatch.v1.MatchService/Explain", {{WithSeekerId(explain)}}},
      {"/jobmatch.v1.MatchService/WhyNot",
       {{WithSeekerId(why_seeker_side)}, {WithSeekerId(why_vacancy_side)}}},
      {"/jobmatch.v1.MatchService/RecordFeedback",
       {{[](const std::string& id) {
         v1::RecordFeedbackRequest r;
         r.mutable_feedback()->set_seeker_id(id);
         r.mutable_feedback()->set_vacancy_id("v-1");
         r.mutable_feedback()->set_outcome(v1::CONTACTED);
         return std::vector<std::string>{r.SerializeAsString()};
       }}}},
      {"/jobmatch.v1.MatchService/ListFeedback", {{WithSeekerId(v1::ListFeedbackRequest())}}},
      {"/jobmatch.v1.PlacementHistoryService/Import",
       {{[](const std::string& id) {
         v1::ImportPlacementHistoryRequest r;
         v1::Feedback* f = r.add_events();
         f->set_seeker_id(id);
         f->set_vacancy_id("v-1");
         f->set_outcome(v1::CONTACTED);
         f->set_time_micros(absl::ToUnixMicros(absl::Now() - absl::Hours(24)));
         return std::vector<std::string>{r.SerializeAsString()};
       }}}},
      {"/jobmatch.v1.RematchService/GetRematchMatches",
       {{WithSeekerId(v1::GetRematchMatchesRequest())}}},
      {"/jobmatch.v1.UpskillingService/UpskillingPlan",
       {{WithSeekerId(v1::UpskillingPlanRequest())}}},
  };
  // The audit log is not scoped: whoever may read it (ADMIN) sees every id
  // in it (docs/security.md §7).
  const std::set<std::string> not_scoped = {"/jobmatch.v1.AuditService/ListSeekerAccess",
                                            "/jobmatch.v1.AuditService/Replay"};

  const auth::MethodPolicy policy = auth::MethodPolicy::Default();
  std::set<std::string> compared;
  int pairs = 0;
  // Every RPC of the descriptors that takes a seeker id.
  for (const std::string& method : auth::EnumerateRpcs("jobmatch.v1")) {
    const pb::MethodDescriptor* md = pb::DescriptorPool::generated_pool()->FindMethodByName(
        method.substr(1, method.rfind('/') - 1) + "." + method.substr(method.rfind('/') + 1));
    ASSERT_NE(md, nullptr) << method;
    if (!NamesA(md->input_type(), "seeker", md->service()->name() == "SeekerService")) continue;
    if (not_scoped.count(method) > 0) continue;
    auto it = seeker_cases.find(method);
    ASSERT_NE(it, seeker_cases.end()) << method << " takes a seeker id: add its requests here";
    for (Role role : auth::kAllRoles) {
      if (role == Role::kEmployer) continue;
      if (policy.Check(method, role) != auth::MethodPolicy::Access::kAllowed) continue;
      const std::string secret = ScopedSecretOf(role);
      for (size_t c = 0; c < it->second.size(); ++c) {
        const Case& one = it->second[c];
        const std::string at = absl::StrCat(method, " case ", static_cast<int>(c), " as scoped ",
                                            std::string(auth::RoleName(role)));
        auto control = Raw(method, secret, one.build(kMine));
        EXPECT_EQ(control.status.error_code(), one.control)
            << at << " (control): " << control.status.error_message();
        std::vector<double> elsewhere_ms, nowhere_ms;
        std::string first_elsewhere, first_nowhere;
        for (int i = 0; i < 15; ++i) {
          for (const char* id : {kElsewhere, kNowhere}) {
            const absl::Time start = absl::Now();
            auto reply = Raw(method, secret, one.build(id));
            const double ms = absl::ToDoubleMilliseconds(absl::Now() - start);
            const std::string seen = Describe(md, reply, id);
            const bool is_elsewhere = id == std::string(kElsewhere);
            (is_elsewhere ? elsewhere_ms : nowhere_ms).push_back(ms);
            std::string& first = is_elsewhere ? first_elsewhere : first_nowhere;
            if (i == 0) first = seen;
            EXPECT_EQ(seen, first) << at << ": the same request answered differently";
          }
        }
        EXPECT_EQ(first_elsewhere, first_nowhere) << at;
        const double a = Fastest(elsewhere_ms), b = Fastest(nowhere_ms);
        EXPECT_LT(std::max(a, b), 3 * std::min(a, b) + 0.5)
            << at << ": fastest " << a << " ms for an id stored elsewhere, " << b
            << " ms for a missing one";
        compared.insert(method);
        ++pairs;
      }
    }
    // Nothing was created under the missing id.
    auto missing = As(Role::kAdmin, "/jobmatch.v1.SeekerService/Get", [] {
      v1::GetSeekerRequest r;
      r.set_id(kNowhere);
      return r;
    }());
    EXPECT_EQ(missing.status.error_code(), grpc::StatusCode::NOT_FOUND)
        << method << " created a seeker with an id a scoped caller chose";
    // The record stored elsewhere is unchanged.
    auto still = As(Role::kAdmin, "/jobmatch.v1.SeekerService/Get", [] {
      v1::GetSeekerRequest r;
      r.set_id(kElsewhere);
      return r;
    }());
    ASSERT_TRUE(still.status.ok()) << method;
    v1::GetSeekerResponse got;
    ASSERT_TRUE(got.ParseFromString(still.responses.at(0)));
    EXPECT_EQ(got.meta().version(), 1u) << method << " changed the seeker stored elsewhere";
  }
  // The table has no entry for an RPC the descriptors no longer have.
  for (const auto& [method, cases] : seeker_cases) EXPECT_EQ(compared.count(method), 1u) << method;
  EXPECT_GE(pairs, 20);

  // The employer: another employer's vacancy against a missing one.
  int employer_rpcs = 0;
  for (const std::string& method : auth::EnumerateRpcs("jobmatch.v1")) {
    if (policy.Check(method, Role::kEmployer) != auth::MethodPolicy::Access::kAllowed) continue;
    const pb::MethodDescriptor* md = pb::DescriptorPool::generated_pool()->FindMethodByName(
        method.substr(1, method.rfind('/') - 1) + "." + method.substr(method.rfind('/') + 1));
    ASSERT_NE(md, nullptr);
    if (!NamesA(md->input_type(), "vacancy", md->service()->name() == "VacancyService")) continue;
    ASSERT_EQ(method, "/jobmatch.v1.CandidateService/ListShortlistedCandidates")
        << method << " takes a vacancy id and an employer may call it: add its request here";
    auto build = [](const std::string& id) {
      v1::ListShortlistedCandidatesRequest r;
      r.set_vacancy_id(id);
      return r.SerializeAsString();
    };
    EXPECT_TRUE(Raw(method, SecretOf(Role::kEmployer), {build("v-1")}).status.ok());
    const auto other = Raw(method, SecretOf(Role::kEmployer), {build(kOtherVacancy)});
    const auto none = Raw(method, SecretOf(Role::kEmployer), {build(kNoVacancy)});
    EXPECT_EQ(other.status.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(Describe(md, other, kOtherVacancy), Describe(md, none, kNoVacancy));
    ++employer_rpcs;
  }
  EXPECT_EQ(employer_rpcs, 1);
}

TEST_F(ExistenceTest, AScopedCaseSystemCreatesSeekersWithIdsTheServerIssues) {
  Plant();
  const std::string secret = ScopedSecretOf(Role::kCaseSystem);
  v1::UpsertSeekerRequest create;
  *create.mutable_seeker() = ValidSeeker("", 8200);
  auto created = Raw("/jobmatch.v1.SeekerService/Upsert", secret, {create.SerializeAsString()});
  ASSERT_TRUE(created.status.ok()) << created.status.error_message();
  v1::WriteResult result;
  ASSERT_TRUE(result.ParseFromString(created.responses.at(0)));
  EXPECT_EQ(result.version(), 1u);
  ASSERT_EQ(result.id().size(), 30u) << result.id();
  EXPECT_EQ(result.id().substr(0, 2), "s-");
  EXPECT_TRUE(std::all_of(result.id().begin() + 2, result.id().end(),
                          [](char c) { return c >= 'a' && c <= 'z'; }))
      << result.id();

  // The issued id is the seeker's: readable and writable by its creator.
  v1::GetSeekerRequest get;
  get.set_id(result.id());
  auto read = Raw("/jobmatch.v1.SeekerService/Get", secret, {get.SerializeAsString()});
  ASSERT_TRUE(read.status.ok()) << read.status.error_message();
  v1::GetSeekerResponse stored;
  ASSERT_TRUE(stored.ParseFromString(read.responses.at(0)));
  EXPECT_EQ(stored.seeker().id(), result.id());
  v1::UpsertSeekerRequest update;
  *update.mutable_seeker() = ValidSeeker(result.id(), 8200);
  update.mutable_seeker()->set_max_commute_minutes(45);
  update.set_expected_version(1);
  auto updated = Raw("/jobmatch.v1.SeekerService/Upsert", secret, {update.SerializeAsString()});
  ASSERT_TRUE(updated.status.ok()) << updated.status.error_message();
  ASSERT_TRUE(result.ParseFromString(updated.responses.at(0)));
  EXPECT_EQ(result.version(), 2u);

  // Two creations, two ids.
  auto again = Raw("/jobmatch.v1.SeekerService/Upsert", secret, {create.SerializeAsString()});
  ASSERT_TRUE(again.status.ok());
  v1::WriteResult second;
  ASSERT_TRUE(second.ParseFromString(again.responses.at(0)));
  EXPECT_NE(second.id(), stored.seeker().id());

  // A new seeker has no version to expect but 0.
  v1::UpsertSeekerRequest versioned = create;
  versioned.set_expected_version(3);
  auto refused = Raw("/jobmatch.v1.SeekerService/Upsert", secret, {versioned.SerializeAsString()});
  EXPECT_EQ(refused.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(refused.status.error_message(),
            "expected_version: a record sent without an id is new: omit it or send 0");
  // Nor may it be created outside the caller's municipalities.
  v1::UpsertSeekerRequest outside;
  *outside.mutable_seeker() = ValidSeeker("", 2100);
  auto denied = Raw("/jobmatch.v1.SeekerService/Upsert", secret, {outside.SerializeAsString()});
  EXPECT_EQ(denied.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // A chosen id is refused with a message that says how to create.
  v1::UpsertSeekerRequest chosen;
  *chosen.mutable_seeker() = ValidSeeker("s-chosen", 8200);
  auto not_found = Raw("/jobmatch.v1.SeekerService/Upsert", secret, {chosen.SerializeAsString()});
  EXPECT_EQ(not_found.status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(not_found.status.error_message(),
            "seeker.id: seeker s-chosen not found in the municipalities of caller "
            "scoped-CASE_SYSTEM; to create a seeker, send it without an id and keep the id the "
            "server issues");

  // Import: each record without an id gets its own, named in its outcome.
  std::vector<std::string> stream;
  for (int i = 0; i < 3; ++i) {
    v1::ImportSeekerRequest r;
    *r.mutable_seeker() = ValidSeeker("", 8200);
    stream.push_back(r.SerializeAsString());
  }
  auto imported = Raw("/jobmatch.v1.SeekerService/Import", secret, stream);
  ASSERT_TRUE(imported.status.ok()) << imported.status.error_message();
  v1::ImportResponse outcomes;
  ASSERT_TRUE(outcomes.ParseFromString(imported.responses.at(0)));
  ASSERT_EQ(outcomes.accepted(), 3u);
  std::set<std::string> ids;
  for (const v1::ImportOutcome& o : outcomes.outcomes()) {
    ids.insert(o.id());
    get.set_id(o.id());
    EXPECT_TRUE(Raw("/jobmatch.v1.SeekerService/Get", secret, {get.SerializeAsString()}).status.ok())
        << o.id();
  }
  EXPECT_EQ(ids.size(), 3u);

  // A caller that sees every municipality may still choose ids.
  v1::UpsertSeekerRequest admin_chosen;
  *admin_chosen.mutable_seeker() = ValidSeeker("s-by-admin", 2100);
  auto by_admin =
      Raw("/jobmatch.v1.SeekerService/Upsert", SecretOf(Role::kAdmin), {admin_chosen.SerializeAsString()});
  ASSERT_TRUE(by_admin.status.ok()) << by_admin.status.error_message();
  ASSERT_TRUE(result.ParseFromString(by_admin.responses.at(0)));
  EXPECT_EQ(result.id(), "s-by-admin");
}

}  // namespace
}  // namespace jobmatch::testing
