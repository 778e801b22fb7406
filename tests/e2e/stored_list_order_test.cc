// A seeker's stored nightly list (GetRematchMatches by seeker) for a viewer
// who may not see the seeker's functional needs (docs/security.md §3, "A
// seeker's own list"): the needs-blind order, nothing computed from the
// needs. Over a generated world, not one pair: for every seeker with needs,
// the stored list each viewer gets is compared with the live list of the
// same seeker computed needs-blind and with the needs fit (the live lists
// equal the nightly ones: same data, same day's tie seed).
#include <map>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "clients/datagen/generator.h"
#include "matcher/reference_data.h"
#include "tests/e2e/security_fixture.h"

namespace jobmatch::testing {
namespace {

using auth::Role;

class StoredListOrderTest : public SecurityFixture {
 protected:
  std::vector<std::string> Ids(const v1::RematchMatches& list) {
    std::vector<std::string> ids;
    for (const auto& m : list.matches()) ids.push_back(m.id());
    return ids;
  }
  // The stored list of `seeker` as `role`.
  v1::RematchMatches Stored(Role role, const std::string& seeker) {
    v1::GetRematchMatchesRequest request;
    request.set_seeker_id(seeker);
    auto reply = As(role, "/jobmatch.v1.RematchService/GetRematchMatches", request);
    EXPECT_TRUE(reply.status.ok()) << seeker << ": " << reply.status.error_message();
    v1::RematchMatches list;
    if (!reply.responses.empty()) {
      EXPECT_TRUE(list.ParseFromString(reply.responses[0]));
    }
    return list;
  }
  // The live list as a consultant: with the needs fit when the seeker
  // consented, needs-blind otherwise (OwnListOrderTest).
  std::vector<std::string> Live(const std::string& seeker, int limit) {
    v1::TopVacanciesRequest request;
    request.set_seeker_id(seeker);
    request.set_limit(limit);
    request.set_brief(true);
    auto reply = As(Role::kConsultant, "/jobmatch.v1.MatchService/TopVacanciesForSeeker", request);
    EXPECT_TRUE(reply.status.ok()) << seeker << ": " << reply.status.error_message();
    v1::MatchResponse response;
    std::vector<std::string> ids;
    if (reply.responses.empty() || !response.ParseFromString(reply.responses[0])) return ids;
    for (const auto& m : response.matches()) ids.push_back(m.id());
    return ids;
  }
};

TEST_F(StoredListOrderTest, EverySeekersStoredListIsNeedsBlindForEveryViewerWhoMayNotSeeTheNeeds) {
  auto data = matcher::ReferenceData::Load(matcher::ReferenceData::SourceTreeDataDir());
  ASSERT_TRUE(data.ok()) << data.status();
  datagen::GeneratorOptions gen;
  gen.seed = 14;
  gen.seekers = 900;
  gen.vacancies = 700;
  gen.now = absl::Now();
  auto generator = datagen::Generator::Create(data->get(),
                                              matcher::ReferenceData::SourceTreeDataDir(), gen);
  ASSERT_TRUE(generator.ok()) << generator.status();
  (*generator)->Employers([&](const v1::Employer& e) { Put(e); });
  (*generator)->Vacancies([&](const v1::Vacancy& v) { Put(v); });
  std::map<std::string, v1::Seeker> with_needs;  // by id
  (*generator)->Seekers([&](const v1::Seeker& s) {
    Put(s);
    if (s.needs_size() > 0) with_needs[s.id()] = s;
  });
  ASSERT_GT(with_needs.size(), 50u);
  RunRematchAsAdmin();
  auto got = As(Role::kAdmin, "/jobmatch.v1.RematchService/GetRematchRun", v1::GetRematchRunRequest());
  ASSERT_TRUE(got.status.ok());
  v1::RematchRun run;
  ASSERT_TRUE(run.ParseFromString(got.responses.at(0)));
  const int k = run.k();
  ASSERT_GT(k, 0);

  // Each seeker's live orders with and without the needs fit: read as the
  // seeker's consent is, then again with it flipped (the matcher ignores
  // consent; only the view's choice follows it).
  struct Orders {
    bool consent = false;
    std::vector<std::string> helpful, blind;
    std::vector<std::string> stored_consultant, stored_batch, stored_admin;
  };
  std::map<std::string, Orders> orders;
  for (const auto& [id, seeker] : with_needs) {
    Orders& o = orders[id];
    o.consent = seeker.consent_share_needs_with_employers();
    (o.consent ? o.helpful : o.blind) = Live(id, k);
    const v1::RematchMatches consultant = Stored(Role::kConsultant, id);
    const v1::RematchMatches batch = Stored(Role::kBatch, id);
    const v1::RematchMatches admin = Stored(Role::kAdmin, id);
    o.stored_consultant = Ids(consultant);
    o.stored_batch = Ids(batch);
    o.stored_admin = Ids(admin);
    // Nothing computed from needs: no score to a viewer who may not see them.
    for (const auto* list : {&consultant, &batch, &admin}) {
      const bool sees_needs = o.consent && list != &batch;
      for (const auto& m : list->matches()) {
        if (!sees_needs) {
          EXPECT_EQ(m.score(), 0.0) << id << " " << m.id();
        }
      }
    }
  }
  for (const auto& [id, seeker] : with_needs) {
    v1::Seeker flipped = seeker;
    flipped.set_consent_share_needs_with_employers(!seeker.consent_share_needs_with_employers());
    Put(flipped);
  }
  size_t differing_consent = 0, differing_private = 0, compared = 0;
  for (auto& [id, o] : orders) {
    (o.consent ? o.blind : o.helpful) = Live(id, k);
    ASSERT_FALSE(o.blind.empty() && !o.helpful.empty()) << id;
    ++compared;
    if (o.blind != o.helpful) ++(o.consent ? differing_consent : differing_private);
    // BATCH never sees needs: the needs-blind order, consent or not.
    EXPECT_EQ(o.stored_batch, o.blind) << id;
    // A consultant and an admin: the order with the needs fit only with the
    // seeker's consent.
    EXPECT_EQ(o.stored_consultant, o.consent ? o.helpful : o.blind) << id;
    EXPECT_EQ(o.stored_admin, o.consent ? o.helpful : o.blind) << id;
    // With the consent now flipped, the consultant's stored list follows.
    EXPECT_EQ(Ids(Stored(Role::kConsultant, id)), o.consent ? o.blind : o.helpful) << id;
  }
  // The control: the needs move the order for seekers of both kinds, so the
  // comparisons above could fail.
  EXPECT_GT(differing_consent, 0u);
  EXPECT_GT(differing_private, 0u);
  std::printf("seekers with needs %zu, compared %zu, needs move the order of %zu consenting "
              "and %zu not consenting\n",
              with_needs.size(), compared, differing_consent, differing_private);
}

}  // namespace
}  // namespace jobmatch::testing
