// The generator's placement histories (clients/datagen/placement_history.h):
// deterministic, about the generated records only, each pair's events in
// time order before `now` and in the life cycle's order as the server checks
// it (CheckPlacementOrder), never more starts than a vacancy's openings, and
// drawn without changing any record.
#include "clients/datagen/placement_history.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/clients/reference_data.h"
#include "server/placement_lifecycle.h"

namespace jobmatch::datagen {
namespace {

using testing::Data;

std::unique_ptr<Generator> Make(uint64_t seed) {
  GeneratorOptions options;
  options.seed = seed;
  options.seekers = 6000;
  options.vacancies = 1500;
  auto g = Generator::Create(&Data(), matcher::ReferenceData::SourceTreeDataDir(), options);
  EXPECT_TRUE(g.ok()) << g.status();
  return std::move(*g);
}

std::vector<std::string> Events(const Generator& g) {
  std::vector<std::string> out;
  PlacementHistories(g, PlacementModel(), [&](const v1::Feedback& f) {
    out.push_back(f.SerializeAsString());
  });
  return out;
}

TEST(PlacementHistoryTest, SameSeedSameEventsOtherSeedOthers) {
  auto a = Make(1), b = Make(1), c = Make(2);
  const auto ea = Events(*a);
  EXPECT_EQ(ea, Events(*b));
  EXPECT_NE(ea, Events(*c));
  EXPECT_GT(ea.size(), 3000u);
}

TEST(PlacementHistoryTest, DrawingThemChangesNoRecord) {
  auto g = Make(5);
  std::vector<std::string> before, after;
  g->Seekers([&](const v1::Seeker& s) { before.push_back(s.SerializeAsString()); });
  g->Vacancies([&](const v1::Vacancy& v) { before.push_back(v.SerializeAsString()); });
  Events(*g);
  g->Seekers([&](const v1::Seeker& s) { after.push_back(s.SerializeAsString()); });
  g->Vacancies([&](const v1::Vacancy& v) { after.push_back(v.SerializeAsString()); });
  EXPECT_EQ(before, after);
}

TEST(PlacementHistoryTest, EveryPairFollowsTheLifeCycleTheServerEnforces) {
  auto g = Make(7);
  std::set<std::string> seekers;
  std::map<std::string, int> openings;
  g->Seekers([&](const v1::Seeker& s) { seekers.insert(s.id()); });
  g->Vacancies([&](const v1::Vacancy& v) { openings[v.id()] = std::max(1, v.openings()); });
  const int64_t now = absl::ToUnixMicros(g->options().now);
  std::map<std::pair<std::string, std::string>, PlacementLifecycle> pairs;
  std::map<std::pair<std::string, std::string>, int64_t> last;
  std::map<std::string, int> hires;
  std::map<std::string, int> outcomes;
  std::string previous_seeker;
  PlacementHistories(*g, PlacementModel(), [&](const v1::Feedback& f) {
    const auto key = std::make_pair(f.seeker_id(), f.vacancy_id());
    ASSERT_EQ(seekers.count(f.seeker_id()), 1u) << f.seeker_id();
    ASSERT_EQ(openings.count(f.vacancy_id()), 1u) << f.vacancy_id();
    EXPECT_GE(f.seeker_id(), previous_seeker) << "seekers in id order";
    previous_seeker = f.seeker_id();
    EXPECT_LT(f.time_micros(), now);
    if (last.count(key) == 0) {
      EXPECT_EQ(f.outcome(), v1::SHORTLISTED) << "starts with a suggestion";
    }
    EXPECT_GT(f.time_micros(), last[key]) << "a pair's events in time order";
    last[key] = f.time_micros();
    absl::Status order = CheckPlacementOrder(pairs[key], f);
    EXPECT_TRUE(order.ok()) << order;
    pairs[key].Add(f);
    if (f.outcome() == v1::HIRED) ++hires[f.vacancy_id()];
    ++outcomes[v1::FeedbackOutcome_Name(f.outcome())];
  });
  for (const auto& [vacancy, n] : hires) EXPECT_LE(n, openings[vacancy]) << vacancy;
  for (const char* o : {"SHORTLISTED", "CONTACTED", "INTERVIEW", "HIRED", "STARTED", "FOLLOWED_UP",
                        "ENDED", "REJECTED", "NOT_INTERESTED"}) {
    EXPECT_GT(outcomes[o], 0) << o;
  }
  // The model's main rates show in the data (within sampling error).
  const double contacted = double(outcomes["CONTACTED"]) / outcomes["SHORTLISTED"];
  EXPECT_NEAR(contacted, PlacementModel().contacted, 0.05);
  const double interviewed = double(outcomes["INTERVIEW"]) / outcomes["CONTACTED"];
  EXPECT_NEAR(interviewed, PlacementModel().interview, 0.06);
}

}  // namespace
}  // namespace jobmatch::datagen
