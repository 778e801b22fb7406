// A seeker's own list for a viewer who may not see the seeker's functional
// needs (docs/security.md §3, "A seeker's own list"): nothing it is shown is
// computed from the needs, the order included. Two seekers alike but for a
// soft need come back in the same order to such a viewer; to a viewer who
// may see the needs (consent) the need moves the order (the control). The
// needs-blind decision replays exactly from the audit log.
#include <string>
#include <vector>

#include "jobmatch/v1/audit_service.pb.h"
#include "tests/e2e/security_fixture.h"

namespace jobmatch::testing {
namespace {

using auth::Role;

class OwnListOrderTest : public SecurityFixture {
 protected:
  v1::MatchResponse TopVacancies(Role role, const std::string& seeker) {
    v1::TopVacanciesRequest request;
    request.set_seeker_id(seeker);
    request.set_limit(10);
    auto reply = As(role, "/jobmatch.v1.MatchService/TopVacanciesForSeeker", request);
    EXPECT_TRUE(reply.status.ok()) << reply.status.error_message();
    v1::MatchResponse response;
    if (!reply.responses.empty()) {
      EXPECT_TRUE(response.ParseFromString(reply.responses[0]));
    }
    return response;
  }
  static std::vector<std::string> Order(const v1::MatchResponse& response) {
    std::vector<std::string> ids;
    for (const auto& m : response.matches()) ids.push_back(m.id());
    return ids;
  }
  v1::WhyNotResponse WhyNotSeekerSide(const std::string& seeker, const std::string& vacancy,
                                      int limit) {
    v1::WhyNotRequest request;
    request.set_seeker_id(seeker);
    request.set_vacancy_id(vacancy);
    request.set_seeker_side(true);
    request.set_limit(limit);
    auto reply = As(Role::kConsultant, "/jobmatch.v1.MatchService/WhyNot", request);
    EXPECT_TRUE(reply.status.ok()) << reply.status.error_message();
    v1::WhyNotResponse response;
    if (!reply.responses.empty()) {
      EXPECT_TRUE(response.ParseFromString(reply.responses[0]));
    }
    return response;
  }
};

TEST_F(OwnListOrderTest, AViewerWhoMayNotSeeNeedsGetsTheOrderWithoutThem) {
  // Alike but for a soft need for a quiet workspace; one twin of the need
  // consented to share it, one did not.
  Put(ValidSeeker("plain", 8200));
  for (const auto& [id, consent] :
       {std::pair<const char*, bool>{"need-private", false}, {"need-shared", true}}) {
    v1::Seeker s = ValidSeeker(id, 8200);
    auto* need = s.add_needs();
    need->set_accommodation(v1::QUIET_WORKSPACE);
    need->set_strength(v1::SOFT);
    s.set_consent_share_needs_with_employers(consent);
    Put(s);
  }
  // Nearer workplaces without the accommodation, farther ones with it.
  const std::vector<std::pair<std::string, int>> jobs = {
      {"v-near-1", 8200}, {"v-near-2", 8000}, {"v-quiet-1", 8210}, {"v-quiet-2", 8220}};
  for (const auto& [id, postal_code] : jobs) {
    v1::Vacancy v = ValidVacancy(id, postal_code);
    if (id.find("quiet") != std::string::npos) {
      AddAccommodation(&v, v1::QUIET_WORKSPACE, v1::IN_PLACE);
    }
    Put(v);
  }

  const std::vector<std::string> plain = Order(TopVacancies(Role::kConsultant, "plain"));
  ASSERT_EQ(plain.size(), jobs.size());
  // The control: to a viewer who may see the need, it moves the order.
  const std::vector<std::string> shared = Order(TopVacancies(Role::kConsultant, "need-shared"));
  ASSERT_EQ(shared.size(), jobs.size());
  ASSERT_NE(shared, plain) << "the need should move the seeker's own order when it may be seen";
  // Without consent the consultant gets the needs-blind order: the twin's.
  const v1::MatchResponse hidden = TopVacancies(Role::kConsultant, "need-private");
  EXPECT_EQ(Order(hidden), plain);
  for (int i = 0; i < hidden.matches_size(); ++i) {
    EXPECT_EQ(hidden.matches(i).rank(), i + 1);
    EXPECT_EQ(hidden.matches(i).explanation().seeker_view_total(), 0.0);
  }
  // An admin, too, sees needs in results only with consent.
  EXPECT_EQ(Order(TopVacancies(Role::kAdmin, "need-private")), plain)
      << "no consent: no viewer's order is computed from the need";
  EXPECT_EQ(Order(TopVacancies(Role::kAdmin, "need-shared")), shared);

  // WhyNot on the seeker's side ranks the same way: the last of the plain
  // list, with a list one shorter, is below the cut-off at the same rank.
  const std::string last = plain.back();
  const v1::WhyNotResponse why_hidden = WhyNotSeekerSide("need-private", last, 3);
  const v1::WhyNotResponse why_plain = WhyNotSeekerSide("plain", last, 3);
  EXPECT_EQ(why_hidden.kind(), why_plain.kind());
  EXPECT_EQ(why_hidden.rank(), why_plain.rank());

  // The needs-blind decision is logged as such and replays exactly.
  uint64_t sequence = 0;
  for (const v1::AuditEntry& e : AuditEntries()) {
    if (e.method() == "/jobmatch.v1.MatchService/TopVacanciesForSeeker" &&
        e.decision().seeker_id() == "need-private") {
      EXPECT_TRUE(e.decision().needs_blind());
      sequence = e.sequence();
    }
    if (e.method() == "/jobmatch.v1.MatchService/TopVacanciesForSeeker" &&
        e.decision().seeker_id() == "need-shared" && e.caller_role() == "CONSULTANT") {
      EXPECT_FALSE(e.decision().needs_blind());
    }
  }
  ASSERT_NE(sequence, 0u);
  v1::ReplayRequest replay;
  replay.set_sequence(sequence);
  auto replayed = As(Role::kAdmin, "/jobmatch.v1.AuditService/Replay", replay);
  ASSERT_TRUE(replayed.status.ok()) << replayed.status.error_message();
  v1::ReplayResponse result;
  ASSERT_TRUE(result.ParseFromString(replayed.responses.at(0)));
  EXPECT_TRUE(result.reproduced()) << result.ShortDebugString();
}

}  // namespace
}  // namespace jobmatch::testing
