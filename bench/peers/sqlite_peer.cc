#include "bench/peers/sqlite_peer.h"

#include <sqlite3.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "bench/peers/peer_data.h"
#include "bench/peers/sql_score.h"

namespace jobmatch::peers {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE seekers(s_sid INTEGER PRIMARY KEY, s_id TEXT NOT NULL, s_x REAL, s_y REAL,
  s_lm INT, s_modes INT, s_max_minutes INT, s_reach REAL, s_edu INT, s_licences INT,
  s_min_h INT, s_max_h INT, s_max_h_day INT, s_flex INT, s_kinds INT, s_needs INT,
  s_hard_needs INT, s_excl_hard INT, s_excl_soft INT, s_active INT, s_max_h_hard INT);
CREATE TABLE vacancies(v_vid INTEGER PRIMARY KEY, v_id TEXT NOT NULL, v_x REAL, v_y REAL,
  v_lm INT, v_remote INT, v_isco INT, v_minor INT, v_esco INT, v_n_ess INT, v_n_opt INT,
  v_n_langs INT, v_hours INT, v_flexible INT, v_kind INT, v_req_lic INT, v_min_edu INT,
  v_valid_until INT, v_open INT, v_acc_in_place INT, v_acc_possible INT, v_acc_scheme INT,
  v_acc_unknown INT, v_acc_not_possible INT, v_dm INT, v_dm_ess INT, v_dm_in_place INT,
  v_dm_possible INT, v_dm_scheme INT, v_dm_none INT);
CREATE TABLE seeker_goal(sid INT, ord INT, isco INT, esco INT, minor INT,
  PRIMARY KEY(sid, ord)) WITHOUT ROWID;
CREATE TABLE substitutes(a INT, b INT, sim REAL, PRIMARY KEY(a, b)) WITHOUT ROWID;
CREATE TABLE routes(r_from INT, r_to INT, r_enter_x REAL, r_enter_y REAL, r_exit_x REAL,
  r_exit_y REAL, r_m1 REAL, r_m2 REAL, r_m3 REAL, r_m4 REAL);
CREATE TABLE seeker_skill(sid INT, skill INT, credit REAL, is_parent INT,
  PRIMARY KEY(sid, skill)) WITHOUT ROWID;
CREATE TABLE skill_broader(skill INT, broader INT, PRIMARY KEY(skill, broader)) WITHOUT ROWID;
CREATE TABLE vacancy_skill(vid INT, essential INT, skill INT,
  PRIMARY KEY(vid, essential, skill)) WITHOUT ROWID;
CREATE TABLE seeker_lang(sid INT, code_level INT, PRIMARY KEY(sid, code_level)) WITHOUT ROWID;
CREATE TABLE vacancy_lang(vid INT, code_level INT, PRIMARY KEY(vid, code_level)) WITHOUT ROWID;
CREATE VIRTUAL TABLE vacancy_rtree USING rtree(id, minx, maxx, miny, maxy);
CREATE VIRTUAL TABLE seeker_rtree USING rtree(id, minx, maxx, miny, maxy);
)sql";

constexpr const char* kIndexes = R"sql(
CREATE INDEX vacancies_minor ON vacancies(v_minor);
CREATE INDEX vacancies_esco ON vacancies(v_esco);
CREATE INDEX vacancies_remote ON vacancies(v_remote);
CREATE INDEX seeker_goal_minor ON seeker_goal(minor, sid);
CREATE INDEX seeker_goal_esco ON seeker_goal(esco, sid);
CREATE INDEX substitutes_b ON substitutes(b, a);
CREATE INDEX routes_pair ON routes(r_from, r_to);
ANALYZE;
)sql";

