// The typed walk of a match list (View::Apply on a MatchResponse, generated
// accessors) removes and rewrites exactly what the reflective walk
// (View::ApplyByReflection, which every other response still takes) does:
// over thousands of generated responses in which every field of every
// message type is set at random (values chosen to trip each rule: verdicts,
// blockers, NEEDS_FIT parts, commute evidence naming a limit reason,
// unknown fields), for every audience, with and without all municipalities,
// for a seeker's list and a vacancy's list, with and without consent. A
// field the typed walk forgets, or handles differently, fails the
// comparison; a field added to these messages (or a class changed in
// kFieldClasses) switches the typed walk off and fails
// TypedWalkKnowsEveryField until both are brought up to date.
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "jobmatch/v1/match_service.pb.h"
#include "server/view.h"

namespace jobmatch {
namespace {

namespace pb = google::protobuf;

const std::vector<std::string>& Strings() {
  static const auto* strings = new std::vector<std::string>{
      "", "s1", "s2", "s3", "v1", "FEASIBLE", "FEASIBLE_WITH_SUPPORT", "INFEASIBLE",
      "HARD_NEED_UNMET", "DEMAND_EXCLUDED", "PLACEMENT_NOT_ELIGIBLE", "PLACEMENT_TOO_LONG",
      "COMMUTE_TOO_LONG", "NEEDS_FIT", "COMMUTE", "SKILLS",
      "34 min by public transport (limit 40 min one way, HEALTH)",
      "12 min by car (limit 60 min one way, STANDARD_RULE); 20 min by bike (limit 30 min one way, OTHER)",
      "no reason here", "JOBPARAT", "some text"};
  return *strings;
}

// Sets every field of `m` (recursively, to `depth`) to a random value, or
// leaves it unset now and then; adds an unknown field now and then.
void Fill(pb::Message* m, std::mt19937& rng, int depth) {
  const pb::Descriptor* d = m->GetDescriptor();
  const pb::Reflection* r = m->GetReflection();
  auto coin = [&](int in) { return static_cast<int>(rng() % in) == 0; };
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    if (coin(4)) continue;  // unset
    const int n = f->is_repeated() ? static_cast<int>(rng() % 4) : 1;
    for (int k = 0; k < n; ++k) {
      using CT = pb::FieldDescriptor::CppType;
      const bool rep = f->is_repeated();
      switch (f->cpp_type()) {
        case CT::CPPTYPE_STRING: {
          const std::string v = Strings()[rng() % Strings().size()];
          rep ? r->AddString(m, f, v) : r->SetString(m, f, v);
          break;
        }
        case CT::CPPTYPE_DOUBLE: {
          const double choices[] = {0.0, -0.0, 0.25, 0.731, 42.5};
          const double v = choices[rng() % 5];
          rep ? r->AddDouble(m, f, v) : r->SetDouble(m, f, v);
          break;
        }
        case CT::CPPTYPE_FLOAT: {
          const float v = static_cast<float>(rng() % 100) / 7.0f;
          rep ? r->AddFloat(m, f, v) : r->SetFloat(m, f, v);
          break;
        }
        case CT::CPPTYPE_INT32: {
          const int32_t v = static_cast<int32_t>(rng() % 5);
          rep ? r->AddInt32(m, f, v) : r->SetInt32(m, f, v);
          break;
        }
        case CT::CPPTYPE_INT64: {
          const int64_t v = static_cast<int64_t>(rng() % 5) * 1000003;
          rep ? r->AddInt64(m, f, v) : r->SetInt64(m, f, v);
          break;
        }
        case CT::CPPTYPE_UINT32: {
          const uint32_t v = rng() % 5;
          rep ? r->AddUInt32(m, f, v) : r->SetUInt32(m, f, v);
          break;
        }
        case CT::CPPTYPE_UINT64: {
          const uint64_t v = rng() % 5;
          rep ? r->AddUInt64(m, f, v) : r->SetUInt64(m, f, v);
          break;
        }
        case CT::CPPTYPE_BOOL: {
          const bool v = coin(2);
          rep ? r->AddBool(m, f, v) : r->SetBool(m, f, v);
          break;
        }
        case CT::CPPTYPE_ENUM: {
          const pb::EnumDescriptor* e = f->enum_type();
          const int v = e->value(static_cast<int>(rng() % e->value_count()))->number();
          rep ? r->AddEnumValue(m, f, v) : r->SetEnumValue(m, f, v);
          break;
        }
        case CT::CPPTYPE_MESSAGE: {
          if (depth <= 0) break;
          Fill(rep ? r->AddMessage(m, f) : r->MutableMessage(m, f), rng, depth - 1);
          break;
        }
      }
    }
  }
  if (coin(5)) r->MutableUnknownFields(m)->AddVarint(9999, rng() % 3);
}

TEST(ViewTypedWalkTest, TypedWalkKnowsEveryField) {
  // False when a message type of a match list gained a field, or a field's
  // class in kFieldClasses changed, without kTypedMatchFields and the typed
  // walk (server/view.cc) being brought up to date: match lists are then
  // walked by reflection (safe, slower).
  EXPECT_TRUE(TypedMatchWalkKnows());
}

TEST(ViewTypedWalkTest, TypedWalkEqualsTheReflectiveWalkForEveryAudience) {
  std::vector<std::pair<std::string, View>> views = {
      {"need-to-know, all municipalities", View(Audience::kNeedToKnow, true)},
      {"need-to-know, some municipalities", View(Audience::kNeedToKnow, false)},
      {"no needs, all municipalities", View(Audience::kNoNeeds, true)},
      {"no needs, some municipalities", View(Audience::kNoNeeds, false)},
      {"employer", View(Audience::kEmployer, false)},
  };
  v1::TopVacanciesRequest seeker_list;
  seeker_list.set_seeker_id("s1");
  v1::TopVacanciesRequest other_seeker_list;
  other_seeker_list.set_seeker_id("s2");
  v1::TopSeekersRequest vacancy_list;
  vacancy_list.set_vacancy_id("v1");
  const std::vector<std::pair<std::string, const pb::Message*>> requests = {
      {"seeker s1's list", &seeker_list},
      {"seeker s2's list", &other_seeker_list},
      {"vacancy v1's list", &vacancy_list}};
  const View::ConsentOf consent = [](const std::string& id) { return id == "s1" || id == "s3"; };
  const View::ConsentOf no_consent;
  std::mt19937 rng(18);
  int compared = 0, changed = 0;
  for (int round = 0; round < 400; ++round) {
    v1::MatchResponse generated;
    Fill(&generated, rng, 4);
    for (const auto& [view_name, view] : views) {
      for (const auto& [request_name, request] : requests) {
        for (const View::ConsentOf* c : {&consent, &no_consent}) {
          v1::MatchResponse typed = generated, reflective = generated;
          view.Apply(*request, &typed, *c);
          view.ApplyByReflection(*request, &reflective, *c);
          ++compared;
          changed += typed.SerializeAsString() != generated.SerializeAsString();
          std::string diff;
          pb::util::MessageDifferencer differ;
          differ.ReportDifferencesToString(&diff);
          ASSERT_TRUE(differ.Compare(reflective, typed))
              << view_name << ", " << request_name << (c == &consent ? ", consent" : "")
              << ", round " << round << ":\n" << diff << "\ngenerated:\n"
              << generated.DebugString();
          ASSERT_EQ(typed.SerializeAsString(), reflective.SerializeAsString());
        }
      }
    }
  }
  // The generated responses exercise the rules: most are changed by the view.
  EXPECT_GT(changed, compared / 2);
}

}  // namespace
}  // namespace jobmatch
