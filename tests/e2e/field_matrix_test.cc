// The field matrix (docs/security.md, "What each role sees of a seeker"):
// for every RPC whose response carries seeker data (found from the
// descriptors) x every role x the seeker's consent on and off, the response
// is walked recursively and every field present (and the values that reveal
// a need) is checked against the table below, restated from the
// documentation independently of server/view.cc. An RPC that returns seeker
// data without a request here fails the test.
#include <functional>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "jobmatch/v1/candidate_service.pb.h"
#include "server/auth/method_policy.h"
#include "server/view.h"
#include "tests/e2e/security_fixture.h"

namespace jobmatch::testing {
namespace {

namespace pb = google::protobuf;
using auth::Role;

// Fields of a seeker's record that are health data.
const std::set<std::string> kRecordHealth = {
    "jobmatch.v1.Seeker.needs", "jobmatch.v1.Seeker.excluded_demands",
    "jobmatch.v1.Seeker.commute_limit_reason", "jobmatch.v1.Seeker.fleksjob_hours_per_week",
    "jobmatch.v1.Seeker.target_group", "jobmatch.v1.Seeker.max_hours_per_week_is_hard"};
// What, in a result, is or is computed from functional needs (fields, and
// "field=value" for values that give a need away).
const std::set<std::string> kResultNeeds = {
    "jobmatch.v1.Explanation.seeker_view_total",
    "jobmatch.v1.Explanation.support_schemes",
    "jobmatch.v1.Explanation.needs_met",
    "jobmatch.v1.Explanation.needs_to_check",
    "jobmatch.v1.Explanation.verdict=FEASIBLE_WITH_SUPPORT",
    "jobmatch.v1.Explanation.blocker=HARD_NEED_UNMET",
    "jobmatch.v1.Explanation.blocker=DEMAND_EXCLUDED",
    "jobmatch.v1.ScorePart.reason=NEEDS_FIT",
    "jobmatch.v1.ScorePart.evidence=names the commute-limit reason",
    "jobmatch.v1.RankedId.score (a seeker's own list)",
    "jobmatch.v1.WhyNotResponse.cutoff (a seeker's own list)"};
// Figures over many seekers split by functional needs (the nightly report):
// to the roles that may see needs, consent not asked (counts only).
const std::set<std::string> kNeedsAggregates = {"jobmatch.v1.RematchReport.fairness",
                                                "jobmatch.v1.PlacementOutcomes.with_needs",
                                                "jobmatch.v1.PlacementOutcomes.without_needs"};
// The only messages an employer sees.
const std::set<std::string> kEmployerMessages = {"jobmatch.v1.ListShortlistedCandidatesResponse",
                                                 "jobmatch.v1.AnonymousCandidate",
                                                 "jobmatch.v1.SkillRef"};

bool NeedToKnow(Role role) {
  return role == Role::kCaseSystem || role == Role::kConsultant || role == Role::kAdmin;
}

// May `role` see `item` (a field or "field=value") about a seeker who gave
// (or not) `consent`? The table of docs/security.md.
bool Allowed(Role role, const std::string& message, const std::string& item, bool consent) {
  if (role == Role::kEmployer) return kEmployerMessages.count(message) > 0;
  if (kRecordHealth.count(item) > 0) return NeedToKnow(role);
  if (kNeedsAggregates.count(item) > 0) return NeedToKnow(role);
  if (kResultNeeds.count(item) > 0) return NeedToKnow(role) && consent;
  return true;
}

struct Seen {
  std::string message;
  std::string item;
  bool consent;
};

// Every field present in `m`, recursively, with the consent of the seeker
// it is about (`seeker`: the request's, or a vacancy list's entry, or the
// record's own).
void Walk(const pb::Message& m, std::string seeker, bool seeker_list, bool vacancy_list,
          const std::function<bool(const std::string&)>& consent, std::vector<Seen>* seen) {
  const pb::Descriptor* d = m.GetDescriptor();
  if (d->full_name() == "jobmatch.v1.Seeker" ||
      (d->full_name() == "jobmatch.v1.MatchEntry" && vacancy_list)) {
    seeker = m.GetReflection()->GetString(m, d->FindFieldByName("id"));
  }
  const bool c = consent(seeker);
  std::vector<const pb::FieldDescriptor*> fields;
  m.GetReflection()->ListFields(m, &fields);
  for (const pb::FieldDescriptor* f : fields) {
    const std::string name = f->full_name();
    seen->push_back({d->full_name(), name, c});
    const pb::Reflection* r = m.GetReflection();
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING && !f->is_repeated()) {
      const std::string value = r->GetString(m, f);
      seen->push_back({d->full_name(), absl::StrCat(name, "=", value), c});
      if (name == "jobmatch.v1.ScorePart.evidence" &&
          (value.find(", HEALTH)") != std::string::npos ||
           value.find(", HEALTH;") != std::string::npos ||
           value.find(", STANDARD_RULE)") != std::string::npos ||
           value.find(", STANDARD_RULE;") != std::string::npos)) {
        seen->push_back({d->full_name(), name + "=names the commute-limit reason", c});
      }
    }
    if (name == "jobmatch.v1.RankedId.score" && seeker_list) {
      seen->push_back({d->full_name(), name + " (a seeker's own list)", c});
    }
    if (name == "jobmatch.v1.WhyNotResponse.cutoff" && seeker_list) {
      seen->push_back({d->full_name(), name + " (a seeker's own list)", c});
    }
    if (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        Walk(r->GetRepeatedMessage(m, f, i), seeker, seeker_list, vacancy_list, consent, seen);
      }
    } else {
      Walk(r->GetMessage(m, f), seeker, seeker_list, vacancy_list, consent, seen);
    }
  }
}

