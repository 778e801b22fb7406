#include "bench/quality/evaluation.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <random>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/quality/relevance.h"

namespace jobmatch::quality {
namespace {

// --- Adapters to the matcher's scores (one place to change). ---
// The score that ranks seekers against each other in a vacancy's list: the
// needs-blind total.
double EmployerSideScore(const matcher::Score& s) { return s.total; }
// The score of a seeker's own vacancy list, which the nightly run stores.
double SeekerSideScore(const matcher::Score& s) { return s.seeker_view_total; }
// The score a seeker's own list carries for a viewer who may not see the
// seeker's needs (MatchQuery::needs_blind, which the server sets for such a
// viewer and then returns this score: server/match_service.cc Fill). The
// bulk pass's needs-blind lists carry the same (RankedId::score).
double NeedsBlindOwnListScore(const matcher::Score& s) { return s.total; }

// The nightly allocation ranks pairs by one of two scores the run exposes:
// the seeker's stored list's score (seeker_view_total today) or the
// needs-blind total. Evaluate counts allocation violations under both and
// reports the one whose mean over the recommended pairs reproduces the run's
// own allocated.mean_score, so the check follows the runner when it changes.
enum AllocationKey { kStoredListScore = 0, kEmployerSideTotal = 1 };

constexpr double kEps = 1e-12;

enum Check {
  kLive = 0,
  kStored = 1,
  kAllocation = 2,
  kPairwise = 3,
  kOwnLive = 4,  // the needs-blind own list, live query
  kOwnBulk = 5,  // the same list from the bulk pass
};
constexpr int kChecks = 6;
constexpr size_t kBulkSeekers = kLimitCount * kChecks;
constexpr size_t kBulkVacancies = kBulkSeekers + 1;
constexpr size_t kNeedsBlind = kBulkSeekers + 2;
constexpr size_t kPropertyCount = kBulkSeekers + 3;

size_t PropertyIndex(Limit limit, Check check) {
  return static_cast<size_t>(limit) * kChecks + check;
}

Property Named(std::string name, std::string description, std::string group) {
  Property p;
  p.group = std::move(group);
  p.name = std::move(name);
  p.description = std::move(description);
  return p;
}

std::vector<Property> EmptyProperties() {
  std::vector<Property> p(kPropertyCount);
  for (int l = 0; l < kLimitCount; ++l) {
    const Limit limit = static_cast<Limit>(l);
    const std::string name = LimitName(limit);
    p[PropertyIndex(limit, kLive)] = Named(
        name + ": live vacancy lists",
        absl::StrCat("in a vacancy's live list (top ", kLiveVacancyDepth,
                     "), the seeker's twin without the limit ranks above the seeker with a "
                     "higher score, or is listed while the feasible seeker with a lower score "
                     "is not"), LimitSuffix(limit));
    p[PropertyIndex(limit, kStored)] = Named(
        name + ": stored nightly lists",
        "the same in the vacancy lists the nightly run stored", LimitSuffix(limit));
    p[PropertyIndex(limit, kAllocation)] = Named(
        name + ": allocation",
        "the nightly allocation recommends to the twin a vacancy that is also the seeker's "
        "candidate, not the seeker, while the seeker has room for more", LimitSuffix(limit));
    p[PropertyIndex(limit, kPairwise)] = Named(
        name + ": employer-side score",
        "at a vacancy feasible for both, the twin's needs-blind score (which ranks seekers "
        "against each other) is higher than the seeker's", LimitSuffix(limit));
    const std::string own =
        absl::StrCat("the seeker's own list for a viewer who may not see needs (top k by the "
                     "needs-blind total) is not the twin's feasible vacancies ranked by the "
                     "needs-blind total and kept where the seeker is feasible too: the same "
                     "vacancies in the same order with the same scores (the twin's totals; "
                     "within equal scores any order, and a tie cut by the list's end may hold "
                     "other ids)");
    p[PropertyIndex(limit, kOwnLive)] = Named(name + ": needs-blind own list, live",
                                              own + "; the live query with needs_blind set",
                                              LimitSuffix(limit));
    p[PropertyIndex(limit, kOwnBulk)] = Named(
        name + ": needs-blind own list, bulk",
        own + "; BulkTopKResult::NeedsBlindVacancies of the nightly bulk pass", LimitSuffix(limit));
  }
  p[kBulkSeekers] = Named("bulk equals live: seeker lists",
                     "a seeker's stored nightly list differs from the live query's top k "
                     "(ids within a tie may be in any order)", "consistency");
  p[kBulkVacancies] = Named("bulk equals live: vacancy lists", "the same for vacancies", "consistency");
  p[kNeedsBlind] = Named("needs never in the needs-blind total",
                    "removing a seeker's functional needs changes the needs-blind total at a "
                    "vacancy feasible for both", LimitSuffix(Limit::kFunctionalNeeds));
  return p;
}

struct Ranked {
  std::string id;
  double score = 0;
};
using List = std::vector<Ranked>;

List FromLive(const matcher::MatchResult& r, bool seeker_side, size_t limit) {
  List out;
  for (const auto& m : r.matches) {
    if (out.size() == limit) break;
    out.push_back({m.id, seeker_side ? SeekerSideScore(m.score) : EmployerSideScore(m.score)});
  }
  return out;
}

List FromStored(const v1::RematchMatches& m) {
  List out;
  for (const auto& r : m.matches()) out.push_back({r.id(), r.score()});
  return out;
}

// Equal scores in order; within a run of equal scores the same ids, except
// in a run cut off by the list's end. `live` is the reference, `stored` the
// list checked; the names are for the message.
bool SameRanking(const List& live, const List& stored, size_t k, std::string* why,
                 const char* live_name = "live", const char* stored_name = "stored") {
  if (live.size() != stored.size()) {
    *why = absl::StrCat(live.size(), " ", live_name, " vs ", stored.size(), " ", stored_name);
    return false;
  }
  size_t i = 0;
  while (i < live.size()) {
    size_t j = i;
    while (j < live.size() && live[j].score == live[i].score) ++j;
    for (size_t x = i; x < j; ++x) {
      if (stored[x].score != live[i].score) {
        *why = absl::StrFormat("rank %d: %s %.17g (%s) vs %s %.17g (%s)", x + 1, live_name,
                               live[x].score, live[x].id, stored_name, stored[x].score,
                               stored[x].id);
        return false;
      }
    }
    if (j < live.size() || live.size() < k) {
      std::vector<std::string> a, b;
      for (size_t x = i; x < j; ++x) {
        a.push_back(live[x].id);
        b.push_back(stored[x].id);
      }
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      if (a != b) {
        *why = absl::StrCat("ranks ", i + 1, "-", j, ": different ids at equal scores");
        return false;
      }
    }
    i = j;
  }
  return true;
}

// The seeker a twin copies, and the limit it lacks.
bool ParseTwin(const std::string& id, std::string* seeker, Limit* limit) {
  const size_t tilde = id.find('~');
  if (tilde == std::string::npos) return false;
  *seeker = id.substr(0, tilde);
  const std::string suffix = id.substr(tilde + 1);
  for (int l = 0; l < kLimitCount; ++l) {
    if (suffix == LimitSuffix(static_cast<Limit>(l))) {
      *limit = static_cast<Limit>(l);
      return true;
    }
  }
  return false;
}

// Counts gathered by one worker for one record, merged under a lock.
struct Tally {
  // Allocation violations by AllocationKey, per limit, and the sums over
  // recommended pairs that decide which key the run used.
  uint64_t allocation_violations[2][kLimitCount] = {};
  std::string allocation_example[2][kLimitCount];
  double recommended_key_sum[2] = {0, 0};
  uint64_t recommended_pairs = 0;
  std::vector<uint64_t> checked = std::vector<uint64_t>(kPropertyCount, 0);
  std::vector<uint64_t> checked_development = std::vector<uint64_t>(kPropertyCount, 0);
  std::vector<uint64_t> violations = std::vector<uint64_t>(kPropertyCount, 0);
  std::vector<std::string> example = std::vector<std::string>(kPropertyCount);
  // `development`: the case involves a development placement.
  void Check(size_t p, bool violated, const std::function<std::string()>& describe,
             bool development) {
    ++checked[p];
    checked_development[p] += development ? 1 : 0;
    if (!violated) return;
    ++violations[p];
    if (example[p].empty()) example[p] = describe();
  }
};

// A vacancy's list (live or stored): every twin listed above its seeker with
// a higher score, or listed while its feasible seeker with a lower score is not.
void CheckVacancyList(const World& world, const std::string& vacancy_id, const List& list,
                      Check check, Tally* tally) {
  absl::flat_hash_map<std::string, size_t> position;
  for (size_t i = 0; i < list.size(); ++i) position[list[i].id] = i;
  for (size_t p = 0; p < list.size(); ++p) {
    std::string seeker;
    Limit limit;
    if (!ParseTwin(list[p].id, &seeker, &limit)) continue;
    const double twin_score = list[p].score;
    double seeker_score = 0;
    bool violated = false;
    auto q = position.find(seeker);
    if (q != position.end()) {
      seeker_score = list[q->second].score;
      violated = q->second > p && twin_score > seeker_score + kEps;
    } else {
      auto explained = world.index->Explain(seeker, vacancy_id, world.now);
      if (explained.ok() && explained->feasible()) {
        seeker_score = EmployerSideScore(*explained);
        violated = twin_score > seeker_score + kEps;
      }
    }
    tally->Check(
        PropertyIndex(limit, check), violated,
        [&] {
          return absl::StrFormat("vacancy %s: %s %.4f at rank %d, %s %.4f%s", vacancy_id,
                                 list[p].id, twin_score, p + 1, seeker, seeker_score,
                                 q == position.end() ? " (not listed)"
                                                     : absl::StrCat(" at rank ", q->second + 1));
        },
        world.development_placements.contains(vacancy_id));
  }
}

struct SeekerLists {
  matcher::MatchResult live;
  v1::RematchMatches stored;
  bool ok = false;
};

absl::flat_hash_map<std::string, double> TotalsByVacancy(const matcher::MatchResult& live) {
  absl::flat_hash_map<std::string, double> out;
  for (const auto& m : live.matches) out[m.id] = EmployerSideScore(m.score);
  return out;
}

absl::flat_hash_map<std::string, double> StoredScores(const v1::RematchMatches& stored) {
  absl::flat_hash_map<std::string, double> out;
  for (const auto& m : stored.matches()) out[m.id()] = m.score();
  return out;
}

bool HoldsDevelopment(const World& world, const List& list) {
  for (const auto& r : list) {
    if (world.development_placements.contains(r.id)) return true;
  }
  return false;
}

double Find(const absl::flat_hash_map<std::string, double>& scores, const std::string& id) {
  auto it = scores.find(id);
  return it == scores.end() ? 0 : it->second;
}

SeekerLists ReadSeeker(const World& world, const std::string& id, size_t limit) {
  SeekerLists out;
  matcher::MatchQuery query;
  query.limit = limit;
  query.now = world.now;
  auto live = world.index->TopVacanciesForSeeker(id, query);
  auto stored = world.runner->Matches(world.run.run_id(), id, "");
  if (!live.ok() || !stored.ok()) return out;
  out.live = std::move(*live);
  out.stored = std::move(*stored);
  out.ok = true;
  return out;
}

// The allocation's keys summed over a seeker's recommended pairs.
void AddRecommended(const SeekerLists& lists, Tally* tally) {
  const auto stored = StoredScores(lists.stored);
  const auto totals = TotalsByVacancy(lists.live);
  for (const auto& v : lists.stored.recommended()) {
    tally->recommended_key_sum[kStoredListScore] += Find(stored, v);
    tally->recommended_key_sum[kEmployerSideTotal] += Find(totals, v);
    ++tally->recommended_pairs;
  }
}

void AddQuality(QualityRow* row, const ListMetrics& m, const ListMetrics& random, size_t feasible,
                bool truncated) {
  ++row->seekers;
  row->feasible_sum += static_cast<double>(feasible);
  row->truncated += truncated ? 1 : 0;
  if (!m.has_fit) return;
  ++row->with_fit;
  row->fits_sum += static_cast<double>(m.fits);
  row->recall_sum += m.recall;
  row->ndcg_sum += m.ndcg;
  row->random_recall_sum += random.recall;
  row->random_ndcg_sum += random.ndcg;
}

}  // namespace

uint64_t Evaluation::violations(const std::string& group) const {
  uint64_t n = 0;
  for (const auto& p : properties) n += group.empty() || p.group == group ? p.violations : 0;
  return n;
}

std::vector<std::string> PropertyGroups() {
  std::vector<std::string> groups;
  for (int l = 0; l < kLimitCount; ++l) groups.push_back(LimitSuffix(static_cast<Limit>(l)));
  groups.push_back("consistency");
  return groups;
}

Evaluation Evaluate(const World& world) {
  const absl::Time start = absl::Now();
  Evaluation evaluation;
  evaluation.properties = EmptyProperties();
  std::map<std::string, QualityRow> rows;
  std::map<std::string, OutcomeRow> outcome_rows;
  absl::Mutex mu;
  uint64_t allocation_violations[2][kLimitCount] = {};
  std::string allocation_example[2][kLimitCount];
  double recommended_key_sum[2] = {0, 0};
  uint64_t recommended_pairs = 0;
  std::atomic<uint64_t> own_list_partial{0};
  auto merge = [&](const Tally& t) {
    absl::MutexLock lock(&mu);
    for (int key = 0; key < 2; ++key) {
      recommended_key_sum[key] += t.recommended_key_sum[key];
      for (int l = 0; l < kLimitCount; ++l) {
        allocation_violations[key][l] += t.allocation_violations[key][l];
        if (allocation_example[key][l].empty()) {
          allocation_example[key][l] = t.allocation_example[key][l];
        }
      }
    }
    recommended_pairs += t.recommended_pairs;
    for (size_t p = 0; p < kPropertyCount; ++p) {
      Property& prop = evaluation.properties[p];
      prop.checked += t.checked[p];
      prop.checked_development += t.checked_development[p];
      prop.violations += t.violations[p];
      if (prop.example.empty()) prop.example = t.example[p];
    }
  };
  const size_t k = static_cast<size_t>(world.run.k());
  const int per_seeker = world.run.per_seeker();

  // Vacancies: live lists and stored nightly lists.
  ParallelFor(world.vacancy_ids.size(), world.options.threads, [&](size_t i) {
    const std::string& id = world.vacancy_ids[i];
    Tally tally;
    matcher::MatchQuery query;
    query.limit = std::max(k, kLiveVacancyDepth);
    query.now = world.now;
    auto live = world.index->TopSeekersForVacancy(id, query);
    auto stored = world.runner->Matches(world.run.run_id(), "", id);
    if (live.ok() && stored.ok()) {
      const List live_list = FromLive(*live, false, query.limit);
      const List stored_list = FromStored(*stored);
      const List live_top(live_list.begin(),
                          live_list.begin() + static_cast<std::ptrdiff_t>(
                                                  std::min(k, live_list.size())));
      std::string why;
      tally.Check(
          kBulkVacancies, !SameRanking(live_top, stored_list, k, &why),
          [&] { return absl::StrCat("vacancy ", id, ": ", why); },
          world.development_placements.contains(id));
      CheckVacancyList(world, id, live_list, kLive, &tally);
      CheckVacancyList(world, id, stored_list, kStored, &tally);
    } else {
      tally.Check(
          kBulkVacancies, true,
          [&] {
            return absl::StrCat("vacancy ", id, ": ",
                                (live.ok() ? stored.status() : live.status()).ToString());
          },
          world.development_placements.contains(id));
    }
    merge(tally);
  });

  std::fprintf(stderr, "quality_bench: %zu vacancies checked in %.0f s\n", world.vacancy_ids.size(),
               absl::ToDoubleSeconds(absl::Now() - start));
  // Seekers: their twins, the stored lists and the allocation, and quality.
  ParallelFor(world.seekers.size(), world.options.threads, [&](size_t i) {
    const SeekerEntry& entry = world.seekers[i];
    bool any_twin = false;
    for (bool t : entry.twin) any_twin |= t;
    const size_t limit = entry.truth || any_twin ? kCandidateLimit : k;
    Tally tally;
    auto bulk_equals_live = [&](const std::string& id, const SeekerLists& lists) {
      std::string why;
      const List stored = FromStored(lists.stored);
      const bool same = lists.ok && SameRanking(FromLive(lists.live, true, k), stored, k, &why);
      tally.Check(
          kBulkSeekers, !same,
          [&] { return absl::StrCat("seeker ", id, ": ", lists.ok ? why : "no lists"); },
          HoldsDevelopment(world, stored));
    };
    const SeekerLists self = ReadSeeker(world, entry.id, limit);
    bulk_equals_live(entry.id, self);
    if (!self.ok) {
      merge(tally);
      return;
    }
    absl::flat_hash_map<std::string, double> score_of;  // employer-side, by vacancy
    for (const auto& m : self.live.matches) score_of[m.id] = EmployerSideScore(m.score);
    const absl::flat_hash_set<std::string> recommended(self.stored.recommended().begin(),
                                                       self.stored.recommended().end());
    absl::flat_hash_set<std::string> candidates;
    bool candidates_development = false;
    for (const auto& m : self.stored.matches()) {
      candidates.insert(m.id());
      candidates_development |= world.development_placements.contains(m.id());
    }
    const auto stored_score_of = StoredScores(self.stored);

    // The seeker's own list for a viewer who may not see their needs: the
    // live query as the server makes it for such a viewer, and the bulk
    // pass's; compared below with each twin's list.
    List own_live, own_bulk;
    bool own_live_ok = false, own_bulk_ok = false;
    if (any_twin) {
      matcher::MatchQuery query;
      query.limit = k;
      query.now = world.now;
      query.needs_blind = true;
      if (auto r = world.index->TopVacanciesForSeeker(entry.id, query); r.ok()) {
        for (const auto& m : r->matches) own_live.push_back({m.id, NeedsBlindOwnListScore(m.score)});
        own_live_ok = true;
      }
      if (auto b = world.needs_blind_bulk.find(entry.id); b != world.needs_blind_bulk.end()) {
        for (const auto& r : b->second) own_bulk.push_back({r.id, r.score});
        own_bulk_ok = true;
      }
    }
    // Whether the seeker is feasible at a vacancy: their own list (read
    // kCandidateLimit deep) holds every feasible vacancy unless it is full.
    const bool self_complete = self.live.matches.size() < kCandidateLimit;
    auto seeker_feasible = [&](const std::string& vacancy_id) {
      if (score_of.contains(vacancy_id)) return true;
      if (self_complete) return false;
      auto explained = world.index->Explain(entry.id, vacancy_id, world.now);
      return explained.ok() && explained->feasible();
    };

    for (int l = 0; l < kLimitCount; ++l) {
      if (!entry.twin[l]) continue;
      const Limit lim = static_cast<Limit>(l);
      const std::string twin_id = TwinId(entry.id, lim);
      const SeekerLists twin = ReadSeeker(world, twin_id, kCandidateLimit);
      bulk_equals_live(twin_id, twin);
      if (!twin.ok) continue;
      for (const auto& m : twin.live.matches) {
        auto s = score_of.find(m.id);
        if (s == score_of.end()) continue;
        const double t = EmployerSideScore(m.score);
        const bool development = world.development_placements.contains(m.id);
        tally.Check(
            PropertyIndex(lim, kPairwise), t > s->second + kEps,
            [&] {
              return absl::StrFormat("vacancy %s: %s %.4f, %s %.4f", m.id, twin_id, t, entry.id,
                                     s->second);
            },
            development);
        if (lim == Limit::kFunctionalNeeds) {
          tally.Check(
              kNeedsBlind, std::abs(t - s->second) > kEps,
              [&] {
                return absl::StrFormat("vacancy %s: %s %.17g, %s %.17g", m.id, twin_id, t,
                                       entry.id, s->second);
              },
              development);
        }
      }
      // The needs-blind own list: the twin's feasible vacancies ranked by the
      // needs-blind total, kept where the seeker is feasible too (the
      // workplace meets the need), top k. The twin's list read
      // kCandidateLimit deep holds all of them unless it is full; then the
      // twin's own needs-blind list that deep is the reference, and if fewer
      // than k of it are feasible for the seeker, the lists are compared as
      // deep as it goes.
      std::vector<const matcher::Match*> by_total;
      matcher::MatchResult twin_blind;
      const bool twin_complete = twin.live.matches.size() < kCandidateLimit;
      if (twin_complete) {
        for (const auto& m : twin.live.matches) by_total.push_back(&m);
        std::sort(by_total.begin(), by_total.end(),
                  [](const matcher::Match* a, const matcher::Match* b) {
                    const double ta = NeedsBlindOwnListScore(a->score);
                    const double tb = NeedsBlindOwnListScore(b->score);
                    return ta != tb ? ta > tb : a->id < b->id;
                  });
      } else {
        matcher::MatchQuery query;
        query.limit = kCandidateLimit;
        query.now = world.now;
        query.needs_blind = true;
        if (auto r = world.index->TopVacanciesForSeeker(twin_id, query); r.ok()) {
          twin_blind = std::move(*r);
        }
        for (const auto& m : twin_blind.matches) by_total.push_back(&m);
      }
      List reference;
      for (const matcher::Match* m : by_total) {
        if (reference.size() == k) break;
        if (seeker_feasible(m->id)) reference.push_back({m->id, NeedsBlindOwnListScore(m->score)});
      }
      const bool partial = !twin_complete && reference.size() < k;
      own_list_partial += partial ? 1 : 0;
      auto check_own = [&](Check check, const List& got, bool ok, const char* name) {
        std::string why = "no list";
        bool same = false;
        if (ok && partial) {
          const List prefix(got.begin(), got.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                           got.size(), reference.size())));
          same = got.size() >= reference.size() &&
                 SameRanking(reference, prefix, reference.size(), &why, "twin", name);
        } else if (ok) {
          same = SameRanking(reference, got, k, &why, "twin", name);
        }
        tally.Check(
            PropertyIndex(lim, check), !same,
            [&] { return absl::StrCat("seeker ", entry.id, " vs ", twin_id, ": ", why); },
            HoldsDevelopment(world, reference) || HoldsDevelopment(world, got));
      };
      check_own(kOwnLive, own_live, own_live_ok, "needs-blind live");
      check_own(kOwnBulk, own_bulk, own_bulk_ok, "needs-blind bulk");

      // Vacancies recommended to the twin, not to the seeker, that were the
      // seeker's candidates while the seeker had room: a violation if the
      // allocation's key put the twin strictly ahead (a tie is the
      // allocation's tie-break, not the limit).
      ++tally.checked[PropertyIndex(lim, kAllocation)];
      tally.checked_development[PropertyIndex(lim, kAllocation)] +=
          candidates_development ? 1 : 0;
      bool counted[2] = {false, false};
      if (static_cast<int>(recommended.size()) < per_seeker) {
        const auto twin_totals = TotalsByVacancy(twin.live);
        const auto twin_stored = StoredScores(twin.stored);
        for (const auto& v : twin.stored.recommended()) {
          if (recommended.contains(v) || !candidates.contains(v)) continue;
          const double keys_twin[2] = {Find(twin_stored, v), Find(twin_totals, v)};
          const double keys_self[2] = {Find(stored_score_of, v), Find(score_of, v)};
          for (int key = 0; key < 2; ++key) {
            if (counted[key] || !(keys_twin[key] > keys_self[key] + kEps)) continue;
            counted[key] = true;
            ++tally.allocation_violations[key][l];
            if (tally.allocation_example[key][l].empty()) {
              tally.allocation_example[key][l] = absl::StrFormat(
                  "vacancy %s recommended to %s (%.4f), not to %s (%.4f; %d recommendations)", v,
                  twin_id, keys_twin[key], entry.id, keys_self[key], recommended.size());
            }
          }
        }
      }
      AddRecommended(twin, &tally);
    }
    AddRecommended(self, &tally);
    merge(tally);

    if (!entry.truth || self.live.matches.empty()) return;
    std::vector<int> grades;
    std::vector<bool> visible, hidden;
    for (const auto& m : self.live.matches) {
      auto occ = world.vacancy_occupation.find(m.id);
      const bool known =
          occ != world.vacancy_occupation.end() && occ->second != matcher::kNoOccupation;
      grades.push_back(known ? TruthGrade(*entry.truth, occ->second, *world.data->taxonomy) : 0);
      const bool shown =
          known && TruthGrade(*entry.case_file, occ->second, *world.data->taxonomy) >= kFitGrade;
      visible.push_back(shown);
      hidden.push_back(!shown);
    }
    const ListMetrics metrics = EvaluateList(grades, kListSize);
    const double visible_recall = SubsetRecall(grades, visible, kListSize);
    const double hidden_recall = SubsetRecall(grades, hidden, kListSize);
    // A random order of the same list (the same permutation for all three).
    std::vector<size_t> order(grades.size());
    for (size_t x = 0; x < order.size(); ++x) order[x] = x;
    std::mt19937_64 shuffle(i + 1);
    std::shuffle(order.begin(), order.end(), shuffle);
    std::vector<int> shuffled_grades;
    std::vector<bool> shuffled_hidden;
    for (size_t x : order) {
      shuffled_grades.push_back(grades[x]);
      shuffled_hidden.push_back(hidden[x]);
    }
    const ListMetrics random = EvaluateList(shuffled_grades, kListSize);
    const double random_hidden_recall = SubsetRecall(shuffled_grades, shuffled_hidden, kListSize);
    const bool truncated = self.live.feasible > self.live.matches.size();
    // The second ground truth: placement histories of this seeker's
    // proposals, graded in the matcher's order and in the random order.
    std::vector<std::string> ids;
    absl::flat_hash_map<std::string, size_t> position_of;
    for (const auto& m : self.live.matches) {
      position_of[m.id] = ids.size();
      ids.push_back(m.id);
    }
    std::vector<size_t> suggested;
    for (const auto& v : self.stored.recommended()) {
      if (auto p = position_of.find(v); p != position_of.end()) suggested.push_back(p->second);
    }
    const std::vector<PlacementHistory> histories =
        DrawPlacements(world.options.seed, entry.id, ids, grades, suggested);
    OutcomeFigures outcome[kProposalSources];
    for (int source = 0; source < kProposalSources; ++source) {
      OutcomeFigures& f = outcome[source];
      std::vector<bool> success(ids.size(), false);
      for (const auto& h : histories) {
        if (static_cast<int>(h.source) != source) continue;
        ++f.proposals;
        f.started += h.started ? 1 : 0;
        f.back_to_benefits += h.ended == EndOutcome::kBackToBenefits ? 1 : 0;
        if (h.InWorkAt3Months()) {
          ++f.in_work_3_months;
          success[h.position] = true;
        }
      }
      const OutcomeMetrics m = EvaluateOutcomes(success, kListSize);
      if (m.successes == 0) continue;
      std::vector<bool> shuffled_success;
      for (size_t x : order) shuffled_success.push_back(success[x]);
      const OutcomeMetrics r = EvaluateOutcomes(shuffled_success, kListSize);
      f.seekers = 1;
      f.recall_sum = m.recall;
      f.ndcg_sum = m.ndcg;
      f.random_recall_sum = r.recall;
      f.random_ndcg_sum = r.ndcg;
    }
    absl::MutexLock lock(&mu);
    std::vector<std::string> groups = {
        std::string("all"),
          std::string(entry.has_needs ? "with functional needs" : "without functional needs"),
        absl::StrCat("target group ", entry.target_group)};
    if (self.live.matches.size() > kListSize) {
      groups.push_back(absl::StrCat("with more than ", kListSize, " feasible vacancies"));
    }
    for (const std::string& group : groups) {
      QualityRow& row = rows[group];
      row.group = group;
      AddQuality(&row, metrics, random, self.live.matches.size(), truncated);
      OutcomeRow& outcome_row = outcome_rows[group];
      outcome_row.group = group;
      for (int source = 0; source < kProposalSources; ++source) {
        OutcomeFigures& to = outcome_row.by_source[source];
        const OutcomeFigures& from = outcome[source];
        to.proposals += from.proposals;
        to.started += from.started;
        to.in_work_3_months += from.in_work_3_months;
        to.back_to_benefits += from.back_to_benefits;
        to.seekers += from.seekers;
        to.recall_sum += from.recall_sum;
        to.ndcg_sum += from.ndcg_sum;
        to.random_recall_sum += from.random_recall_sum;
        to.random_ndcg_sum += from.random_ndcg_sum;
      }
      if (visible_recall >= 0) {
        ++row.with_visible;
        row.visible_recall_sum += visible_recall;
      }
      if (hidden_recall >= 0) {
        ++row.with_hidden;
        row.hidden_recall_sum += hidden_recall;
        row.random_hidden_recall_sum += random_hidden_recall;
      }
    }
  });

  // Which key the allocation ranked by: the one whose mean over the
  // recommended pairs is the run's reported mean.
  const double reported = world.run.allocated().mean_score();
  const double n = static_cast<double>(std::max<uint64_t>(1, recommended_pairs));
  const int key = std::abs(recommended_key_sum[kEmployerSideTotal] / n - reported) <
                          std::abs(recommended_key_sum[kStoredListScore] / n - reported)
                      ? kEmployerSideTotal
                      : kStoredListScore;
  for (int l = 0; l < kLimitCount; ++l) {
    Property& p = evaluation.properties[PropertyIndex(static_cast<Limit>(l), kAllocation)];
    p.violations = allocation_violations[key][l];
    p.example = allocation_example[key][l];
    absl::StrAppend(&p.description, " (ranked by ",
                    key == kEmployerSideTotal ? "the needs-blind total"
                                              : "the seeker's stored list's score",
                    ", found from the run's mean score; a tie is not counted)");
  }

  const std::string long_lists = absl::StrCat("with more than ", kListSize, " feasible vacancies");
  for (const std::string& first :
       {std::string("all"), long_lists, std::string("without functional needs"),
        std::string("with functional needs")}) {
    if (auto it = rows.find(first); it != rows.end()) {
      evaluation.quality.push_back(it->second);
      rows.erase(it);
    }
  }
  for (auto& [group, row] : rows) evaluation.quality.push_back(row);
  for (const QualityRow& row : evaluation.quality) {
    evaluation.outcomes.push_back(outcome_rows[row.group]);
  }
  evaluation.own_list_partial = own_list_partial;
  evaluation.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return evaluation;
}

