// MatchIndex: the in-memory index of seekers and vacancies, answering "best
// vacancies for this seeker" and "best seekers for this vacancy" with
// explanations. Every score comes from Scorer::Evaluate.
//
// Candidate generation leads with occupation postings (ISCO minor group and
// substitute occupations; geography prunes little in Denmark), within them a
// flat grid (geo_grid.h) keeps only the cells within a seeker's reach, and
// for a vacancy the buckets of seekers some of whom can reach it
// (seeker_postings.h: largest reach per bucket, the seekers' keys, terms and
// skills in the bucket; a development placement's placement rows decided
// once per target group); then
// the candidate scan of matcher/candidate_scan.h that the nightly pass
// shares: the hard constraints the two sides' keys decide, the reach bound
// (CommuteModel::ReachMetres), each candidate's score bound from its skills
// (Scorer::UpperBound), and -- best bound first, until no bound left can
// enter the list -- the commute rule and exact scoring into a bounded top-k.
// The result equals scoring every pair: the postings cover every pair the
// occupation constraint admits, the reach bound never drops a pair within
// the commute limit and the score bound is never below a pair's score
// (tested against brute force).
//
// Thread safety: queries run concurrently under a reader lock; upserts and
// removals take the writer lock. Incremental: no rebuild on change.
#ifndef JOBMATCH_MATCHER_MATCH_INDEX_H_
#define JOBMATCH_MATCHER_MATCH_INDEX_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "matcher/candidate_scan.h"
#include "matcher/geo_grid.h"
#include "matcher/policy.h"
#include "matcher/profiles.h"
#include "matcher/scorer.h"
#include "matcher/seeker_postings.h"
#include "matcher/tie_order.h"

namespace jobmatch::matcher {

struct MatchFilters {
  uint8_t vacancy_kinds = 0;       // bitmask of VacancyKind; 0 = all
  std::vector<int> municipalities;  // of the vacancy (seeker query) or seeker's home; empty = all
  double min_score = 0;
};

struct MatchQuery {
  size_t limit = 20;   // at most 1000
  size_t offset = 0;   // paging: skip this many ranked results
  MatchFilters filters;
  absl::Time now;                                  // for expiry; REQUIRED
  absl::Time deadline = absl::InfiniteFuture();    // DeadlineExceeded past it
  // Checked with the deadline while scoring (every few hundred candidates);
  // once it returns true the query stops with Cancelled. Optional.
  std::function<bool()> cancelled;
  // A consultant's deliberate broadening (2 = same ISCO sub-major group) or
  // narrowing (4 = same unit group) of this one search; 0 = the policy's
  // occupation_breadth. The scores then come from the policy with this
  // breadth, and Explain/WhyNot for the query use the same.
  int occupation_breadth = 0;
  // Equal scores are listed in this seed's order (matcher/tie_order.h);
  // 0 = by id. The server gives live queries DaySeed(now).
  uint64_t tie_seed = 0;
  // A seeker's own list (and a seeker-side WhyNot) ranked by the needs-blind
  // total instead of seeker_view_total: for a viewer who may not see the
  // seeker's functional needs, nothing it is shown is computed from them
  // (docs/security.md §3). Feasibility still uses the needs.
  bool needs_blind = false;
  // Explain the results with their per-skill lists (matched, missing, to
  // develop: Scorer::Detail::kExplain); false: without them (kParts, for a
  // brief answer). The scores, parts and texts are the same either way.
  bool skill_lists = true;
};

struct Match {
  std::string id;  // the vacancy's (seeker query) or the seeker's (vacancy query)
  size_t rank = 0;  // 1-based
  Score score;      // explained
  // The pair's vacancy's openings as the index holds them (the same for every
  // match of a vacancy query): a caller marking openings left needs no
  // second lookup per match.
  int openings = 0;
};

struct MatchResult {
  std::vector<Match> matches;
  size_t candidates = 0;  // from the postings (grid cells within reach)
  // Passed the candidate scan (matcher/candidate_scan.h: the hard
  // constraints the seeker's and vacancy's keys decide, the reach, the
  // query's filters, the score bound, the commute limit) and evaluated.
  size_t scored = 0;
  size_t feasible = 0;    // evaluated and feasible
  // Passed the key rules, the reach and the filters, but could not reach the
  // top-k: skipped on the score bound before the commute, or feasible and
  // stopped inside Evaluate before the skill comparison.
  size_t pruned = 0;
};

struct WhyNotResult {
  enum class Kind { kInList, kInfeasible, kFilteredOut, kBelowCutoff };
  Kind kind = Kind::kInfeasible;
  Score score;       // explained
  size_t rank = 0;   // kInList: its rank; kBelowCutoff: the rank it would have
  double cutoff = 0; // kBelowCutoff: score of the last result in the list
  std::string explanation;
};

// One ranked entry of a bulk result.
struct RankedId {
  std::string id;
  double score = 0;
};

struct BulkTopKOptions {
  size_t k = 50;
  int threads = 2;
  absl::Time now;  // REQUIRED
  // Called from worker threads now and then with (seekers done, total).
  std::function<void(size_t, size_t)> progress;
  // Checked between seekers; the pass stops with Cancelled when it becomes true.
  const std::atomic<bool>* cancel = nullptr;
  // Ties in both directions' lists, as MatchQuery::tie_seed (the lists equal
  // live queries made with the same seed).
  uint64_t tie_seed = 0;
};

struct BulkTopKResult {
  // By seeker id: the top-k vacancies ranked as TopVacanciesForSeeker ranks
  // them; by vacancy id: the top-k seekers as TopSeekersForVacancy does.
  std::vector<std::pair<std::string, std::vector<RankedId>>> vacancies_for_seeker;
  std::vector<std::pair<std::string, std::vector<RankedId>>> seekers_for_vacancy;
  // The seekers' top-k vacancies ranked by the needs-blind total (with that
  // total as score), for ranking seekers against each other (allocation,
  // fairness audit). Kept only for seekers whose own view can differ
  // (Scorer::HasOwnView), by position in vacancies_for_seeker; for every
  // other seeker it equals their list. Read through NeedsBlindVacancies.
  absl::flat_hash_map<size_t, std::vector<RankedId>> needs_blind_vacancies_for_seeker;
  const std::vector<RankedId>& NeedsBlindVacancies(size_t i) const {
    auto it = needs_blind_vacancies_for_seeker.find(i);
    return it != needs_blind_vacancies_for_seeker.end() ? it->second
                                                        : vacancies_for_seeker[i].second;
  }
  uint64_t candidate_pairs = 0;  // from the occupation postings, of active seekers
  // Passed the candidate scan (matcher/candidate_scan.h: the hard
  // constraints the seeker's and vacancy's keys decide, the reach, the
  // score bound, the commute limit): evaluated.
  uint64_t scored_pairs = 0;
  uint64_t feasible_pairs = 0;
  // Could reach neither top-k: skipped on the score bound before the
  // commute, or feasible and stopped inside Evaluate.
  uint64_t pruned_pairs = 0;
  absl::Duration took;
};

class MatchIndex {
 public:
  // `scorer` is not owned and must outlive the index.
  MatchIndex(const Scorer* scorer, Policy policy);

