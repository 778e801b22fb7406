// The candidate scan every direction shares: the live queries in both
// directions (matcher/match_index.cc) and the nightly pass
// (matcher/match_index_bulk.cc) run the same steps in the same order on the
// pairs their postings yield:
//   1. the hard constraints the keys decide, before anything else is read:
//      the seeker's and the vacancy's own rows once per fixed side
//      (admitted()), then per pair the rows of the other side and of both
//      keys (SeekerAdmitted, VacancyAdmitted, KeysAdmitted run the rows of
//      matcher/hard_constraints.h, not a copy of them);
//   2. the reach bound on the compact columns (CommuteModel::ReachMetres by
//      mode and landmass: an upper bound on the distance of any trip within
//      the seeker's limit) -- the live scans test it first, on the posting
//      lists themselves (a seeker's entry, matcher/seeker_postings.h, and a
//      vacancy's cell entry carry the place; a vacancy's scan skips whole
//      buckets of seekers none of whom can reach it), then the key rules
//      (PrefilterVacancyKey, PrefilterSeekerKey on the entry's copy of the key);
//      the order of 1 and 2 does not change which pairs pass;
//   -- Prefilter ends here. The scan then bounds the pair's score from the
//      skills (Scorer::UpperBound) and drops pairs that cannot enter its
//      list(s) --
//   3. the commute rule itself, whose trip Evaluate reuses (Commute);
//   4. Scorer::Evaluate: the whole table in order, then the score.
// Each step only drops pairs that Evaluate would exclude or that cannot
// enter a list, so the lists equal scoring every pair (tested against brute
// force in tests/matcher/match_index_test.cc).
#ifndef JOBMATCH_MATCHER_CANDIDATE_SCAN_H_
#define JOBMATCH_MATCHER_CANDIDATE_SCAN_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/time/time.h"
#include "matcher/hard_constraints.h"
#include "matcher/scorer.h"

namespace jobmatch::matcher {

// The vacancy fields a scan reads for every candidate, by position.
struct VacancyColumns {
  std::vector<int32_t> x, y;
  std::vector<uint8_t> remote;  // fully remote: no commute rule
  std::vector<Place> place;
  std::vector<VacancyKey> key;

  size_t size() const { return x.size(); }
  void Resize(size_t n) {
    x.resize(n);
    y.resize(n);
    remote.resize(n);
    place.resize(n);
    key.resize(n);
  }
  void Set(uint32_t i, const VacancyProfile& v, const Schemes& schemes) {
    x[i] = v.workplace.x;
    y[i] = v.workplace.y;
    remote[i] = v.remote_share_percent >= 100;
    place[i] = v.workplace;
    key[i] = KeyOf(v, schemes);
  }
  void Append(const VacancyColumns& from, uint32_t i) {
    x.push_back(from.x[i]);
    y.push_back(from.y[i]);
    remote.push_back(from.remote[i]);
    place.push_back(from.place[i]);
    key.push_back(from.key[i]);
  }
  size_t Bytes() const {
    return x.capacity() * sizeof(int32_t) * 2 + remote.capacity() + place.capacity() * sizeof(Place) +
           key.capacity() * sizeof(VacancyKey);
  }
};

// The seeker fields the candidate step reads for every pair, by position.
struct SeekerColumns {
  std::vector<int32_t> x, y;
  // The squares of CommuteModel::ReachMetres for the seeker's modes, limit
  // and home landmass: to workplaces on the same landmass and on another.
  std::vector<double> same_reach2, other_reach2;
  std::vector<Place> home;
  std::vector<uint8_t> modes;
  std::vector<int32_t> max_minutes;
  std::vector<SeekerKey> key;

