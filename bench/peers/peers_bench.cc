// jobmatch side by side with what a municipality would build instead:
// PostgreSQL 15 (intarray) and SQLite (R*Tree), holding the
// same generated records and answering the same top-k questions in SQL.
//
//   build/bench/peers/peers_bench --scale=municipality --pg="host=127.0.0.1 port=54329 ..."
//   build/bench/peers/peers_bench --scale=0.005 --queries=20 --rematch=0   (ctest smoke, SQLite)
//
// bench/peers/run.sh starts a throwaway PostgreSQL and runs this. First the
// equality check (top-20 ids and scores of every peer against jobmatch for
// a sample of seekers and vacancies; exit 1 on a difference, before any
// timing), then latency per query type, then the nightly rematch (the
// peers on a sample of the queries, extrapolated). Lines starting RESULT
// are for scripts; docs/benchmarks.md ("Peers") explains the method.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <time.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/peers/peer_data.h"
#include "bench/peers/sqlite_peer.h"
#ifdef JOBMATCH_PEERS_POSTGRES
#include "bench/peers/postgres_peer.h"
#endif

namespace {

using jobmatch::matcher::RankedId;
using jobmatch::peers::PeerData;
using jobmatch::peers::SqlPeer;

struct Flags {
  std::string scale = "0.005";
  std::string pg;  // libpq conninfo; empty: no PostgreSQL
  std::string sqlite = "";  // database file; "none": no SQLite
  int check_seekers = 50, check_vacancies = 20;
  int queries = 200;       // timed queries per type and system
  double rematch = 0.01;   // share of the rematch the peers run; 0 = skip
  int threads = 2;
  bool explain = false;
  // A report of an earlier full run (run.sh's output): no peer is loaded;
  // jobmatch is timed here and set against the peers' figures from there.
  std::string peers_from;
  // Give the SQL a commute weight one higher than jobmatch's: the check
  // must then report differences (the smoke test's proof that it can).
  bool mistune = false;
};

std::string LoadAvg() {
  std::ifstream f("/proc/loadavg");
  std::string a, b, c;
  f >> a >> b >> c;
  return absl::StrCat(a, " ", b, " ", c);
}

struct Stats {
  double median_ms = 0, p99_ms = 0;
  double cpu_ms = 0;  // mean CPU per query: the caller's thread plus the server's
  // Median CPU of one query (jobmatch only: a database server's CPU is read
  // from /proc in clock ticks, too coarse for one query). match_bench's
  // median_cpu_us is the same figure.
  double cpu_median_ms = -1;
};

double CpuSeconds(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

Stats Summarise(std::vector<double> ms) {
  Stats s;
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  s.median_ms = ms[ms.size() / 2];
  s.p99_ms = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
  return s;
}

// Sample i of n of [0, size): a fixed stride, as match_bench picks queries.
int32_t Pick(size_t i, size_t size, size_t salt) {
  return static_cast<int32_t>(((i + salt) * 7919) % size);
}

// `brief`: the results explained without their per-skill lists, as the
// API's brief answer (MatchQuery::skill_lists false).
std::vector<RankedId> Jobmatch(const PeerData& data, bool seeker_side, int32_t row, size_t k,
                               bool brief = false) {
  jobmatch::matcher::MatchQuery query;
  query.limit = k;
  query.now = data.now();
  query.skill_lists = !brief;
  std::vector<RankedId> out;
  if (seeker_side) {
    auto r = data.index().TopVacanciesForSeeker(data.seekers()[row].id, query);
    for (const auto& m : r->matches) out.push_back({m.id, m.score.seeker_view_total});
  } else {
    auto r = data.index().TopSeekersForVacancy(data.vacancies()[row].id, query);
    for (const auto& m : r->matches) out.push_back({m.id, m.score.total});
  }
  return out;
}

// jobmatch's latency on `queries` ids of one side (the ids every system is
// timed on), and what explaining its results again one by one costs.
struct Timed {
  std::vector<int32_t> rows;
  Stats stats;
  double explain_median_ms = 0;
  std::string loadavg;
};

absl::StatusOr<Timed> TimeJobmatch(const PeerData& data, bool seeker_side, int queries,
                                   bool brief = false) {
  Timed t;
  const size_t n = seeker_side ? data.seekers().size() : data.vacancies().size();
  for (int i = 0; i < queries; ++i) t.rows.push_back(Pick(i, n, 2));
  // Warmed as the peers are by the agreement check: 50 other ids first.
  for (int i = 0; i < 50; ++i) {
    (void)Jobmatch(data, seeker_side, Pick(100000 + i, n, 0), 20, brief);
  }
  std::vector<double> ms, cpu_ms;
  std::vector<std::vector<RankedId>> lists;
  const double cpu0 = CpuSeconds(CLOCK_THREAD_CPUTIME_ID);
  for (int32_t row : t.rows) {
    const absl::Time t0 = absl::Now();
    const double c0 = CpuSeconds(CLOCK_THREAD_CPUTIME_ID);
    auto r = Jobmatch(data, seeker_side, row, 20, brief);
    cpu_ms.push_back((CpuSeconds(CLOCK_THREAD_CPUTIME_ID) - c0) * 1e3);
    ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
    lists.push_back(std::move(r));
  }
  t.stats = Summarise(ms);
  t.stats.cpu_ms =
      (CpuSeconds(CLOCK_THREAD_CPUTIME_ID) - cpu0) * 1e3 / static_cast<double>(t.rows.size());
  t.stats.cpu_median_ms = Summarise(cpu_ms).median_ms;
  t.loadavg = LoadAvg();
  if (brief) return t;
  // The peers return ids and scores; jobmatch's query also explains its
  // results (Scorer::Detail::kExplain, reusing the scan's trip). What that
  // costs at most: the same results explained again one by one through
  // MatchIndex::Explain (a lookup, the commute and the explained score per
  // pair), untimed above.
  std::vector<double> explain_ms;
  for (size_t q = 0; q < t.rows.size(); ++q) {
    const absl::Time t0 = absl::Now();
    for (const RankedId& m : lists[q]) {
      const std::string& own =
          seeker_side ? data.seekers()[t.rows[q]].id : data.vacancies()[t.rows[q]].id;
      auto e = seeker_side ? data.index().Explain(own, m.id, data.now())
                           : data.index().Explain(m.id, own, data.now());
      if (!e.ok()) return e.status();
    }
    explain_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
  }
  t.explain_median_ms = Summarise(explain_ms).median_ms;
  return t;
}

struct Agreement {
  size_t results = 0;  // jobmatch's, summed over the queries
  int exact = 0;      // same ids in the same order, scores within 1e-6
  int tie_order = 0;  // same scores; ids differ only among equal scores
  int different = 0;
  double max_score_diff = 0;
};

void Compare(const std::string& what, const std::vector<RankedId>& want,
             const std::vector<RankedId>& got, Agreement* a) {
  a->results += want.size();
  bool same_scores = want.size() == got.size();
  for (size_t i = 0; same_scores && i < want.size(); ++i) {
    const double diff = std::fabs(want[i].score - got[i].score);
    a->max_score_diff = std::max(a->max_score_diff, diff);
    same_scores = diff <= 1e-6;
  }
  bool same_ids = same_scores;
  for (size_t i = 0; same_ids && i < want.size(); ++i) same_ids = want[i].id == got[i].id;
  if (same_ids) {
    ++a->exact;
    return;
  }
  // Equal scores may come in another order, and a tie at the cut-off may
  // keep another member of the tie: allowed if every differing id's score
  // is shared with a neighbour in jobmatch's list or equals the last score.
  bool ties_only = same_scores;
  for (size_t i = 0; ties_only && i < want.size(); ++i) {
    if (want[i].id == got[i].id) continue;
    const bool tie_prev = i > 0 && std::fabs(want[i].score - want[i - 1].score) <= 1e-9;
    const bool tie_next = i + 1 < want.size() && std::fabs(want[i].score - want[i + 1].score) <= 1e-9;
    ties_only = tie_prev || tie_next;
  }
  if (ties_only) {
    ++a->tie_order;
    return;
  }
  ++a->different;
  std::fprintf(stderr, "DIFFERENT %s: jobmatch %zu results, peer %zu\n", what.c_str(), want.size(),
               got.size());
  for (size_t i = 0; i < std::max(want.size(), got.size()); ++i) {
    std::fprintf(stderr, "  %2zu  %-10s %.9f   %-10s %.9f\n", i + 1,
                 i < want.size() ? want[i].id.c_str() : "-", i < want.size() ? want[i].score : 0.0,
                 i < got.size() ? got[i].id.c_str() : "-", i < got.size() ? got[i].score : 0.0);
  }
}

// Equality check of one peer; false on an unexplained difference.
bool Check(const PeerData& data, SqlPeer* peer, const Flags& flags) {
  Agreement seekers, vacancies;
  for (int i = 0; i < flags.check_seekers; ++i) {
    const int32_t sid = Pick(i, data.seekers().size(), 0);
    auto got = peer->TopVacancies(sid, 20);
    if (!got.ok()) {
      std::fprintf(stderr, "%s: %s\n", peer->name().c_str(), got.status().ToString().c_str());
      return false;
    }
    Compare(absl::StrCat(peer->name(), " seeker ", data.seekers()[sid].id),
            Jobmatch(data, true, sid, 20), *got, &seekers);
  }
  for (int i = 0; i < flags.check_vacancies; ++i) {
    const int32_t vid = Pick(i, data.vacancies().size(), 0);
    auto got = peer->TopSeekers(vid, 20);
    if (!got.ok()) {
      std::fprintf(stderr, "%s: %s\n", peer->name().c_str(), got.status().ToString().c_str());
      return false;
    }
    Compare(absl::StrCat(peer->name(), " vacancy ", data.vacancies()[vid].id),
            Jobmatch(data, false, vid, 20), *got, &vacancies);
  }
  for (const auto& [what, a] : {std::make_pair("seekers", seekers), std::make_pair("vacancies", vacancies)}) {
    std::printf(
        "check %s vs jobmatch, top-20 for %d %s (%.1f results each): %d identical, %d equal up "
        "to the order of tied scores, %d different; largest score difference %.2g\n",
        peer->name().c_str(), a.exact + a.tie_order + a.different, what,
        static_cast<double>(a.results) / std::max(1, a.exact + a.tie_order + a.different), a.exact,
        a.tie_order, a.different, a.max_score_diff);
  }
  return seekers.different == 0 && vacancies.different == 0;
}

void Report(const std::string& scale, const std::string& system, const std::string& query,
            const Stats& s, const Stats& base, const std::string& load,
            const std::string& extra = "") {
  const std::string cpu_median =
      s.cpu_median_ms >= 0 ? absl::StrFormat(" cpu_median_ms=%.4f", s.cpu_median_ms) : "";
  std::printf("RESULT scale=%s system=%s query=%s median_ms=%.4f p99_ms=%.4f cpu_ms=%.4f%s "
              "ratio_median=%.1f ratio_p99=%.1f ratio_cpu=%.1f loadavg=\"%s\"%s\n",
              scale.c_str(), system.c_str(), query.c_str(), s.median_ms, s.p99_ms, s.cpu_ms,
              cpu_median.c_str(), s.median_ms / base.median_ms, s.p99_ms / base.p99_ms,
              s.cpu_ms / base.cpu_ms, load.c_str(), extra.c_str());
}

// A RESULT line of an earlier report: its key=value fields (loadavg="..."
// kept whole, without the quotes).
std::map<std::string, std::string> ParseResult(const std::string& line) {
  std::map<std::string, std::string> f;
  size_t at = line.find(' ');
  while (at != std::string::npos && at < line.size()) {
    while (at < line.size() && line[at] == ' ') ++at;
    const size_t eq = line.find('=', at);
    if (eq == std::string::npos) break;
    const std::string key = line.substr(at, eq - at);
    size_t end;
    if (eq + 1 < line.size() && line[eq + 1] == '"') {
      end = line.find('"', eq + 2);
      if (end == std::string::npos) end = line.size();
      f[key] = line.substr(eq + 2, end - eq - 2);
      ++end;
    } else {
      end = line.find(' ', eq);
      if (end == std::string::npos) end = line.size();
      f[key] = line.substr(eq + 1, end - eq - 1);
    }
    at = end;
  }
  return f;
}

// The peers' RESULT lines for `scale` and `query` from an earlier report.
std::vector<std::map<std::string, std::string>> PeersFrom(const std::string& path,
                                                          const std::string& scale,
                                                          const std::string& query) {
  std::vector<std::map<std::string, std::string>> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("RESULT ", 0) != 0) continue;
    auto f = ParseResult(line);
    if (f["scale"] == scale && f["query"] == query && f["system"] != "jobmatch" &&
        f["system"] != "jobmatch_brief") {
      out.push_back(std::move(f));
    }
  }
  return out;
}

