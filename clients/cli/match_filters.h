// The CLI's match filters and feedback arguments, parsed into the API's
// messages with errors that name the flag or argument and the rule.
#ifndef JOBMATCH_CLIENTS_CLI_MATCH_FILTERS_H_
#define JOBMATCH_CLIENTS_CLI_MATCH_FILTERS_H_

#include <string>

#include "absl/status/statusor.h"
#include "jobmatch/v1/match_service.pb.h"

namespace jobmatch::cli {

// --kind=FLEKSJOB,LOENTILSKUD (VacancyKind names, any case),
// --municipality=751,746 (kommunekoder), --min_score=0.5 (0..1 or a
// percentage 1..100). Empty strings leave a filter unset.
absl::StatusOr<v1::MatchFilters> ParseMatchFilters(const std::string& kinds,
                                                   const std::string& municipalities,
                                                   const std::string& min_score);

// `feedback SEEKER VACANCY OUTCOME [REASON]`: OUTCOME is shortlisted,
// contacted, hired or rejected; REASON (a RejectionReason name, any case)
// only with rejected, where it is required.
absl::StatusOr<v1::Feedback> ParseFeedback(const std::string& seeker_id,
                                           const std::string& vacancy_id,
                                           const std::string& outcome, const std::string& reason);

// Drops matches whose commute is longer than `max_minutes` (the API has no
// radius filter; the CLI applies --max_commute to the page it got).
// Returns how many were dropped.
int DropLongCommutes(double max_minutes, v1::MatchResponse* response);

}  // namespace jobmatch::cli

#endif  // JOBMATCH_CLIENTS_CLI_MATCH_FILTERS_H_