class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { ok_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) == SQLITE_OK; }
  ~Stmt() { sqlite3_finalize(s_); }
  bool ok() const { return ok_; }
  Stmt& Int(int i, int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Stmt& Real(int i, double v) {
    sqlite3_bind_double(s_, i, v);
    return *this;
  }
  Stmt& Text(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  bool Step() {
    const int rc = sqlite3_step(s_);
    sqlite3_reset(s_);
    return rc == SQLITE_DONE;
  }

 private:
  sqlite3_stmt* s_ = nullptr;
  bool ok_ = false;
};

std::string LanguagesOk() {
  return "v_n_langs = 0 OR NOT EXISTS (SELECT 1 FROM vacancy_lang q WHERE q.vid = v_vid AND NOT "
         "EXISTS (SELECT 1 FROM seeker_lang l WHERE l.sid = s_sid AND l.code_level = "
         "q.code_level))";
}

// Scorer's Coverage per required skill: held (1), a broader concept of a
// held skill (narrower credit), or sharing a broader concept with one
// (sibling credit).
std::string Credit(const Dialect& d, const matcher::Policy& p, bool essential) {
  return absl::StrCat(
      "(SELECT total(COALESCE((SELECT k.credit FROM seeker_skill k WHERE k.sid = s_sid AND "
      "k.skill = q.skill), CASE WHEN EXISTS (SELECT 1 FROM skill_broader b JOIN seeker_skill u ON "
      "u.sid = s_sid AND u.skill = b.broader AND u.is_parent = 1 WHERE b.skill = q.skill) THEN ",
      d.Lit(p.sibling_skill_credit), " ELSE 0.0 END)) FROM vacancy_skill q WHERE q.vid = v_vid AND "
      "q.essential = ",
      essential ? 1 : 0, ")");
}

std::string Box(const std::string& x, const std::string& y, const std::string& r) {
  return absl::StrCat("r.minx <= ", x, " + ", r, " AND r.maxx >= ", x, " - ", r, " AND r.miny <= ",
                      y, " + ", r, " AND r.maxy >= ", y, " - ", r);
}

constexpr const char* kWithinReach =
    "(v.v_x - s.s_x) * (v.v_x - s.s_x) + (v.v_y - s.s_y) * (v.v_y - s.s_y) <= s.s_reach * "
    "s.s_reach";

}  // namespace

absl::StatusOr<std::unique_ptr<SqlitePeer>> SqlitePeer::Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return absl::UnavailableError(absl::StrCat("sqlite3_open ", path, ": ", msg));
  }
  std::unique_ptr<SqlitePeer> peer(new SqlitePeer(db, path));
  // Generous caches: an embedded deployment would give SQLite the memory.
  if (auto s = peer->Exec("PRAGMA cache_size=-1048576; PRAGMA mmap_size=4294967296; "
                          "PRAGMA temp_store=MEMORY;");
      !s.ok()) {
    return s;
  }
  return peer;
}

SqlitePeer::~SqlitePeer() {
  sqlite3_finalize(seeker_query_);
  sqlite3_finalize(vacancy_query_);
  sqlite3_close(db_);
}

absl::Status SqlitePeer::Exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    absl::Status s = absl::InternalError(absl::StrCat("sqlite: ", err ? err : "?"));
    sqlite3_free(err);
    return s;
  }
  return absl::OkStatus();
}