  size_t size() const { return x.size(); }
  void Resize(size_t n) {
    x.resize(n);
    y.resize(n);
    same_reach2.resize(n);
    other_reach2.resize(n);
    home.resize(n);
    modes.resize(n);
    max_minutes.resize(n);
    key.resize(n);
  }
  void Set(uint32_t i, const SeekerProfile& s, const CommuteModel::Reach& reach) {
    x[i] = s.home.x;
    y[i] = s.home.y;
    same_reach2[i] = reach.same_landmass * reach.same_landmass;
    other_reach2[i] = reach.other_landmass * reach.other_landmass;
    home[i] = s.home;
    modes[i] = s.transport_modes;
    max_minutes[i] = s.max_commute_minutes;
    key[i] = KeyOf(s);
  }
  void Append(const SeekerColumns& from, uint32_t i) {
    x.push_back(from.x[i]);
    y.push_back(from.y[i]);
    same_reach2.push_back(from.same_reach2[i]);
    other_reach2.push_back(from.other_reach2[i]);
    home.push_back(from.home[i]);
    modes.push_back(from.modes[i]);
    max_minutes.push_back(from.max_minutes[i]);
    key.push_back(from.key[i]);
  }
  // The radius of the grid cells a seeker's candidates can be in.
  double Radius(uint32_t i) const { return std::sqrt(std::max(same_reach2[i], other_reach2[i])); }
  size_t Bytes() const {
    return x.capacity() * sizeof(int32_t) * 2 + same_reach2.capacity() * sizeof(double) * 2 +
           home.capacity() * sizeof(Place) + modes.capacity() +
           max_minutes.capacity() * sizeof(int32_t) + key.capacity() * sizeof(SeekerKey);
  }
};

// A candidate that passed the step: its position, and the trip the commute
// rule found (none for a fully remote vacancy) for Evaluate's `trip`.
struct Near {
  uint32_t index = 0;
  bool remote = false;
  CommuteEstimate trip;
  const CommuteEstimate* Trip() const { return remote ? nullptr : &trip; }
};

// The candidate step of one side against the other: kSeekerSide = one
// seeker (`self`, a position in `seekers`) against many vacancies (`other`
// positions in `vacancies`), else one vacancy against many seekers. Both
// directions and the nightly pass run these same checks in the same order:
//   Prefilter: the table's rules of the fixed side once (admitted()), then
//     per pair the rules of the candidate's side and of both keys -- all the
//     key rows of kHardConstraints, before anything else -- and the reach
//     bound (CommuteModel::ReachMetres by landmass);
//   Commute: the commute rule itself, estimated, whose trip Evaluate reuses.
// Between the two a scan may bound the score (Scorer::UpperBound) and skip
// the commute for a pair that cannot enter its list.
template <bool kSeekerSide>
class CandidateStep {
 public:
  CandidateStep(const Scorer& scorer, const SeekerColumns& seekers,
                const VacancyColumns& vacancies, uint32_t self, absl::Time now)
      : scorer_(scorer), s_(seekers), v_(vacancies), self_(self), now_(now),
        admitted_(kSeekerSide ? SeekerAdmitted(seekers.key[self])
                              : VacancyAdmitted(vacancies.key[self], now)) {}
  // False if the fixed side's own rules exclude every pair (skip the scan).
  bool admitted() const { return admitted_; }

  // The key rules alone, for a seeker's scan that tested the reach bound on
  // the vacancy's cell entry (WithinReach: the same values), from the key
  // the entry carries (MatchIndex::VacancyPosting): the vacancy's own rows
  // and those of both keys.
  bool PrefilterVacancyKey(const VacancyKey& vacancy) const {
    static_assert(kSeekerSide, "a vacancy's scan has its key once: PrefilterSeekerKey");
    return VacancyAdmitted(vacancy, now_) && KeysAdmitted(s_.key[self_], vacancy);
  }
  // The same for a vacancy's scan, from the seeker's key as their posting
  // carries it (matcher/seeker_postings.h): the seeker's own rows and those
  // of both keys.
  bool PrefilterSeekerKey(const SeekerKey& seeker) const {
    static_assert(!kSeekerSide, "a seeker's scan has its key once: PrefilterVacancyKey");
    return SeekerAdmitted(seeker) && KeysAdmitted(seeker, v_.key[self_]);
  }
  // The key rules and the reach bound, on the columns only.
  bool Prefilter(uint32_t other) const {
    const uint32_t p = kSeekerSide ? self_ : other, b = kSeekerSide ? other : self_;
    if constexpr (kSeekerSide) {
      if (!VacancyAdmitted(v_.key[b], now_)) return false;
    } else {
      if (!SeekerAdmitted(s_.key[p])) return false;
    }
    if (!KeysAdmitted(s_.key[p], v_.key[b])) return false;
    if (v_.remote[b]) return true;
    return WithinReach(s_.x[p], s_.y[p], s_.home[p].landmass == v_.place[b].landmass,
                       s_.same_reach2[p], s_.other_reach2[p], v_.x[b], v_.y[b]);
  }
  // The reach bound: the workplace is within the seeker's reach for its
  // landmass (the same as the home's, or another).
  static bool WithinReach(int32_t sx, int32_t sy, bool same_landmass, double same_reach2,
                          double other_reach2, int32_t vx, int32_t vy) {
    const double dx = static_cast<double>(vx) - sx;
    const double dy = static_cast<double>(vy) - sy;
    return dx * dx + dy * dy <= (same_landmass ? same_reach2 : other_reach2);
  }
  // The commute rule for a pair that passed Prefilter; fills *out.
  bool Commute(uint32_t other, Near* out) const {
    const uint32_t p = kSeekerSide ? self_ : other, b = kSeekerSide ? other : self_;
    out->index = other;
    out->remote = v_.remote[b] != 0;
    if (out->remote) return true;
    const std::optional<CommuteEstimate> trip =
        scorer_.CommuteIfWithinLimit(s_.home[p], v_.place[b], s_.modes[p], s_.max_minutes[p]);
    if (!trip) return false;
    out->trip = *trip;
    return true;
  }
  // Both: whether the pair may be feasible (what Evaluate's key and commute
  // rules decide).
  bool Admits(uint32_t other, Near* out) const { return Prefilter(other) && Commute(other, out); }

 private:
  const Scorer& scorer_;
  const SeekerColumns& s_;
  const VacancyColumns& v_;
  const uint32_t self_;
  const absl::Time now_;
  const bool admitted_;
};

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_CANDIDATE_SCAN_H_
