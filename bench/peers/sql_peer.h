// SqlPeer: a SQL database holding PeerData's rows and answering jobmatch's
// two top-k questions with one SQL statement each (sql_score.h).
#ifndef JOBMATCH_BENCH_PEERS_SQL_PEER_H_
#define JOBMATCH_BENCH_PEERS_SQL_PEER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "matcher/match_index.h"

namespace jobmatch::peers {

class PeerData;

// One connection; not thread-safe. Use Connect() for another connection to
// the same loaded database (one per thread).
class SqlPeer {
 public:
  virtual ~SqlPeer() = default;
  virtual std::string name() const = 0;
  // Creates the schema, loads every row of `data` and builds the indexes.
  virtual absl::Status Load(const PeerData& data) = 0;
  // Prepares the two statements on this connection. REQUIRES: loaded.
  virtual absl::Status Prepare(const PeerData& data) = 0;
  // The best `k` vacancies for seeker row `sid` (by seeker_view_total) and
  // the best `k` seekers for vacancy row `vid` (by total), best first.
  virtual absl::StatusOr<std::vector<matcher::RankedId>> TopVacancies(int32_t sid, int k) = 0;
  virtual absl::StatusOr<std::vector<matcher::RankedId>> TopSeekers(int32_t vid, int k) = 0;
  // Another connection to the same database, prepared.
  virtual absl::StatusOr<std::unique_ptr<SqlPeer>> Connect(const PeerData& data) const = 0;
  // CPU seconds the database server has spent for this connection so far
  // (0 for an embedded database: its work is on the caller's thread).
  virtual double ServerCpuSeconds() const = 0;
  // One trivial statement (SELECT 1): the fixed cost of a round trip.
  virtual absl::Status Ping() = 0;
  // The planner's account of one seeker query and one vacancy query.
  virtual std::string Explain(int32_t sid, int32_t vid) = 0;
};

}  // namespace jobmatch::peers

#endif  // JOBMATCH_BENCH_PEERS_SQL_PEER_H_