  // Adds or replaces (by id). Prepares derived fields.
  void UpsertSeeker(SeekerProfile seeker) ABSL_LOCKS_EXCLUDED(mu_);
  void UpsertVacancy(VacancyProfile vacancy) ABSL_LOCKS_EXCLUDED(mu_);
  // False if absent.
  bool RemoveSeeker(const std::string& id) ABSL_LOCKS_EXCLUDED(mu_);
  bool RemoveVacancy(const std::string& id) ABSL_LOCKS_EXCLUDED(mu_);

  // NotFound if the id is unknown; DeadlineExceeded past query.deadline.
  absl::StatusOr<MatchResult> TopVacanciesForSeeker(const std::string& seeker_id,
                                                    const MatchQuery& query) const;
  absl::StatusOr<MatchResult> TopSeekersForVacancy(const std::string& vacancy_id,
                                                   const MatchQuery& query) const;
  absl::StatusOr<Score> Explain(const std::string& seeker_id, const std::string& vacancy_id,
                                absl::Time now) const;
  // Why `seeker_id` is absent from the vacancy's list (seeker_side=false) or
  // `vacancy_id` from the seeker's list (seeker_side=true) for `query`.
  absl::StatusOr<WhyNotResult> WhyNot(const std::string& seeker_id,
                                      const std::string& vacancy_id, bool seeker_side,
                                      const MatchQuery& query) const;

  size_t seeker_count() const;
  size_t vacancy_count() const;
  // Approximate heap bytes held by the index.
  size_t MemoryBytes() const;
  Policy policy() const;
  void SetPolicy(Policy policy);

  // The nightly bulk pass: top-k in both directions for everyone, scoring
  // each reachable pair once with the same Scorer::Evaluate as the live
  // queries (results equal theirs; tested). Works on a copy of the index
  // taken at the start, so writers and live queries are not blocked.
  absl::StatusOr<BulkTopKResult> BulkTopK(const BulkTopKOptions& options) const;

  // Copies of profiles (for the server's reads and the rematch).
  std::optional<SeekerProfile> GetSeeker(const std::string& id) const;
  std::optional<VacancyProfile> GetVacancy(const std::string& id) const;
  // A vacancy's openings without copying its profile; nullopt if absent.
  std::optional<int> VacancyOpenings(const std::string& id) const;
  // What the server's scope and view ask of a seeker for every entry of a
  // list (home municipality, consent to share needs), without copying the
  // profile; nullopt if absent.
  struct SeekerScopeFacts {
    int municipality = 0;
    bool consent_share_needs = false;
  };
  std::optional<SeekerScopeFacts> SeekerScope(const std::string& id) const;

