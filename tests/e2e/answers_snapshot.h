// Every answer the match API gives about a set of seekers and vacancies --
// both directions' lists, every pair's explanation and both why-nots -- with
// the parts that differ per call (decision id, time) left out, so that two
// snapshots can be compared (e.g. before and after a restart).
#ifndef JOBMATCH_TESTS_E2E_ANSWERS_SNAPSHOT_H_
#define JOBMATCH_TESTS_E2E_ANSWERS_SNAPSHOT_H_

#include <map>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "jobmatch/v1/match_service.grpc.pb.h"

namespace jobmatch::testing {

struct Answers {
  std::map<std::string, v1::MatchResponse> vacancies_for_seeker;
  std::map<std::string, v1::MatchResponse> seekers_for_vacancy;
  std::map<std::string, v1::ExplainResponse> explain;  // "seeker|vacancy"
  std::map<std::string, v1::WhyNotResponse> why_not;   // "seeker|vacancy|side"
};

inline std::unique_ptr<grpc::ClientContext> AnswerContext() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  return context;
}

inline Answers TakeAnswers(v1::MatchService::Stub* match, const std::vector<std::string>& seekers,
                           const std::vector<std::string>& vacancies) {
  Answers a;
  for (const auto& s : seekers) {
    v1::TopVacanciesRequest request;
    request.set_seeker_id(s);
    request.set_limit(100);
    v1::MatchResponse& response = a.vacancies_for_seeker[s];
    grpc::Status status = match->TopVacanciesForSeeker(AnswerContext().get(), request, &response);
    EXPECT_TRUE(status.ok()) << s << ": " << status.error_message();
    response.clear_trace();
  }
  for (const auto& v : vacancies) {
    v1::TopSeekersRequest request;
    request.set_vacancy_id(v);
    request.set_limit(100);
    v1::MatchResponse& response = a.seekers_for_vacancy[v];
    grpc::Status status = match->TopSeekersForVacancy(AnswerContext().get(), request, &response);
    EXPECT_TRUE(status.ok()) << v << ": " << status.error_message();
    response.clear_trace();
  }
  for (const auto& s : seekers) {
    for (const auto& v : vacancies) {
      v1::ExplainRequest explain;
      explain.set_seeker_id(s);
      explain.set_vacancy_id(v);
      v1::ExplainResponse& explained = a.explain[s + "|" + v];
      EXPECT_TRUE(match->Explain(AnswerContext().get(), explain, &explained).ok());
      explained.clear_trace();
      for (bool side : {false, true}) {
        v1::WhyNotRequest why;
        why.set_seeker_id(s);
        why.set_vacancy_id(v);
        why.set_seeker_side(side);
        v1::WhyNotResponse& answered = a.why_not[s + "|" + v + (side ? "|seeker" : "|vacancy")];
        EXPECT_TRUE(match->WhyNot(AnswerContext().get(), why, &answered).ok());
        answered.clear_trace();
      }
    }
  }
  return a;
}

template <typename Message>
void ExpectSameAnswers(const std::map<std::string, Message>& before,
                       const std::map<std::string, Message>& after, const char* what) {
  ASSERT_EQ(before.size(), after.size()) << what;
  for (const auto& [key, message] : before) {
    auto it = after.find(key);
    ASSERT_NE(it, after.end()) << what << " " << key;
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(message, it->second))
        << what << " " << key << " differs:\nbefore: " << message.ShortDebugString()
        << "\nafter:  " << it->second.ShortDebugString();
  }
}

inline void ExpectSameAnswers(const Answers& before, const Answers& after) {
  ExpectSameAnswers(before.vacancies_for_seeker, after.vacancies_for_seeker,
                    "TopVacanciesForSeeker");
  ExpectSameAnswers(before.seekers_for_vacancy, after.seekers_for_vacancy, "TopSeekersForVacancy");
  ExpectSameAnswers(before.explain, after.explain, "Explain");
  ExpectSameAnswers(before.why_not, after.why_not, "WhyNot");
}

}  // namespace jobmatch::testing

#endif  // JOBMATCH_TESTS_E2E_ANSWERS_SNAPSHOT_H_
