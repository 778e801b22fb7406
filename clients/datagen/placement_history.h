// Placement histories for a generated data set: what consultants recorded
// about suggested seeker-vacancy pairs over the past months (shortlisted ->
// contacted -> interview -> hired -> started -> followed up at 1, 3 and 6
// months -> ended with an outcome), as jobmatch.v1.Feedback events that carry
// their own times, for `jobmatch import placements` (docs/placements.md).
// The rates are in PlacementModel, with their sources or reasoning in
// docs/data-generator.md ("Placement histories").
//
// Determinism: the histories have their own random stream (from the seed),
// drawn while the generator's seekers and vacancies are streamed again; the
// records themselves are not changed by it.
#ifndef JOBMATCH_CLIENTS_DATAGEN_PLACEMENT_HISTORY_H_
#define JOBMATCH_CLIENTS_DATAGEN_PLACEMENT_HISTORY_H_

#include <functional>

#include "clients/datagen/generator.h"
#include "jobmatch/v1/match_service.pb.h"

namespace jobmatch::datagen {

// Written down before any figure of the report was seen; not tuned.
struct PlacementModel {
  // How far back the first suggestion of a pair lies: uniform in days.
  int window_days = 270;
  // Share of seekers with suggested pairs in the window, and the chance of
  // each further pair (geometric, at most max_pairs).
  double seekers_with_pairs = 0.30;
  double another_pair = 0.40;
  int max_pairs = 5;
  // Suggested -> contacted; if not, NOT_INTERESTED is recorded with this
  // chance (else the pair is left as shortlisted).
  double contacted = 0.65;
  double not_interested_if_not_contacted = 0.30;
  // Contacted -> interview; if not, REJECTED is recorded with this chance.
  double interview = 0.45;
  double rejected_if_no_interview = 0.50;
  // Interview -> hired and started, by the target group's distance from the
  // labour market: near (jobparat, uddannelsesparat, selvforsoerger),
  // middle (sygedagpenge, fleksjob_visiteret), far (the others).
  double start_near = 0.50;
  double start_middle = 0.40;
  double start_far = 0.30;
  // Still in work at the 1, 3 and 6 months' follow-up, each given the
  // previous one; far groups have the lower figures.
  double in_work_1_month = 0.92, in_work_1_month_far = 0.85;
  double in_work_3_months = 0.88, in_work_3_months_far = 0.80;
  double in_work_6_months = 0.90, in_work_6_months_far = 0.85;
  // How a placement ended that stopped before its planned end (drop-out):
  // into other employment, into education, else back to benefits.
  double dropout_to_employment = 0.25;
  double dropout_to_education = 0.10;
  // How a development placement ended at its planned end, by kind:
  // {to employment, to education}; the rest back to benefits.
  double praktik_to_employment = 0.25, praktik_to_education = 0.10;
  double loentilskud_to_employment = 0.40, loentilskud_to_education = 0.05;
  double igu_to_employment = 0.45, igu_to_education = 0.30;
  double voksenlaerling_to_employment = 0.65, voksenlaerling_to_education = 0.05;
};

// Calls `fn` with every event, pair by pair (seekers in id order, each
// pair's events in time order), all before `generator.options().now`. A pair
// starts only while its vacancy has openings left (else the interview ends
// in REJECTED, POSITION_FILLED). The message passed to fn is reused.
void PlacementHistories(const Generator& generator, const PlacementModel& model,
                        const std::function<void(const v1::Feedback&)>& fn);

}  // namespace jobmatch::datagen

#endif  // JOBMATCH_CLIENTS_DATAGEN_PLACEMENT_HISTORY_H_
