#include "bench/peers/postgres_peer.h"

#include <libpq-fe.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/peers/peer_data.h"
#include "bench/peers/sql_score.h"

namespace jobmatch::peers {
namespace {

constexpr const char* kSchema = R"sql(
CREATE EXTENSION IF NOT EXISTS intarray;
DROP TABLE IF EXISTS seekers, vacancies, seeker_goal, substitutes, routes, skill_up;
CREATE TABLE seekers(s_sid int PRIMARY KEY, s_id text COLLATE "C" NOT NULL, s_x float8, s_y float8,
  s_lat float8, s_lon float8, s_lm int, s_modes int, s_max_minutes int, s_reach float8,
  s_goal_minor int[], s_goal_esco int[], s_skills int[], s_parents int[], s_edu int,
  s_lang_ok int[], s_licences int, s_min_h int, s_max_h int, s_max_h_day int, s_flex int,
  s_kinds int, s_needs int, s_hard_needs int, s_excl_hard int, s_excl_soft int, s_active int,
  s_max_h_hard int);
CREATE TABLE vacancies(v_vid int PRIMARY KEY, v_id text COLLATE "C" NOT NULL, v_x float8,
  v_y float8, v_lat float8, v_lon float8, v_lm int, v_remote int, v_isco int, v_minor int,
  v_esco int, v_subst int[], v_ess int[], v_opt int[], v_n_ess int, v_n_opt int, v_hours int,
  v_flexible int, v_kind int, v_req_lic int, v_req_langs int[], v_min_edu int,
  v_valid_until bigint, v_open int, v_acc_in_place int, v_acc_possible int, v_acc_scheme int,
  v_acc_unknown int, v_acc_not_possible int, v_dm int, v_dm_ess int, v_dm_in_place int,
  v_dm_possible int, v_dm_scheme int, v_dm_none int);
CREATE TABLE seeker_goal(sid int, ord int, isco int, esco int, PRIMARY KEY(sid, ord));
CREATE TABLE substitutes(a int, b int, sim float8, PRIMARY KEY(a, b));
CREATE TABLE skill_up(skill int PRIMARY KEY, broader int[]);
CREATE TABLE routes(r_from int, r_to int, r_enter_x float8, r_enter_y float8, r_exit_x float8,
  r_exit_y float8, r_m1 float8, r_m2 float8, r_m3 float8, r_m4 float8);
)sql";

// The candidates come from the occupation indexes; the projected distance
// is then tested exactly. Spatial indexes (earthdistance GiST on each
// workplace and on each seeker's reach box) were used until 2026-12-03 and
// made both queries several times slower at national scale: a reach box in
// Denmark holds a large share of the country (93k of 250k seekers for one
// workplace), so the planner's GiST scan (alone for a seeker's list, in a
// BitmapAnd with the occupation GIN for a vacancy's) read far more than the
// occupation postings do (docs/benchmarks.md, Peers).
constexpr const char* kIndexes = R"sql(
CREATE INDEX seekers_goal_minor ON seekers USING gin(s_goal_minor gin__int_ops);
CREATE INDEX seekers_goal_esco ON seekers USING gin(s_goal_esco gin__int_ops);
CREATE INDEX vacancies_minor ON vacancies(v_minor);
CREATE INDEX vacancies_subst ON vacancies USING gin(v_subst gin__int_ops);
CREATE INDEX vacancies_remote ON vacancies(v_remote);
CREATE INDEX vacancies_remote_minor ON vacancies(v_minor) WHERE v_remote = 1;
CREATE INDEX vacancies_remote_subst ON vacancies USING gin(v_subst gin__int_ops) WHERE v_remote = 1;
CREATE INDEX routes_pair ON routes(r_from, r_to);
)sql";

std::string Array(const std::vector<int32_t>& v) {
  return absl::StrCat("{", absl::StrJoin(v, ","), "}");
}

std::string Real(double v) { return absl::StrFormat("%.17g", v); }

constexpr const char* kWithinReach =
    "(v.v_x - s.s_x) * (v.v_x - s.s_x) + (v.v_y - s.s_y) * (v.v_y - s.s_y) <= s.s_reach * "
    "s.s_reach";

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresPeer>> PostgresPeer::Open(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    return absl::UnavailableError(absl::StrCat("postgres connect: ", msg));
  }
  std::unique_ptr<PostgresPeer> peer(new PostgresPeer(conn, conninfo));
  if (auto s = peer->Exec("SET client_min_messages = warning"); !s.ok()) return s;
  // One query on one core, as jobmatch answers it, and every CPU second
  // counted: ServerCpuSeconds reads the backend process only, so parallel
  // workers would go uncounted (and on a serving machine they take cores
  // from other queries).
  if (auto s = peer->Exec("SET max_parallel_workers_per_gather = 0"); !s.ok()) return s;
  // The prepared statements' plan does not depend on the id asked for, and
  // PostgreSQL's default (a custom plan per execution after comparing) spent
  // 4-15 ms planning each 2-10 ms seeker query: plan once.
  if (auto s = peer->Exec("SET plan_cache_mode = force_generic_plan"); !s.ok()) return s;
  return peer;
}