// Wall time of `n` top-k queries per side over `threads` connections;
// *cpu_seconds: what they cost in CPU, ours and the server's.
double PeerRematch(const PeerData& data, const SqlPeer& peer, size_t n_seekers, size_t n_vacancies,
                   int k, int threads, bool* ok, double* cpu_seconds) {
  std::vector<std::unique_ptr<SqlPeer>> conns;
  for (int t = 0; t < threads; ++t) {
    auto c = peer.Connect(data);
    if (!c.ok()) {
      std::fprintf(stderr, "%s\n", c.status().ToString().c_str());
      *ok = false;
      return 0;
    }
    conns.push_back(std::move(*c));
  }
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  const size_t total = n_seekers + n_vacancies;
  double server0 = 0;
  for (const auto& c : conns) server0 += c->ServerCpuSeconds();
  const double process0 = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
  const absl::Time start = absl::Now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (size_t i; (i = next++) < total;) {
        auto r = i < n_seekers
                     ? conns[t]->TopVacancies(Pick(i, data.seekers().size(), 1), k)
                     : conns[t]->TopSeekers(Pick(i - n_seekers, data.vacancies().size(), 1), k);
        if (!r.ok()) failed = true;
      }
    });
  }
  for (auto& th : pool) th.join();
  const double wall = absl::ToDoubleSeconds(absl::Now() - start);
  double server1 = 0;
  for (const auto& c : conns) server1 += c->ServerCpuSeconds();
  *cpu_seconds = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - process0 + server1 - server0;
  *ok = !failed;
  return wall;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress through run.sh's tee
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const size_t eq = a.find('=');
    const std::string name = a.substr(0, eq), value = eq == std::string::npos ? "" : a.substr(eq + 1);
    if (name == "--scale") flags.scale = value;
    else if (name == "--pg") flags.pg = value;
    else if (name == "--sqlite") flags.sqlite = value;
    else if (name == "--check_seekers") flags.check_seekers = std::atoi(value.c_str());
    else if (name == "--check_vacancies") flags.check_vacancies = std::atoi(value.c_str());
    else if (name == "--queries") flags.queries = std::atoi(value.c_str());
    else if (name == "--rematch") flags.rematch = std::atof(value.c_str());
    else if (name == "--threads") flags.threads = std::atoi(value.c_str());
    else if (name == "--explain") flags.explain = true;
    else if (name == "--peers_from") flags.peers_from = value;
    else if (name == "--mistune_sql_for_test") flags.mistune = true;
    else {
      std::fprintf(stderr,
                   "usage: peers_bench [--scale=S] [--pg=CONNINFO] [--sqlite=FILE|none] "
                   "[--check_seekers=50] [--check_vacancies=20] [--queries=200] [--rematch=0.01] "
                   "[--threads=2] [--explain] [--peers_from=REPORT]\n");
      return 64;
    }
  }
  auto created = PeerData::Create(flags.scale);
  if (!created.ok()) {
    std::fprintf(stderr, "peers_bench: %s\n", created.status().ToString().c_str());
    return 1;
  }
  if (flags.mistune) {
    jobmatch::matcher::Policy p = (*created)->policy();
    p.weight_commute += 1;
    (*created)->set_sql_policy(p);
  }
  const PeerData& data = **created;
  const auto& policy = data.policy();
  if (policy.occupation_breadth != 3 || !policy.admit_substitutes) {
    std::fprintf(stderr, "peers_bench: the SQL is written for the default occupation policy\n");
    return 1;
  }
  size_t skill_rows[2] = {0, 0};
  for (const auto& s : data.seekers()) {
    skill_rows[0] += s.skills.size();
    skill_rows[1] += s.parents.size();
  }
  const double ns = static_cast<double>(data.seekers().size());
  std::printf("data: scale %s, %zu seekers, %zu vacancies, %zu crossing routes; per seeker %.1f "
              "held skills, %.1f broader concepts of them; jobmatch index built in %.2f s; load %s\n",
              flags.scale.c_str(), data.seekers().size(), data.vacancies().size(),
              data.routes().size(), skill_rows[0] / ns, skill_rows[1] / ns, data.index_build_seconds(),
              LoadAvg().c_str());

  // jobmatch timed first, on its index as built: the peers' loads below run
  // in this process too (SQLite's pages, the rows sent to PostgreSQL) and
  // leave it in a state a jobmatch server never is in. Reported after the
  // agreement check, with the figures of a second timing after the loads.
  // Then the same ids again with brief answers (the API's cheapest answer:
  // ids, scores, parts and texts, no per-skill lists; closer to the peers'
  // ids and scores), after the full ones.
  Timed timed[2], timed_brief[2];
  for (bool brief : {false, true}) {
    for (bool seeker_side : {true, false}) {
      auto t = TimeJobmatch(data, seeker_side, flags.queries, brief);
      if (!t.ok()) {
        std::fprintf(stderr, "peers_bench: %s\n", t.status().ToString().c_str());
        return 1;
      }
      (brief ? timed_brief : timed)[seeker_side ? 0 : 1] = *std::move(t);
    }
  }

  // A database file of our own making goes when main returns.
  struct RemoveAtExit {
    std::string path;
    ~RemoveAtExit() {
      if (!path.empty()) std::remove(path.c_str());
    }
  } temporary;
  std::vector<std::unique_ptr<SqlPeer>> peers;
  if (!flags.peers_from.empty()) {
    if (!std::ifstream(flags.peers_from)) {
      std::fprintf(stderr, "peers_bench: --peers_from: cannot read %s\n", flags.peers_from.c_str());
      return 1;
    }
    if (PeersFrom(flags.peers_from, flags.scale, "vacancies_for_seeker").empty()) {
      std::fprintf(stderr, "peers_bench: --peers_from: %s has no peer's RESULT at scale %s\n",
                   flags.peers_from.c_str(), flags.scale.c_str());
      return 1;
    }
    flags.sqlite = "none";
    flags.pg.clear();
    std::printf("peers: not loaded; their figures from %s (checked and timed there)\n",
                flags.peers_from.c_str());
  }
  if (flags.sqlite != "none") {
    std::string path = flags.sqlite;
    if (path.empty()) {
      const char* tmp = std::getenv("TMPDIR");
      path = absl::StrCat(tmp ? tmp : "/tmp", "/jobmatch-peers-", getpid(), ".sqlite");
      temporary.path = path;
    }
    std::remove(path.c_str());
    auto peer = jobmatch::peers::SqlitePeer::Open(path);
    if (!peer.ok()) {
      std::fprintf(stderr, "peers_bench: %s\n", peer.status().ToString().c_str());
      return 1;
    }
    peers.push_back(std::move(*peer));
  }
  if (!flags.pg.empty()) {
#ifdef JOBMATCH_PEERS_POSTGRES
    auto peer = jobmatch::peers::PostgresPeer::Open(flags.pg);
    if (!peer.ok()) {
      std::fprintf(stderr, "peers_bench: %s\n", peer.status().ToString().c_str());
      return 1;
    }
    peers.push_back(std::move(*peer));
#else
    std::fprintf(stderr, "peers_bench: built without libpq (install libpq-dev and rebuild)\n");
    return 1;
#endif
  }
  for (auto& peer : peers) {
    const absl::Time t0 = absl::Now();
    if (auto s = peer->Load(data); !s.ok()) {
      std::fprintf(stderr, "peers_bench: %s load: %s\n", peer->name().c_str(), s.ToString().c_str());
      return 1;
    }
    std::printf("load %s: %.1f s (rows and indexes)\n", peer->name().c_str(),
                absl::ToDoubleSeconds(absl::Now() - t0));
    if (auto s = peer->Prepare(data); !s.ok()) {
      std::fprintf(stderr, "peers_bench: %s prepare: %s\n", peer->name().c_str(),
                   s.ToString().c_str());
      return 1;
    }
    if (flags.explain) {
      const int32_t sid = Pick(0, data.seekers().size(), 0), vid = Pick(0, data.vacancies().size(), 0);
      std::printf("plan %s:\n%s", peer->name().c_str(), peer->Explain(sid, vid).c_str());
      auto other = peer->Connect(data);
      if (other.ok()) {
        std::printf("plan %s, another connection:\n%s", peer->name().c_str(),
                    (*other)->Explain(sid, vid).c_str());
      }
    }
  }

  if (!peers.empty()) {
    // The loads' files flushed to disk now: the kernel's write-back of
    // several GB would otherwise share the two cores with whatever is timed
    // first (jobmatch, then each peer).
    const absl::Time t0 = absl::Now();
    ::sync();
    std::printf("sync after the loads: %.1f s; load %s\n",
                absl::ToDoubleSeconds(absl::Now() - t0), LoadAvg().c_str());
  }

  // 1. The same answers, before any timing.
  bool agree = true;
  for (auto& peer : peers) {
    auto fresh = peer->Connect(data);
    if (!fresh.ok()) {
      std::fprintf(stderr, "peers_bench: %s\n", fresh.status().ToString().c_str());
      return 1;
    }
    agree &= Check(data, fresh->get(), flags);
  }
  if (!agree) {
    std::printf("peers_bench: a peer disagrees with jobmatch; no timings\n");
    return 1;
  }

  // 2. Latency per query type, the same ids for every system; jobmatch's
  // as timed before the peers were loaded (above), and again now.
  for (bool seeker_side : {true, false}) {
    const char* query = seeker_side ? "vacancies_for_seeker" : "seekers_for_vacancy";
    const std::vector<int32_t>& rows = timed[seeker_side ? 0 : 1].rows;
    const Stats& base = timed[seeker_side ? 0 : 1].stats;
    Report(flags.scale, "jobmatch", query, base, base, timed[seeker_side ? 0 : 1].loadavg,
           absl::StrFormat(" explain_results_median_ms=%.4f",
                           timed[seeker_side ? 0 : 1].explain_median_ms));
    // Its ratios are brief ÷ full; each peer's line gives peer ÷ brief too.
    const Stats& brief = timed_brief[seeker_side ? 0 : 1].stats;
    Report(flags.scale, "jobmatch_brief", query, brief, base,
           timed_brief[seeker_side ? 0 : 1].loadavg);
    auto against_brief = [&](const Stats& s) {
      return absl::StrFormat(" ratio_median_brief=%.1f ratio_cpu_brief=%.1f",
                             s.median_ms / brief.median_ms, s.cpu_ms / brief.cpu_ms);
    };
    if (!peers.empty()) {
      auto again = TimeJobmatch(data, seeker_side, flags.queries);
      if (!again.ok()) {
        std::fprintf(stderr, "peers_bench: %s\n", again.status().ToString().c_str());
        return 1;
      }
      std::printf("jobmatch %s timed again after the peers' loads (the same process): median "
                  "%.4f ms, p99 %.4f ms, cpu %.4f ms; load %s\n",
                  query, again->stats.median_ms, again->stats.p99_ms, again->stats.cpu_ms,
                  LoadAvg().c_str());
    }
    std::vector<double> ms;
    double cpu0 = 0;
    for (auto& f : flags.peers_from.empty()
                       ? std::vector<std::map<std::string, std::string>>()
                       : PeersFrom(flags.peers_from, flags.scale, query)) {
      Stats earlier;
      earlier.median_ms = std::atof(f["median_ms"].c_str());
      earlier.p99_ms = std::atof(f["p99_ms"].c_str());
      earlier.cpu_ms = std::atof(f["cpu_ms"].c_str());
      Report(flags.scale, f["system"], query, earlier, base, LoadAvg(),
             absl::StrCat(" measured_at_loadavg=\"", f["loadavg"], "\" from=\"", flags.peers_from,
                          "\"", against_brief(earlier)));
    }
    for (auto& loaded : peers) {
      // A fresh connection, as the rematch and an application use: it
      // plans with the statistics as stored, not with the loader's state.
      auto peer = loaded->Connect(data);
      if (!peer.ok()) {
        std::fprintf(stderr, "peers_bench: %s\n", peer.status().ToString().c_str());
        return 1;
      }
      ms.clear();
      for (int i = 0; seeker_side && i < 200; ++i) {
        const absl::Time t0 = absl::Now();
        (void)(*peer)->Ping();
        ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
      }
      if (seeker_side) std::printf("%s: SELECT 1 takes %.3f ms (median of 200): the fixed cost in each query\n",
                  loaded->name().c_str(), Summarise(ms).median_ms);
      ms.clear();
      cpu0 = CpuSeconds(CLOCK_THREAD_CPUTIME_ID) + (*peer)->ServerCpuSeconds();
      for (int32_t row : rows) {
        const absl::Time t0 = absl::Now();
        auto r = seeker_side ? (*peer)->TopVacancies(row, 20) : (*peer)->TopSeekers(row, 20);
        ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
        if (!r.ok()) {
          std::fprintf(stderr, "peers_bench: %s\n", r.status().ToString().c_str());
          return 1;
        }
      }
      Stats stats = Summarise(ms);
      stats.cpu_ms = (CpuSeconds(CLOCK_THREAD_CPUTIME_ID) + (*peer)->ServerCpuSeconds() - cpu0) *
                     1e3 / static_cast<double>(rows.size());
      Report(flags.scale, loaded->name(), query, stats, base, LoadAvg(), against_brief(stats));
    }
  }

  // 3. The nightly rematch: top-50 both ways for everyone.
  if (flags.rematch > 0) {
    jobmatch::matcher::BulkTopKOptions options;
    options.k = 50;
    options.threads = flags.threads;
    options.now = data.now();
    const double process0 = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
    auto bulk = data.index().BulkTopK(options);
    const double jm_cpu = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - process0;
    const double jm = absl::ToDoubleSeconds(bulk->took);
    std::printf("RESULT scale=%s system=jobmatch query=rematch_top50 wall_s=%.2f cpu_s=%.2f "
                "threads=%d loadavg=\"%s\"\n",
                flags.scale.c_str(), jm, jm_cpu, flags.threads, LoadAvg().c_str());
    for (auto& peer : peers) {
      const size_t n_s = std::max<size_t>(1, static_cast<size_t>(flags.rematch * data.seekers().size()));
      const size_t n_v =
          std::max<size_t>(1, static_cast<size_t>(flags.rematch * data.vacancies().size()));
      bool ok = true;
      double cpu = 0;
      const double wall = PeerRematch(data, *peer, n_s, n_v, 50, flags.threads, &ok, &cpu);
      if (!ok) return 1;
      // Seekers and vacancies sampled at the same share: scale the times.
      const double scale_up = static_cast<double>(data.seekers().size()) / static_cast<double>(n_s);
      const double extrapolated = wall * scale_up, extrapolated_cpu = cpu * scale_up;
      std::printf("RESULT scale=%s system=%s query=rematch_top50 sample_seekers=%zu "
                  "sample_vacancies=%zu sample_wall_s=%.2f extrapolated_wall_s=%.0f "
                  "extrapolated_cpu_s=%.0f ratio_wall=%.0f ratio_cpu=%.0f threads=%d "
                  "loadavg=\"%s\"\n",
                  flags.scale.c_str(), peer->name().c_str(), n_s, n_v, wall, extrapolated,
                  extrapolated_cpu, extrapolated / jm, extrapolated_cpu / jm_cpu, flags.threads,
                  LoadAvg().c_str());
    }
  }
  return 0;
}
