// EmployerBridge: the employer-service team's three lists, from plain facts
// about employers (size, contacts) and their open vacancies (openings,
// feasible and strong candidates as the live matching finds them):
//  1. employers with strong candidates for an open vacancy but no contact in
//     the last `no_contact` (or never): most strong candidates first;
//  2. employers with at least `min_openings` openings and fewer feasible
//     candidates than openings: largest shortfall first;
//  3. employers of 5 or more employees not visited since `year_start`:
//     never visited first, then longest ago.
// Ties by employer id. Pure function; thread-safe.
#ifndef JOBMATCH_MATCHER_EMPLOYER_BRIDGE_H_
#define JOBMATCH_MATCHER_EMPLOYER_BRIDGE_H_

#include <string>
#include <vector>

#include "absl/time/time.h"

namespace jobmatch::matcher {

struct BridgeEmployerFacts {
  std::string id;
  bool five_or_more_employees = false;
  absl::Time last_contact = absl::InfinitePast();  // any kind; InfinitePast = never
  absl::Time last_visit = absl::InfinitePast();
};

struct BridgeVacancyFacts {
  std::string id;
  std::string employer_id;
  int openings = 1;
  size_t feasible = 0;
  size_t strong = 0;
};

struct BridgeOptions {
  absl::Time now;         // REQUIRED
  absl::Time year_start;  // REQUIRED
  absl::Duration no_contact = absl::Hours(24 * 90);
  size_t min_openings = 3;
  size_t limit = 50;
};

struct BridgeRow {
  size_t employer = 0;  // index into the employers given
  size_t open_vacancies = 0;
  size_t openings = 0;
  size_t feasible = 0;
  size_t strong = 0;
  std::vector<std::string> vacancy_ids;
};

struct BridgeLists {
  std::vector<BridgeRow> strong_no_contact;
  std::vector<BridgeRow> many_openings_few_candidates;
  std::vector<BridgeRow> not_visited_this_year;
};

// Vacancies of unknown employers are left out.
BridgeLists BuildBridge(const std::vector<BridgeEmployerFacts>& employers,
                        const std::vector<BridgeVacancyFacts>& vacancies,
                        const BridgeOptions& options);

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_EMPLOYER_BRIDGE_H_