PostgresPeer::~PostgresPeer() { PQfinish(conn_); }

absl::Status PostgresPeer::Exec(const std::string& sql) {
  PGresult* r = PQexec(conn_, sql.c_str());
  const ExecStatusType st = PQresultStatus(r);
  absl::Status s = absl::OkStatus();
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    s = absl::InternalError(absl::StrCat("postgres: ", PQerrorMessage(conn_)));
  }
  PQclear(r);
  return s;
}

absl::Status PostgresPeer::Copy(const std::string& table, const std::string& rows) {
  PGresult* r = PQexec(conn_, absl::StrCat("COPY ", table, " FROM STDIN").c_str());
  if (PQresultStatus(r) != PGRES_COPY_IN) {
    PQclear(r);
    return absl::InternalError(absl::StrCat("postgres COPY ", table, ": ", PQerrorMessage(conn_)));
  }
  PQclear(r);
  constexpr size_t kChunk = 1 << 20;
  for (size_t at = 0; at < rows.size(); at += kChunk) {
    const size_t n = std::min(kChunk, rows.size() - at);
    if (PQputCopyData(conn_, rows.data() + at, static_cast<int>(n)) != 1) {
      return absl::InternalError(absl::StrCat("postgres COPY data: ", PQerrorMessage(conn_)));
    }
  }
  if (PQputCopyEnd(conn_, nullptr) != 1) {
    return absl::InternalError(absl::StrCat("postgres COPY end: ", PQerrorMessage(conn_)));
  }
  absl::Status s = absl::OkStatus();
  while ((r = PQgetResult(conn_)) != nullptr) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
      s = absl::InternalError(absl::StrCat("postgres COPY ", table, ": ", PQerrorMessage(conn_)));
    }
    PQclear(r);
  }
  return s;
}