std::string FormatInvariants(const Evaluation& evaluation) {
  std::string out = absl::StrFormat("%-52s %12s %14s %10s\n", "invariant", "checked",
                                    "of which dev.", "violations");
  for (const auto& p : evaluation.properties) {
    absl::StrAppendFormat(&out, "%-52s %12d %14d %10d%s\n", p.name, p.checked,
                          p.checked_development, p.violations, p.violations > 0 ? "  FAIL" : "");
  }
  out += "('of which dev.': cases at a development placement -- virksomhedspraktik, "
         "løntilskud, IGU, voksenlærling -- or with one in the lists compared)\n";
  for (const auto& p : evaluation.properties) {
    if (p.violations == 0) continue;
    absl::StrAppendFormat(&out, "  %s: %s\n    e.g. %s\n", p.name, p.description, p.example);
  }
  return out;
}

std::string FormatQuality(const Evaluation& evaluation) {
  std::string out = absl::StrFormat(
      "%-38s %7s %8s %8s %6s %9s %8s %8s %8s %8s %8s %8s\n", "seekers", "graded", "with fit",
      "feasible", "fits", "recall@20", "nDCG@20", "random r", "random n", "visible", "hidden",
      "random h");
  for (const auto& r : evaluation.quality) {
    const double n = static_cast<double>(std::max<size_t>(1, r.with_fit));
    const double nv = static_cast<double>(std::max<size_t>(1, r.with_visible));
    const double nh = static_cast<double>(std::max<size_t>(1, r.with_hidden));
    absl::StrAppendFormat(
        &out, "%-38s %7d %8d %8.1f %6.1f %9.3f %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f\n", r.group,
        r.seekers, r.with_fit, r.feasible_sum / static_cast<double>(std::max<size_t>(1, r.seekers)),
        r.fits_sum / n, r.recall_sum / n, r.ndcg_sum / n, r.random_recall_sum / n,
        r.random_ndcg_sum / n, r.visible_recall_sum / nv, r.hidden_recall_sum / nh,
        r.random_hidden_recall_sum / nh);
  }
  return out;
}

