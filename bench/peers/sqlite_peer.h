// SqliteTopK: the embedded alternative — SQLite with R*Tree indexes on the
// projected coordinates, the skills, goals and languages as junction tables
// with composite primary keys (SQLite has no array type), the same scoring
// SQL as PostgreSQL (sql_score.h).
#ifndef JOBMATCH_BENCH_PEERS_SQLITE_PEER_H_
#define JOBMATCH_BENCH_PEERS_SQLITE_PEER_H_

#include <memory>
#include <string>

#include "bench/peers/sql_peer.h"

struct sqlite3;
struct sqlite3_stmt;

namespace jobmatch::peers {

class SqlitePeer : public SqlPeer {
 public:
  // Opens (creating) the database file at `path`.
  static absl::StatusOr<std::unique_ptr<SqlitePeer>> Open(const std::string& path);
  ~SqlitePeer() override;

  std::string name() const override { return "SQLite"; }
  absl::Status Load(const PeerData& data) override;
  absl::Status Prepare(const PeerData& data) override;
  absl::StatusOr<std::vector<matcher::RankedId>> TopVacancies(int32_t sid, int k) override;
  absl::StatusOr<std::vector<matcher::RankedId>> TopSeekers(int32_t vid, int k) override;
  absl::StatusOr<std::unique_ptr<SqlPeer>> Connect(const PeerData& data) const override;
  absl::Status Ping() override;
  double ServerCpuSeconds() const override { return 0; }
  std::string Explain(int32_t sid, int32_t vid) override;

 private:
  SqlitePeer(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  absl::Status Exec(const std::string& sql);
  absl::StatusOr<std::vector<matcher::RankedId>> Run(sqlite3_stmt* stmt, int32_t id, int k);

  sqlite3* db_;
  std::string path_;
  int64_t now_us_ = 0;
  sqlite3_stmt* seeker_query_ = nullptr;
  sqlite3_stmt* vacancy_query_ = nullptr;
  std::string seeker_sql_, vacancy_sql_;
};

}  // namespace jobmatch::peers

#endif  // JOBMATCH_BENCH_PEERS_SQLITE_PEER_H_