absl::Status SqlitePeer::Load(const PeerData& data) {
  if (auto s = Exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;"); !s.ok()) return s;
  if (auto s = Exec(kSchema); !s.ok()) return s;
  {
    Stmt seeker(db_, "INSERT INTO seekers VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    Stmt goal(db_, "INSERT INTO seeker_goal VALUES(?,?,?,?,?)");
    Stmt skill(db_, "INSERT INTO seeker_skill VALUES(?,?,?,?)");
    Stmt lang(db_, "INSERT INTO seeker_lang VALUES(?,?)");
    Stmt box(db_, "INSERT INTO seeker_rtree VALUES(?,?,?,?,?)");
    if (!seeker.ok() || !goal.ok() || !skill.ok() || !lang.ok() || !box.ok()) {
      return absl::InternalError(absl::StrCat("sqlite prepare: ", sqlite3_errmsg(db_)));
    }
    const matcher::Policy& p = data.sql_policy();
    for (const SeekerRow& r : data.seekers()) {
      seeker.Int(1, r.sid).Text(2, r.id).Real(3, r.x).Real(4, r.y).Int(5, r.landmass)
          .Int(6, r.modes).Int(7, r.max_minutes).Real(8, r.reach).Int(9, r.education)
          .Int(10, r.licences).Int(11, r.min_hours).Int(12, r.max_hours).Int(13, r.max_hours_day)
          .Int(14, r.fleksjob_hours).Int(15, r.kinds).Int(16, r.needs).Int(17, r.hard_needs)
          .Int(18, r.excluded_hard).Int(19, r.excluded_soft).Int(20, r.active ? 1 : 0)
          .Int(21, r.max_hours_hard ? 1 : 0);
      if (!seeker.Step()) return absl::InternalError(sqlite3_errmsg(db_));
      for (size_t i = 0; i < r.goal_isco.size(); ++i) {
        goal.Int(1, r.sid).Int(2, static_cast<int64_t>(i)).Int(3, r.goal_isco[i])
            .Int(4, r.goal_esco[i]).Int(5, r.goal_isco[i] / 10);
        if (!goal.Step()) return absl::InternalError(sqlite3_errmsg(db_));
      }
      // One row per held skill or broader concept of one: its credit when
      // a vacancy requires it, and whether it is a broader concept.
      std::vector<int32_t> keys = r.skills;
      keys.insert(keys.end(), r.parents.begin(), r.parents.end());
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      for (int32_t k : keys) {
        const bool held = std::binary_search(r.skills.begin(), r.skills.end(), k);
        const bool parent = std::binary_search(r.parents.begin(), r.parents.end(), k);
        skill.Int(1, r.sid).Int(2, k).Real(3, held ? 1.0 : p.narrower_skill_credit)
            .Int(4, parent ? 1 : 0);
        if (!skill.Step()) return absl::InternalError(sqlite3_errmsg(db_));
      }
      for (int32_t l : r.lang_ok) {
        lang.Int(1, r.sid).Int(2, l);
        if (!lang.Step()) return absl::InternalError(sqlite3_errmsg(db_));
      }
      // The seeker's reach as a box: a vacancy query asks which boxes
      // contain the workplace.
      box.Int(1, r.sid).Real(2, r.x - r.reach).Real(3, r.x + r.reach).Real(4, r.y - r.reach)
          .Real(5, r.y + r.reach);
      if (!box.Step()) return absl::InternalError(sqlite3_errmsg(db_));
    }
  }
  {
    Stmt vacancy(db_,
                 "INSERT INTO vacancies VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    Stmt skill(db_, "INSERT INTO vacancy_skill VALUES(?,?,?)");
    Stmt lang(db_, "INSERT INTO vacancy_lang VALUES(?,?)");
    Stmt box(db_, "INSERT INTO vacancy_rtree VALUES(?,?,?,?,?)");
    if (!vacancy.ok() || !skill.ok() || !lang.ok() || !box.ok()) {
      return absl::InternalError(absl::StrCat("sqlite prepare: ", sqlite3_errmsg(db_)));
    }
    for (const VacancyRow& r : data.vacancies()) {
      vacancy.Int(1, r.vid).Text(2, r.id).Real(3, r.x).Real(4, r.y).Int(5, r.landmass)
          .Int(6, r.remote_full ? 1 : 0).Int(7, r.isco).Int(8, r.minor).Int(9, r.esco)
          .Int(10, static_cast<int64_t>(r.essential.size()))
          .Int(11, static_cast<int64_t>(r.optional.size()))
          .Int(12, static_cast<int64_t>(r.required_langs.size())).Int(13, r.hours)
          .Int(14, r.flexible_hours ? 1 : 0).Int(15, r.kind).Int(16, r.required_licences)
          .Int(17, r.min_education).Int(18, r.valid_until_us).Int(19, r.open ? 1 : 0)
          .Int(20, r.acc_in_place).Int(21, r.acc_possible).Int(22, r.acc_scheme)
          .Int(23, r.acc_unknown).Int(24, r.acc_not_possible).Int(25, r.demands)
          .Int(26, r.demands_essential).Int(27, r.dm_in_place).Int(28, r.dm_possible)
          .Int(29, r.dm_scheme).Int(30, r.dm_none);
      if (!vacancy.Step()) return absl::InternalError(sqlite3_errmsg(db_));
      for (int essential = 1; essential >= 0; --essential) {
        for (int32_t k : essential ? r.essential : r.optional) {
          skill.Int(1, r.vid).Int(2, essential).Int(3, k);
          if (!skill.Step()) return absl::InternalError(sqlite3_errmsg(db_));
        }
      }
      for (int32_t l : r.required_langs) {
        lang.Int(1, r.vid).Int(2, l);
        if (!lang.Step()) return absl::InternalError(sqlite3_errmsg(db_));
      }
      if (!r.remote_full) {
        box.Int(1, r.vid).Real(2, r.x).Real(3, r.x).Real(4, r.y).Real(5, r.y);
        if (!box.Step()) return absl::InternalError(sqlite3_errmsg(db_));
      }
    }
  }
  {
    Stmt sub(db_, "INSERT INTO substitutes VALUES(?,?,?)");
    for (const SubstituteRow& r : data.substitutes()) {
      sub.Int(1, r.a).Int(2, r.b).Real(3, r.similarity);
      if (!sub.Step()) return absl::InternalError(sqlite3_errmsg(db_));
    }
    Stmt up(db_, "INSERT INTO skill_broader VALUES(?,?)");
    for (const BroaderRow& r : data.broader()) {
      up.Int(1, r.skill).Int(2, r.broader);
      if (!up.Step()) return absl::InternalError(sqlite3_errmsg(db_));
    }
    Stmt route(db_, "INSERT INTO routes VALUES(?,?,?,?,?,?,?,?,?,?)");
    for (const RouteRow& r : data.routes()) {
      route.Int(1, r.from).Int(2, r.to).Real(3, r.enter_x).Real(4, r.enter_y).Real(5, r.exit_x)
          .Real(6, r.exit_y).Real(7, r.minutes[1]).Real(8, r.minutes[2]).Real(9, r.minutes[3])
          .Real(10, r.minutes[4]);
      if (!route.Step()) return absl::InternalError(sqlite3_errmsg(db_));
    }
  }
  if (auto s = Exec("COMMIT;"); !s.ok()) return s;
  return Exec(kIndexes);
}

absl::Status SqlitePeer::Prepare(const PeerData& data) {
  Dialect d;
  now_us_ = data.now_us();
  const std::string occupation_for_seeker =
      "(v.v_minor IN (SELECT minor FROM seeker_goal WHERE sid = ?1) OR v.v_esco IN (SELECT x.b "
      "FROM seeker_goal g JOIN substitutes x ON x.a = g.esco WHERE g.sid = ?1))";
  const std::string dist = PairDistanceSql();
  const std::string seeker_candidates = absl::StrCat(
      "SELECT s.*, v.*, ", dist, " AS d FROM seekers s JOIN vacancy_rtree r ON ",
      Box("s.s_x", "s.s_y", "s.s_reach"), " JOIN vacancies v ON v.v_vid = r.id WHERE s.s_sid = ?1 AND ",
      kWithinReach, " AND ", occupation_for_seeker, " UNION ALL SELECT s.*, v.*, ", dist,
      " AS d FROM seekers s JOIN vacancies v ON v.v_remote = 1 WHERE s.s_sid = ?1 AND ",
      occupation_for_seeker);
  // Uncorrelated (by the parameter, not by v): SQLite evaluates it once.
  const std::string occupation_for_vacancy =
      "s.s_sid IN (SELECT g.sid FROM vacancies w JOIN seeker_goal g ON g.minor = w.v_minor WHERE "
      "w.v_vid = ?1 UNION SELECT g.sid FROM vacancies w JOIN substitutes x ON x.b = w.v_esco JOIN "
      "seeker_goal g ON g.esco = x.a WHERE w.v_vid = ?1)";
  const std::string vacancy_candidates = absl::StrCat(
      "SELECT s.*, v.*, ", dist, " AS d FROM vacancies v JOIN seeker_rtree r ON ",
      Box("v.v_x", "v.v_y", "0"), " JOIN seekers s ON s.s_sid = r.id WHERE v.v_vid = ?1 AND ",
      "v.v_remote = 0 AND ", kWithinReach, " AND ", occupation_for_vacancy,
      " UNION ALL SELECT s.*, v.*, ", dist,
      " AS d FROM vacancies v JOIN seekers s WHERE v.v_vid = ?1 AND v.v_remote = 1 AND ",
      occupation_for_vacancy);
  seeker_sql_ = TopKSql(d, data.sql_policy(), true, seeker_candidates, "?2", "?3", LanguagesOk(),
                        Credit(d, data.sql_policy(), true), Credit(d, data.sql_policy(), false));
  vacancy_sql_ = TopKSql(d, data.sql_policy(), false, vacancy_candidates, "?2", "?3", LanguagesOk(),
                         Credit(d, data.sql_policy(), true), Credit(d, data.sql_policy(), false));
  for (auto [sql, stmt] : {std::make_pair(&seeker_sql_, &seeker_query_),
                           std::make_pair(&vacancy_sql_, &vacancy_query_)}) {
    sqlite3_finalize(*stmt);
    *stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql->c_str(), -1, stmt, nullptr) != SQLITE_OK) {
      return absl::InternalError(absl::StrCat("sqlite prepare: ", sqlite3_errmsg(db_)));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<matcher::RankedId>> SqlitePeer::Run(sqlite3_stmt* stmt, int32_t id,
                                                               int k) {
  sqlite3_bind_int64(stmt, 1, id);
  sqlite3_bind_int64(stmt, 2, now_us_);
  sqlite3_bind_int64(stmt, 3, k);
  std::vector<matcher::RankedId> out;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    out.push_back({reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
                   sqlite3_column_double(stmt, 1)});
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE) return absl::InternalError(absl::StrCat("sqlite: ", sqlite3_errmsg(db_)));
  return out;
}

absl::StatusOr<std::vector<matcher::RankedId>> SqlitePeer::TopVacancies(int32_t sid, int k) {
  return Run(seeker_query_, sid, k);
}

absl::StatusOr<std::vector<matcher::RankedId>> SqlitePeer::TopSeekers(int32_t vid, int k) {
  return Run(vacancy_query_, vid, k);
}

absl::StatusOr<std::unique_ptr<SqlPeer>> SqlitePeer::Connect(const PeerData& data) const {
  auto peer = Open(path_);
  if (!peer.ok()) return peer.status();
  if (auto s = (*peer)->Prepare(data); !s.ok()) return s;
  return std::unique_ptr<SqlPeer>(std::move(*peer));
}

std::string SqlitePeer::Explain(int32_t sid, int32_t vid) {
  std::string out;
  for (auto [sql, id] : {std::make_pair(&seeker_sql_, sid), std::make_pair(&vacancy_sql_, vid)}) {
    sqlite3_stmt* stmt = nullptr;
    const std::string q = "EXPLAIN QUERY PLAN " + *sql;
    if (sqlite3_prepare_v2(db_, q.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      return absl::StrCat("explain failed: ", sqlite3_errmsg(db_));
    }
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int64(stmt, 2, now_us_);
    sqlite3_bind_int64(stmt, 3, 20);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      absl::StrAppend(&out, "  ", sqlite3_column_int(stmt, 0), " ", sqlite3_column_int(stmt, 1),
                      " ", reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3)), "\n");
    }
    sqlite3_finalize(stmt);
    out += "  --\n";
  }
  return out;
}

absl::Status SqlitePeer::Ping() { return Exec("SELECT 1"); }

}  // namespace jobmatch::peers