std::string FormatOutcomes(const Evaluation& evaluation) {
  std::string out = absl::StrFormat("%-38s %-26s %9s %7s %7s %8s %7s %9s %8s %8s %8s\n",
                                    "seekers", "proposed by", "proposals", "started", "in work",
                                    "benefits", "seekers", "recall@20", "nDCG@20", "random r",
                                    "random n");
  for (const auto& r : evaluation.outcomes) {
    for (int source = 0; source < kProposalSources; ++source) {
      const OutcomeFigures& f = r.by_source[source];
      const double n = static_cast<double>(std::max<size_t>(1, f.seekers));
      absl::StrAppendFormat(&out, "%-38s %-26s %9d %7d %7d %8d %7d", source == 0 ? r.group : "",
                            ProposalSourceName(static_cast<ProposalSource>(source)), f.proposals,
                            f.started, f.in_work_3_months, f.back_to_benefits, f.seekers);
      if (f.seekers == 0) {  // no placement: no figure
        absl::StrAppendFormat(&out, " %9s %8s %8s %8s\n", "-", "-", "-", "-");
        continue;
      }
      absl::StrAppendFormat(&out, " %9.3f %8.3f %8.3f %8.3f\n", f.recall_sum / n, f.ndcg_sum / n,
                            f.random_recall_sum / n, f.random_ndcg_sum / n);
    }
  }
  return out;
}

}  // namespace jobmatch::quality