absl::Status PostgresPeer::Load(const PeerData& data) {
  if (auto s = Exec(kSchema); !s.ok()) return s;
  std::string rows, goals;
  for (const SeekerRow& r : data.seekers()) {
    absl::StrAppend(&rows, r.sid, "\t", r.id, "\t", Real(r.x), "\t", Real(r.y), "\t", Real(r.lat),
                    "\t", Real(r.lon), "\t", r.landmass, "\t", r.modes, "\t", r.max_minutes, "\t",
                    Real(r.reach), "\t", Array(r.goal_minor), "\t", Array(r.goal_esco_set), "\t");
    absl::StrAppend(&rows, Array(r.skills), "\t", Array(r.parents), "\t",
                    r.education, "\t", Array(r.lang_ok), "\t", r.licences, "\t", r.min_hours, "\t",
                    r.max_hours, "\t", r.max_hours_day, "\t", r.fleksjob_hours, "\t");
    absl::StrAppend(&rows, r.kinds, "\t", r.needs, "\t", r.hard_needs, "\t", r.excluded_hard, "\t",
                    r.excluded_soft, "\t", r.active ? 1 : 0, "\t", r.max_hours_hard ? 1 : 0, "\n");
    for (size_t i = 0; i < r.goal_isco.size(); ++i) {
      absl::StrAppend(&goals, r.sid, "\t", i, "\t", r.goal_isco[i], "\t", r.goal_esco[i], "\n");
    }
  }
  if (auto s = Copy("seekers(s_sid, s_id, s_x, s_y, s_lat, s_lon, s_lm, s_modes, s_max_minutes, "
                    "s_reach, s_goal_minor, s_goal_esco, s_skills, s_parents, s_edu, s_lang_ok, "
                    "s_licences, s_min_h, s_max_h, s_max_h_day, s_flex, s_kinds, s_needs, "
                    "s_hard_needs, s_excl_hard, s_excl_soft, s_active, s_max_h_hard)",
                    rows);
      !s.ok()) {
    return s;
  }
  if (auto s = Copy("seeker_goal", goals); !s.ok()) return s;
  rows.clear();
  for (const VacancyRow& r : data.vacancies()) {
    absl::StrAppend(&rows, r.vid, "\t", r.id, "\t", Real(r.x), "\t", Real(r.y), "\t", Real(r.lat),
                    "\t", Real(r.lon), "\t", r.landmass, "\t", r.remote_full ? 1 : 0, "\t", r.isco,
                    "\t", r.minor, "\t", r.esco, "\t", Array(r.substitutes), "\t");
    absl::StrAppend(&rows, Array(r.essential), "\t", Array(r.optional), "\t", r.essential.size(),
                    "\t", r.optional.size(), "\t", r.hours, "\t", r.flexible_hours ? 1 : 0, "\t",
                    r.kind, "\t", r.required_licences, "\t", Array(r.required_langs), "\t");
    absl::StrAppend(&rows, r.min_education, "\t", r.valid_until_us, "\t", r.open ? 1 : 0, "\t",
                    r.acc_in_place, "\t", r.acc_possible, "\t", r.acc_scheme, "\t", r.acc_unknown,
                    "\t", r.acc_not_possible, "\t", r.demands, "\t", r.demands_essential, "\t");
    absl::StrAppend(&rows, r.dm_in_place, "\t", r.dm_possible, "\t", r.dm_scheme, "\t", r.dm_none,
                    "\n");
  }
  if (auto s = Copy("vacancies(v_vid, v_id, v_x, v_y, v_lat, v_lon, v_lm, v_remote, v_isco, "
                    "v_minor, v_esco, v_subst, v_ess, v_opt, v_n_ess, v_n_opt, v_hours, "
                    "v_flexible, v_kind, v_req_lic, v_req_langs, v_min_edu, v_valid_until, v_open, "
                    "v_acc_in_place, v_acc_possible, v_acc_scheme, v_acc_unknown, "
                    "v_acc_not_possible, v_dm, v_dm_ess, v_dm_in_place, v_dm_possible, "
                    "v_dm_scheme, v_dm_none)",
                    rows);
      !s.ok()) {
    return s;
  }
  rows.clear();
  for (const SubstituteRow& r : data.substitutes()) {
    absl::StrAppend(&rows, r.a, "\t", r.b, "\t", Real(r.similarity), "\n");
  }
  if (auto s = Copy("substitutes", rows); !s.ok()) return s;
  rows.clear();
  for (const RouteRow& r : data.routes()) {
    absl::StrAppend(&rows, r.from, "\t", r.to, "\t", Real(r.enter_x), "\t", Real(r.enter_y), "\t",
                    Real(r.exit_x), "\t", Real(r.exit_y), "\t", Real(r.minutes[1]), "\t",
                    Real(r.minutes[2]), "\t", Real(r.minutes[3]), "\t", Real(r.minutes[4]), "\n");
  }
  if (auto s = Copy("routes", rows); !s.ok()) return s;
  rows.clear();
  const auto& up = data.broader();
  for (size_t i = 0; i < up.size();) {
    size_t j = i;
    std::vector<int32_t> broader;
    while (j < up.size() && up[j].skill == up[i].skill) broader.push_back(up[j++].broader);
    absl::StrAppend(&rows, up[i].skill, "\t", Array(broader), "\n");
    i = j;
  }
  if (auto s = Copy("skill_up", rows); !s.ok()) return s;
  if (auto s = Exec(kIndexes); !s.ok()) return s;
  // On its own: VACUUM cannot run in a transaction block.
  if (auto s = Exec("VACUUM ANALYZE"); !s.ok()) return s;
  // The load's dirty buffers written now, not by the checkpointer while
  // queries are timed.
  return Exec("CHECKPOINT");
}

