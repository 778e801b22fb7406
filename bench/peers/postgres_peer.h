// PostgresPeer: what a municipal IT department would build — PostgreSQL 15
// with intarray (skill, goal and language sets as int[], GIN indexes on the
// occupation sets, a B-tree on the vacancies' occupation group; the
// projected distance tested exactly on the occupation candidates), the
// scoring SQL of sql_score.h as one prepared statement per query type, over
// libpq on a loopback TCP connection, one core per query (no parallel
// workers).
#ifndef JOBMATCH_BENCH_PEERS_POSTGRES_PEER_H_
#define JOBMATCH_BENCH_PEERS_POSTGRES_PEER_H_

#include <memory>
#include <string>

#include "bench/peers/sql_peer.h"

struct pg_conn;

namespace jobmatch::peers {

class PostgresPeer : public SqlPeer {
 public:
  // `conninfo`: a libpq connection string, e.g. "host=127.0.0.1 port=54329
  // user=postgres dbname=postgres".
  static absl::StatusOr<std::unique_ptr<PostgresPeer>> Open(const std::string& conninfo);
  ~PostgresPeer() override;

  std::string name() const override { return "PostgreSQL"; }
  absl::Status Load(const PeerData& data) override;
  absl::Status Prepare(const PeerData& data) override;
  absl::StatusOr<std::vector<matcher::RankedId>> TopVacancies(int32_t sid, int k) override;
  absl::StatusOr<std::vector<matcher::RankedId>> TopSeekers(int32_t vid, int k) override;
  absl::StatusOr<std::unique_ptr<SqlPeer>> Connect(const PeerData& data) const override;
  absl::Status Ping() override;
  // From /proc of the backend process (the server runs on this machine).
  double ServerCpuSeconds() const override;
  std::string Explain(int32_t sid, int32_t vid) override;

 private:
  PostgresPeer(pg_conn* conn, std::string conninfo) : conn_(conn), conninfo_(std::move(conninfo)) {}
  absl::Status Exec(const std::string& sql);
  absl::Status Copy(const std::string& table, const std::string& rows);
  absl::StatusOr<std::vector<matcher::RankedId>> Run(const char* statement, int32_t id, int k);

  pg_conn* conn_;
  std::string conninfo_;
  std::string now_;
  std::string seeker_sql_, vacancy_sql_;
};

}  // namespace jobmatch::peers

#endif  // JOBMATCH_BENCH_PEERS_POSTGRES_PEER_H_
