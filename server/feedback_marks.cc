#include "server/feedback_marks.h"

#include <algorithm>

namespace jobmatch {

void MarkFeedback(const FeedbackLedger* ledger, const matcher::MatchResult& result,
                  const std::string& self_id, bool seeker_list, v1::MatchResponse* response) {
  const int n = std::min(response->matches_size(), static_cast<int>(result.matches.size()));
  for (int i = 0; i < n; ++i) {
    v1::MatchEntry& entry = *response->mutable_matches(i);
    const std::string& seeker_id = seeker_list ? self_id : entry.id();
    const std::string& vacancy_id = seeker_list ? entry.id() : self_id;
    if (ledger != nullptr) entry.set_feedback_outcome(ledger->Outcome(seeker_id, vacancy_id));
    entry.set_openings_left(FeedbackLedger::OpeningsLeft(
        result.matches[static_cast<size_t>(i)].openings, ledger ? ledger->Hires(vacancy_id) : 0));
  }
}

}  // namespace jobmatch