absl::Status PostgresPeer::Prepare(const PeerData& data) {
  Dialect d;
  d.postgres = true;
  now_ = absl::StrCat(data.now_us());
  const std::string dist = PairDistanceSql();
  const std::string occupation_for_seeker =
      "(v.v_minor = ANY(s.s_goal_minor) OR v.v_subst && s.s_goal_esco)";
  const std::string seeker_candidates = absl::StrCat(
      "SELECT s.*, v.*, ", dist, " AS d FROM seekers s JOIN vacancies v ON ", occupation_for_seeker,
      " WHERE s.s_sid = $1 AND v.v_remote = 0 AND ", kWithinReach, " UNION ALL SELECT s.*, v.*, ", dist,
      " AS d FROM seekers s JOIN vacancies v ON v.v_remote = 1 WHERE s.s_sid = $1 AND ",
      occupation_for_seeker);
  const std::string occupation_for_vacancy =
      "(s.s_goal_minor && ARRAY[v.v_minor] OR s.s_goal_esco && v.v_subst)";
  const std::string vacancy_candidates = absl::StrCat(
      "SELECT s.*, v.*, ", dist, " AS d FROM vacancies v JOIN seekers s ON ", occupation_for_vacancy,
      " WHERE v.v_vid = $1 AND v.v_remote = 0 AND ", kWithinReach,
      " UNION ALL SELECT s.*, v.*, ", dist,
      " AS d FROM vacancies v JOIN seekers s ON v.v_remote = 1 WHERE v.v_vid = $1 AND ",
      occupation_for_vacancy);
  const std::string languages = "v_req_langs <@ s_lang_ok";
  // Scorer's Coverage with intarray: held, then among the broader concepts
  // of the held skills, then sharing a broader concept with one of them.
  auto credit = [&](const char* set) {
    const std::string unheld = absl::StrCat("(", set, " - s_skills)");
    return absl::StrCat("(icount(", set, " & s_skills) + ", d.Lit(data.sql_policy().narrower_skill_credit),
                        " * icount(", unheld, " & s_parents) + ", d.Lit(data.sql_policy().sibling_skill_credit),
                        " * (SELECT count(*) FROM unnest(", unheld, " - s_parents) t JOIN skill_up u ",
                        "ON u.skill = t WHERE u.broader && s_parents))");
  };
  seeker_sql_ = TopKSql(d, data.sql_policy(), true, seeker_candidates, "$2", "$3", languages,
                        credit("v_ess"), credit("v_opt"));
  vacancy_sql_ = TopKSql(d, data.sql_policy(), false, vacancy_candidates, "$2", "$3", languages,
                         credit("v_ess"), credit("v_opt"));
  const Oid types[] = {23, 20, 23};  // int4, int8, int4
  for (auto [name, sql] : {std::make_pair("top_vacancies", &seeker_sql_),
                           std::make_pair("top_seekers", &vacancy_sql_)}) {
    PGresult* r = PQprepare(conn_, name, sql->c_str(), 3, types);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) return absl::InternalError(absl::StrCat("postgres prepare: ", PQerrorMessage(conn_)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<matcher::RankedId>> PostgresPeer::Run(const char* statement, int32_t id,
                                                                 int k) {
  const std::string a = absl::StrCat(id), c = absl::StrCat(k);
  const char* values[] = {a.c_str(), now_.c_str(), c.c_str()};
  PGresult* r = PQexecPrepared(conn_, statement, 3, values, nullptr, nullptr, 0);
  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    PQclear(r);
    return absl::InternalError(absl::StrCat("postgres: ", PQerrorMessage(conn_)));
  }
  std::vector<matcher::RankedId> out;
  for (int i = 0; i < PQntuples(r); ++i) {
    out.push_back({PQgetvalue(r, i, 0), std::strtod(PQgetvalue(r, i, 1), nullptr)});
  }
  PQclear(r);
  return out;
}

absl::StatusOr<std::vector<matcher::RankedId>> PostgresPeer::TopVacancies(int32_t sid, int k) {
  return Run("top_vacancies", sid, k);
}

absl::StatusOr<std::vector<matcher::RankedId>> PostgresPeer::TopSeekers(int32_t vid, int k) {
  return Run("top_seekers", vid, k);
}

absl::StatusOr<std::unique_ptr<SqlPeer>> PostgresPeer::Connect(const PeerData& data) const {
  auto peer = Open(conninfo_);
  if (!peer.ok()) return peer.status();
  if (auto s = (*peer)->Prepare(data); !s.ok()) return s;
  return std::unique_ptr<SqlPeer>(std::move(*peer));
}

std::string PostgresPeer::Explain(int32_t sid, int32_t vid) {
  std::string out;
  for (auto [name, id] : {std::make_pair("top_vacancies", sid), std::make_pair("top_seekers", vid)}) {
    const std::string sql =
        absl::StrCat("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) EXECUTE ", name, "(", id, ", ", now_, ", 20)");
    PGresult* r = PQexec(conn_, sql.c_str());
    for (int i = 0; i < PQntuples(r); ++i) absl::StrAppend(&out, "  ", PQgetvalue(r, i, 0), "\n");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) absl::StrAppend(&out, PQerrorMessage(conn_));
    PQclear(r);
    out += "  --\n";
  }
  return out;
}

double PostgresPeer::ServerCpuSeconds() const {
  std::ifstream f(absl::StrCat("/proc/", PQbackendPID(conn_), "/stat"));
  std::string line;
  std::getline(f, line);
  // Fields after the parenthesised command: state is field 3, utime 14, stime 15.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::atof(field.c_str());
    if (i == 15) stime = std::atof(field.c_str());
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

absl::Status PostgresPeer::Ping() { return Exec("SELECT 1"); }

}  // namespace jobmatch::peers
