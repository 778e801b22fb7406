// Marks a live match list with what recorded feedback says about its pairs:
// each entry's latest outcome and its vacancy's openings left. The ranking
// is left as the scores made it.
#ifndef JOBMATCH_SERVER_FEEDBACK_MARKS_H_
#define JOBMATCH_SERVER_FEEDBACK_MARKS_H_

#include <string>

#include "jobmatch/v1/match_service.pb.h"
#include "matcher/match_index.h"
#include "server/feedback_ledger.h"

namespace jobmatch {

// `seeker_list`: `response` lists vacancies for seeker `self_id`; otherwise
// seekers for vacancy `self_id`. `response`'s entries are `result`'s matches
// in order (each match carries its vacancy's openings). `ledger` may be null
// (no feedback: every vacancy has all its openings left).
void MarkFeedback(const FeedbackLedger* ledger, const matcher::MatchResult& result,
                  const std::string& self_id, bool seeker_list, v1::MatchResponse* response);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_FEEDBACK_MARKS_H_
