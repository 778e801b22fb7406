#include "server/feedback_marks.h"

namespace jobmatch {

void MarkFeedback(const FeedbackLedger* ledger, const matcher::MatchIndex& index,
                  const std::string& self_id, bool seeker_list, v1::MatchResponse* response) {
  // A vacancy's list is about one vacancy: look it up once.
  int own_openings_left = 0;
  if (!seeker_list && response->matches_size() > 0) {
    own_openings_left = FeedbackLedger::OpeningsLeft(index.VacancyOpenings(self_id).value_or(0),
                                                     ledger ? ledger->Hires(self_id) : 0);
  }
  for (v1::MatchEntry& entry : *response->mutable_matches()) {
    const std::string& seeker_id = seeker_list ? self_id : entry.id();
    const std::string& vacancy_id = seeker_list ? entry.id() : self_id;
    if (ledger != nullptr) entry.set_feedback_outcome(ledger->Outcome(seeker_id, vacancy_id));
    entry.set_openings_left(
        seeker_list ? FeedbackLedger::OpeningsLeft(index.VacancyOpenings(vacancy_id).value_or(0),
                                                   ledger ? ledger->Hires(vacancy_id) : 0)
                    : own_openings_left);
  }
}

}  // namespace jobmatch