class FieldMatrixTest : public SecurityFixture {};

TEST_F(FieldMatrixTest, EveryRpcReturningSeekerDataTimesEveryRoleAndConsentShowsOnlyItsFields) {
  // Two seekers alike but for consent, with a hard need the workplace meets
  // with a support scheme (FEASIBLE_WITH_SUPPORT), a health commute limit,
  // shortlisted for the employer's vacancy; a rematch run over them.
  for (const auto& [id, consent] : {std::pair<std::string, bool>{"s-yes", true}, {"s-no", false}}) {
    v1::Seeker s = ValidSeeker(id, 8200);
    AddHardNeed(&s, v1::STEP_FREE_ACCESS);
    s.set_commute_limit_reason(v1::HEALTH);
    s.set_fleksjob_hours_per_week(0);
    s.set_consent_share_needs_with_employers(consent);
    Put(s);
  }
  v1::Vacancy v = ValidVacancy("v-1", 8000);  // employer-1: the employer key's
  AddAccommodation(&v, v1::STEP_FREE_ACCESS, v1::POSSIBLE_WITH_SCHEME);
  Put(v);
  for (const char* id : {"s-yes", "s-no"}) {
    v1::RecordFeedbackRequest r;
    r.mutable_feedback()->set_seeker_id(id);
    r.mutable_feedback()->set_vacancy_id("v-1");
    r.mutable_feedback()->set_outcome(v1::SHORTLISTED);
    ASSERT_TRUE(As(Role::kAdmin, "/jobmatch.v1.MatchService/RecordFeedback", r).status.ok());
  }
  RunRematchAsAdmin();

  // The request for each RPC that returns seeker data, about `seeker`.
  using Builder = std::function<std::string(const std::string& seeker)>;
  auto seeker_req = [](auto message) {
    return [message](const std::string& seeker) mutable {
      auto copy = message;
      copy.set_seeker_id(seeker);
      return copy.SerializeAsString();
    };
  };
  v1::WhyNotRequest why_seeker_side;
  why_seeker_side.set_vacancy_id("v-1");
  why_seeker_side.set_seeker_side(true);
  v1::ExplainRequest explain;
  explain.set_vacancy_id("v-1");
  v1::GetRematchMatchesRequest rematch_by_seeker;
  v1::ListFeedbackRequest feedback_by_seeker;
  const std::map<std::string, std::vector<Builder>> requests = {
      {"/jobmatch.v1.SeekerService/Get",
       {[](const std::string& s) {
         v1::GetSeekerRequest r;
         r.set_id(s);
         return r.SerializeAsString();
       }}},
      {"/jobmatch.v1.SeekerService/List",
       {[](const std::string&) { return v1::ListSeekersRequest().SerializeAsString(); }}},
      {"/jobmatch.v1.MatchService/TopVacanciesForSeeker", {seeker_req(v1::TopVacanciesRequest())}},
      {"/jobmatch.v1.MatchService/TopSeekersForVacancy",
       {[](const std::string&) {
         v1::TopSeekersRequest r;
         r.set_vacancy_id("v-1");
         return r.SerializeAsString();
       }}},
      {"/jobmatch.v1.MatchService/Explain", {seeker_req(explain)}},
      {"/jobmatch.v1.MatchService/WhyNot",
       {seeker_req(why_seeker_side), seeker_req([] {
          v1::WhyNotRequest r;
          r.set_vacancy_id("v-1");
          return r;
        }())}},
      {"/jobmatch.v1.MatchService/ListFeedback", {seeker_req(feedback_by_seeker)}},
      {"/jobmatch.v1.RematchService/GetRematchMatches",
       {seeker_req(rematch_by_seeker), [](const std::string&) {
          v1::GetRematchMatchesRequest r;
          r.set_vacancy_id("v-1");
          return r.SerializeAsString();
        }}},
      {"/jobmatch.v1.RematchService/GetRematchReport",
       {[](const std::string&) { return v1::GetRematchReportRequest().SerializeAsString(); }}},
      {"/jobmatch.v1.CandidateService/ListShortlistedCandidates",
       {[](const std::string&) {
         v1::ListShortlistedCandidatesRequest r;
         r.set_vacancy_id("v-1");
         return r.SerializeAsString();
       }}},
  };

  const auth::MethodPolicy policy = auth::MethodPolicy::Default();
  const auto consent_of = [](const std::string& seeker) { return seeker == "s-yes"; };
  std::set<std::string> positive;  // "role item" seen where allowed: the controls
  int cells = 0;
  for (const std::string& method : auth::EnumerateRpcs("jobmatch.v1")) {
    const pb::MethodDescriptor* md = pb::DescriptorPool::generated_pool()->FindMethodByName(
        method.substr(1, method.rfind('/') - 1) + "." + method.substr(method.rfind('/') + 1));
    ASSERT_NE(md, nullptr) << method;
    if (!CarriesSeekerData(md->output_type())) continue;
    auto it = requests.find(method);
    ASSERT_NE(it, requests.end()) << method << " returns seeker data: add its request here";
    for (Role role : auth::kAllRoles) {
      for (const char* seeker : {"s-yes", "s-no"}) {
        for (const Builder& build : it->second) {
          const std::string request = build(seeker);
          auto result = Raw(method, SecretOf(role), {request});
          ++cells;
          if (policy.Check(method, role) != auth::MethodPolicy::Access::kAllowed) {
            EXPECT_EQ(result.status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << method;
            continue;
          }
          ASSERT_TRUE(result.status.ok())
              << method << " as " << auth::RoleName(role) << ": " << result.status.error_message();
          std::unique_ptr<pb::Message> req(
              pb::MessageFactory::generated_factory()->GetPrototype(md->input_type())->New());
          ASSERT_TRUE(req->ParseFromString(request));
          const std::string seeker_field = [&] {
            const pb::FieldDescriptor* f = req->GetDescriptor()->FindFieldByName("seeker_id");
            return f != nullptr ? req->GetReflection()->GetString(*req, f) : std::string();
          }();
          const pb::FieldDescriptor* side = req->GetDescriptor()->FindFieldByName("seeker_side");
          const bool seeker_list = !seeker_field.empty() &&
                                   (side == nullptr || req->GetReflection()->GetBool(*req, side));
          const bool vacancy_list = seeker_field.empty();
          for (const std::string& bytes : result.responses) {
            std::unique_ptr<pb::Message> response(
                pb::MessageFactory::generated_factory()->GetPrototype(md->output_type())->New());
            ASSERT_TRUE(response->ParseFromString(bytes));
            EXPECT_TRUE(response->GetReflection()->GetUnknownFields(*response).empty());
            std::vector<Seen> seen;
            Walk(*response, seeker_field, seeker_list, vacancy_list, consent_of, &seen);
            for (const Seen& s : seen) {
              const bool allowed = Allowed(role, s.message, s.item, s.consent);
              EXPECT_TRUE(allowed) << method << " as " << auth::RoleName(role) << " (consent "
                                   << s.consent << "): " << s.item;
              if (allowed) positive.insert(absl::StrCat(std::string(auth::RoleName(role)), " ", s.item));
            }
          }
        }
      }
    }
  }
  EXPECT_GT(cells, 100);
  // Positive controls: what the table allows does reach those allowed.
  for (const char* control : {
           "CASE_SYSTEM jobmatch.v1.Seeker.needs",
           "ADMIN jobmatch.v1.Seeker.commute_limit_reason",
           "BATCH jobmatch.v1.Seeker.skills",
           "CONSULTANT jobmatch.v1.Explanation.seeker_view_total",
           "CONSULTANT jobmatch.v1.ScorePart.reason=NEEDS_FIT",
           "CONSULTANT jobmatch.v1.Explanation.verdict=FEASIBLE_WITH_SUPPORT",
           "CONSULTANT jobmatch.v1.Explanation.support_schemes",
           "CONSULTANT jobmatch.v1.Explanation.total",
           "CONSULTANT jobmatch.v1.RankedId.score (a seeker's own list)",
           "CONSULTANT jobmatch.v1.ScorePart.evidence=names the commute-limit reason",
           "CONSULTANT jobmatch.v1.Explanation.verdict=FEASIBLE",
           "CONSULTANT jobmatch.v1.RematchReport.fairness",
           "CONSULTANT jobmatch.v1.PlacementOutcomes.with_needs",
           "BATCH jobmatch.v1.RematchReport.by_municipality",
           "EMPLOYER jobmatch.v1.AnonymousCandidate.skills",
           "EMPLOYER jobmatch.v1.AnonymousCandidate.commute_band",
       }) {
    EXPECT_EQ(positive.count(control), 1u) << "never seen: " << control;
  }
}

// Every field of every message that carries seeker data has a class (a new
// field is removed from every response until someone classifies it).
TEST(ViewTest, EveryFieldOfSeekerDataIsClassified) {
  ASSERT_GE(SeekerDataMessages().size(), 15u);
  for (const pb::Descriptor* d : SeekerDataMessages()) {
    for (int i = 0; i < d->field_count(); ++i) {
      EXPECT_TRUE(ClassOf(d->field(i)).has_value()) << d->field(i)->full_name();
    }
  }
}

}  // namespace
}  // namespace jobmatch::testing