 private:
  struct Candidate {
    double key;
    uint32_t index;
    uint32_t slot = 0;  // in the list: where its trip is kept for the explanation
  };
  template <bool kSeekerSide>
  absl::StatusOr<MatchResult> Query(uint32_t self, const MatchQuery& query,
                                    const Policy& policy) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The policy a query runs with: the index's, or a copy with the query's
  // occupation breadth. InvalidArgument for a bad breadth.
  absl::StatusOr<Policy> PolicyFor(const MatchQuery& query) const ABSL_LOCKS_EXCLUDED(mu_);
  // The ISCO minor groups whose postings hold a seeker's candidate vacancies:
  // those of their goals (with breadth 2 every minor group of the same
  // sub-major group) plus those of their goals' substitute occupations.
  std::vector<int> CandidateGroups(const SeekerProfile& seeker, const Policy& policy) const;
  // The same for a vacancy's candidate seekers (the relation is symmetric).
  std::vector<int> CandidateGroups(const VacancyProfile& vacancy, const Policy& policy) const;
  // The minor groups a seeker is posted under: of each goal's ISCO code.
  static std::vector<int> PostedGroups(const SeekerProfile& seeker);
  static std::vector<int> RelatedMinorGroups(std::vector<int> minor_groups,
                                             int occupation_breadth);
  void PostSeeker(uint32_t index, bool add) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void PostVacancy(uint32_t index, bool add) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  static uint32_t VacancyCell(const VacancyProfile& vacancy);

  const Scorer* const scorer_;

  mutable absl::Mutex mu_;
  Policy policy_ ABSL_GUARDED_BY(mu_);
  // Records by dense index; removed slots are dead and reused.
  std::vector<SeekerProfile> seekers_ ABSL_GUARDED_BY(mu_);
  std::vector<VacancyProfile> vacancies_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, uint32_t> seeker_index_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, uint32_t> vacancy_index_ ABSL_GUARDED_BY(mu_);
  std::vector<uint32_t> free_seekers_ ABSL_GUARDED_BY(mu_);
  std::vector<uint32_t> free_vacancies_ ABSL_GUARDED_BY(mu_);
  // What the candidate step reads (matcher/candidate_scan.h), by slot.
  SeekerColumns seeker_cols_ ABSL_GUARDED_BY(mu_);
  VacancyColumns vacancy_cols_ ABSL_GUARDED_BY(mu_);
  std::vector<uint8_t> seeker_alive_ ABSL_GUARDED_BY(mu_);
  std::vector<uint8_t> vacancy_alive_ ABSL_GUARDED_BY(mu_);
  // What a seeker's scan bounds a vacancy with (Scorer::UpperBound from
  // VacancyTerms), by slot: a candidate's bound reads these instead of its
  // record. Its essential skills are in a pool of distinct lists, each kept
  // once with the number of live vacancies that list it (an occupation's
  // vacancies mostly list its profile's: a scan reads few lists, mostly
  // cached); its optional skills in a pool of their own. Skills no live
  // vacancy lists any more stay in a pool until it is compacted (when they
  // outweigh the live ones). (A vacancy's scan reads the seekers' terms and
  // skills from their postings.)
  std::vector<VacancyTerms> vacancy_terms_ ABSL_GUARDED_BY(mu_);
  std::vector<SkillId> vacancy_skill_pool_ ABSL_GUARDED_BY(mu_);  // optional skills
  size_t vacancy_skill_garbage_ ABSL_GUARDED_BY(mu_) = 0;
  struct EssentialList {
    uint32_t at;     // in essential_pool_
    uint32_t users;  // live vacancies listing it
  };
  absl::flat_hash_map<std::vector<SkillId>, EssentialList> essential_lists_ ABSL_GUARDED_BY(mu_);
  std::vector<SkillId> essential_pool_ ABSL_GUARDED_BY(mu_);
  size_t essential_garbage_ ABSL_GUARDED_BY(mu_) = 0;
  // The terms of vacancies_[index] (set), and their release before it
  // changes or goes.
  void SetVacancyTerms(uint32_t index) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void DropVacancyTerms(uint32_t index) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Postings by ISCO minor group (3 digits); vacancies sorted by grid cell
  // so a seeker's query reads only the cells within their reach; seekers in
  // buckets of a coarse grid with their largest reach, so a vacancy's query
  // skips the buckets none of whose seekers can reach it, each entry with
  // the seeker's key and terms (matcher/seeker_postings.h).
  absl::flat_hash_map<int, SeekerPostings> seekers_by_group_ ABSL_GUARDED_BY(mu_);
  // The seekers' target groups as their postings number them (never
  // removed: a handful of values), for a development placement's scan to
  // decide the placement rows once per target group (PlacementRowsAdmit).
  absl::flat_hash_map<std::string, uint16_t> target_group_ids_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> target_group_names_ ABSL_GUARDED_BY(mu_);
  uint16_t TargetGroupId(const std::string& name) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Each vacancy's entry carries its key and bound terms (copies of
  // vacancy_cols_.key and vacancy_terms_, set when it is posted and
  // rewritten when a pool is compacted), so that a seeker's scan
  // runs the key rules and the bound on the entries it reads in order.
  struct VacancyPosting {
    VacancyKey key;
    VacancyTerms terms;
  };
  using VacancyEntry = CellEntryOf<VacancyPosting>;
  absl::flat_hash_map<int, CellPostingsOf<VacancyPosting>> vacancies_by_group_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_MATCH_INDEX_H_
