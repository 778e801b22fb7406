// The SQL text both peers run: jobmatch's Scorer::Evaluate (hard constraints
// in WHERE, the weighted score in ORDER BY ... LIMIT) written as SQL over the
// rows of peer_data.h, with the policy's weights and the commute model's
// constants printed into it. What differs between PostgreSQL and SQLite (the
// spatial filter, array operators, LEAST/MIN) comes from a Dialect.
//
// Column names: seekers' columns start with s_, vacancies' with v_, so the
// joined rows of a query can be selected as s.*, v.* without clashes. The
// tables seeker_goal(sid, ord, isco, esco), substitutes(a, b, sim) and
// routes(r_from, r_to, r_enter_x, r_enter_y, r_exit_x, r_exit_y, r_m1..r_m4)
// are the same in both.
#ifndef JOBMATCH_BENCH_PEERS_SQL_SCORE_H_
#define JOBMATCH_BENCH_PEERS_SQL_SCORE_H_

#include <string>

#include "matcher/policy.h"

namespace jobmatch::peers {

struct Dialect {
  bool postgres = false;
  // The scalar minimum / maximum of two or more values.
  std::string least() const { return postgres ? "least" : "min"; }
  std::string greatest() const { return postgres ? "greatest" : "max"; }
  // A floating-point literal (PostgreSQL would read 0.75 as numeric).
  std::string Lit(double value) const;
};

// The straight-line metres between home (s_x, s_y) and workplace (v_x,
// v_y): the candidates of TopKSql select it AS d.
std::string PairDistanceSql();

// One-way minutes over land for `metres` by TransportMode `mode`, as
// ModelCommute::LandMinutes computes them.
std::string LandMinutesSql(const Dialect& d, const std::string& metres, int mode);

// The fastest one-way minutes from the seeker's home to the workplace by the
// seeker's modes (a large number if no mode can make it; NULL if no route
// joins the two landmasses), as FastestCommute over ModelCommute.
std::string CommuteMinutesSql(const Dialect& d);

// The hard constraints other than occupation and commute, as one boolean
// SQL condition over s_ and v_ columns. `now_param` is the placeholder of
// the query time in Unix microseconds. The languages test comes from the
// dialect: `languages_ok`.
std::string HardConstraintsSql(const Dialect& d, const std::string& now_param,
                               const std::string& languages_ok);

// Occupation fit (0 = unrelated, the hard constraint), from seeker_goal and
// substitutes. REQUIRES: policy.occupation_breadth == 3 and
// policy.admit_substitutes (the defaults); CHECKed by the caller.
std::string OccupationFitSql(const Dialect& d, const matcher::Policy& policy);

// The score: `seeker_view` true gives Score::seeker_view_total (a seeker's
// list of vacancies), false Score::total (a vacancy's list of seekers).
// References the columns minutes and occ and the given credit expressions
// (sum of skill credits over the essential / optional skills).
std::string ScoreSql(const Dialect& d, const matcher::Policy& policy, bool seeker_view,
                     const std::string& essential_credit, const std::string& optional_credit);

// Assembles the whole top-k query: `candidates` is a SELECT s.*, v.*,
// PairDistanceSql() AS d FROM ... WHERE (spatial and occupation prefilter)
// that yields every pair the commute and occupation constraints can admit
// (a superset is fine: the query applies every constraint); the result has
// columns
// (id, score), best first, ties by id as MatchIndex breaks them.
std::string TopKSql(const Dialect& d, const matcher::Policy& policy, bool seeker_side,
                    const std::string& candidates, const std::string& now_param,
                    const std::string& limit_param, const std::string& languages_ok,
                    const std::string& essential_credit, const std::string& optional_credit);

}  // namespace jobmatch::peers

#endif  // JOBMATCH_BENCH_PEERS_SQL_SCORE_H_
