// PeerData: one generated data set held twice — in jobmatch's MatchIndex and
// as the flat rows the SQL peers (PostgreSQL, SQLite) load — so that every
// system answers the same question over the same records.
//
// The rows carry only per-record values: the profile's own fields, plus
// values derived from one record and the reference data, the same kind of
// preparation jobmatch does on upsert (PrepareSeeker's skill parents,
// SeekerSkillBits' levels, the commute model's reach bound). Nothing is
// computed per (seeker, vacancy) pair: the SQL computes every pair's
// constraints and score itself (sql_score.h).
#ifndef JOBMATCH_BENCH_PEERS_PEER_DATA_H_
#define JOBMATCH_BENCH_PEERS_PEER_DATA_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "matcher/match_index.h"
#include "matcher/reference_data.h"

namespace jobmatch::peers {

struct SeekerRow {
  int32_t sid = 0;  // dense, 0..n-1, in generation order
  std::string id;
  double x = 0, y = 0;      // UTM32 metres (Place)
  double lat = 0, lon = 0;  // WGS84 (as generated; the SQL uses x, y)
  int landmass = 0;
  int modes = 0;  // bitmask of TransportMode
  int max_minutes = 0;
  double reach = 0;  // CommuteModel::MaxReachMetres(modes, max_minutes)
  std::vector<int32_t> goal_isco, goal_esco;  // most wanted first; esco -1 = none
  std::vector<int32_t> goal_minor;            // sorted, unique isco / 10
  std::vector<int32_t> goal_esco_set;         // sorted, unique, without -1
  // The held skills and their broader concepts (PrepareSeeker's
  // skill_parents), sorted: a required skill earns full credit if held,
  // narrower credit if among the parents, sibling credit if one of its own
  // broader concepts is among the parents (Scorer's Coverage).
  std::vector<int32_t> skills, parents;
  int education = 0;
  std::vector<int32_t> lang_ok;  // code * 8 + level for every level up to the seeker's
  int licences = 0;
  int min_hours = 0, max_hours = 48, max_hours_day = 0, fleksjob_hours = 0;
  bool max_hours_hard = false;  // max_hours is a hard limit (HOURS_INCOMPATIBLE)
  int kinds = 0;        // acceptable_kinds bitmask; 0 = all
  int needs = 0;        // bitmask of every functional need (soft or hard)
  int hard_needs = 0;   // bitmask of the hard ones
  int excluded_hard = 0, excluded_soft = 0;
  bool active = true;
};

struct VacancyRow {
  int32_t vid = 0;
  std::string id;
  double x = 0, y = 0, lat = 0, lon = 0;
  int landmass = 0;
  bool remote_full = false;  // remote_share_percent >= 100: no commute
  int isco = 0, minor = 0;
  int32_t esco = -1;
  std::vector<int32_t> substitutes;  // occupations substituting for esco, sorted
  std::vector<int32_t> essential, optional;  // sorted skill ids
  int hours = 37;
  bool flexible_hours = false;
  int kind = 1;
  int required_licences = 0;
  std::vector<int32_t> required_langs;  // code * 8 + level
  int min_education = 0;
  int64_t valid_until_us = 0;  // Unix microseconds; INT64_MAX = no end
  bool open = true;
  // Effective accommodation statuses (remote share and flexible hours count
  // as in place), as bitmasks of Accommodation by status.
  int acc_in_place = 0, acc_possible = 0, acc_scheme = 0, acc_unknown = 0, acc_not_possible = 0;
  // Work demands (night shifts included), the essential ones, and per demand
  // the best usable mitigation the workplace has, as bitmasks of WorkDemand
  // by the mitigation's status (dm_none: nothing usable).
  int demands = 0, demands_essential = 0;
  int dm_in_place = 0, dm_possible = 0, dm_scheme = 0, dm_none = 0;
};

// A crossing route between two landmasses, reduced to what the SQL needs:
// the first crossing's entry point, the last one's exit point, and per mode
// the minutes of everything between them (crossings and the land legs
// between crossings); a negative value means the mode cannot use the route.
// The same routes, in the same enumeration, as ModelCommute.
struct RouteRow {
  int from = 0, to = 0;
  double enter_x = 0, enter_y = 0, exit_x = 0, exit_y = 0;
  double minutes[5] = {-1, -1, -1, -1, -1};  // by TransportMode
};

// One broader concept of a skill (Taxonomy::skill(id).broader).
struct BroaderRow {
  int32_t skill = 0, broader = 0;
};

struct SubstituteRow {
  int32_t a = 0, b = 0;
  double similarity = 0;  // the taxonomy's float, widened
};

class PeerData {
 public:
  // Generates `scale` (datagen::ApplyScale) from the source tree's reference
  // data with seed 1, builds the index and the rows.
  static absl::StatusOr<std::unique_ptr<PeerData>> Create(const std::string& scale);

  const matcher::MatchIndex& index() const { return *index_; }
  const matcher::Policy& policy() const { return policy_; }
  // The policy the peers' SQL is written with: policy() unless a test
  // mistunes it to see the equality check catch the difference.
  const matcher::Policy& sql_policy() const { return sql_policy_; }
  void set_sql_policy(const matcher::Policy& policy) { sql_policy_ = policy; }
  const matcher::ReferenceData& reference() const { return *data_; }
  absl::Time now() const { return now_; }
  int64_t now_us() const { return absl::ToUnixMicros(now_); }
  double index_build_seconds() const { return build_seconds_; }

  const std::vector<SeekerRow>& seekers() const { return seekers_; }
  const std::vector<VacancyRow>& vacancies() const { return vacancies_; }
  const std::vector<RouteRow>& routes() const { return routes_; }
  const std::vector<SubstituteRow>& substitutes() const { return substitutes_; }
  const std::vector<BroaderRow>& broader() const { return broader_; }

 private:
  PeerData() = default;
  absl::Status BuildRoutes();

  std::unique_ptr<matcher::ReferenceData> data_;
  std::unique_ptr<matcher::Scorer> scorer_;
  std::unique_ptr<matcher::MatchIndex> index_;
  matcher::Policy policy_;
  matcher::Policy sql_policy_;
  absl::Time now_;
  double build_seconds_ = 0;
  std::vector<SeekerRow> seekers_;
  std::vector<VacancyRow> vacancies_;
  std::vector<RouteRow> routes_;
  std::vector<SubstituteRow> substitutes_;
  std::vector<BroaderRow> broader_;
};

}  // namespace jobmatch::peers

#endif  // JOBMATCH_BENCH_PEERS_PEER_DATA_H_
