// The candidate step every scan shares: the live queries in both directions
// (matcher/match_index.cc) and the nightly pass (matcher/match_index_bulk.cc)
// decide with this one code which of the pairs their postings yield reach
// Scorer::Evaluate, and with which trip.
//
// Before a candidate's record is read, on compact columns: the hard
// constraints the seeker's and the vacancy's keys decide (SeekerAdmitted,
// VacancyAdmitted, KeysAdmitted -- the rows of the table in
// matcher/hard_constraints.h, not a copy of them), the reach bound
// (CommuteModel::MaxReachMetres, an upper bound on the distance), then the
// commute rule itself, whose trip Evaluate reuses. Each step only drops pairs
// that Evaluate would exclude, so the lists equal scoring every pair (tested
// against brute force in tests/matcher/match_index_test.cc).
#ifndef JOBMATCH_MATCHER_CANDIDATE_SCAN_H_
#define JOBMATCH_MATCHER_CANDIDATE_SCAN_H_

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

// The seeker fields the vacancy direction reads for every candidate.
struct SeekerColumns {
  std::vector<int32_t> x, y;
  std::vector<double> reach2;  // the square of MaxReachMetres
  std::vector<Place> home;
  std::vector<uint8_t> modes;
  std::vector<int32_t> max_minutes;
  std::vector<SeekerKey> key;

  size_t size() const { return x.size(); }
  void Resize(size_t n) {
    x.resize(n);
    y.resize(n);
    reach2.resize(n);
    home.resize(n);
    modes.resize(n);
    max_minutes.resize(n);
    key.resize(n);
  }
  void Set(uint32_t i, const SeekerProfile& s, double reach) {
    x[i] = s.home.x;
    y[i] = s.home.y;
    reach2[i] = reach * reach;
    home[i] = s.home;
    modes[i] = s.transport_modes;
    max_minutes[i] = s.max_commute_minutes;
    key[i] = KeyOf(s);
  }
  size_t Bytes() const {
    return x.capacity() * sizeof(int32_t) * 2 + reach2.capacity() * sizeof(double) +
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

// One seeker against many vacancies.
class SeekerScan {
 public:
  // `reach2`: the square of the seeker's MaxReachMetres.
  SeekerScan(const Scorer& scorer, const SeekerProfile& seeker, double reach2, absl::Time now)
      : scorer_(scorer), seeker_(seeker), key_(KeyOf(seeker)), reach2_(reach2), now_(now),
        admitted_(SeekerAdmitted(key_)) {}
  // False if the seeker's own rules exclude every pair (skip the scan).
  bool admitted() const { return admitted_; }

  // Whether vacancy `b` of `v` may be feasible with this seeker; fills *out.
  bool Admits(const VacancyColumns& v, uint32_t b, Near* out) const {
    const VacancyKey& key = v.key[b];
    if (!VacancyAdmitted(key, now_) || !KeysAdmitted(key_, key)) return false;
    out->index = b;
    out->remote = v.remote[b] != 0;
    if (out->remote) return true;
    const double dx = static_cast<double>(v.x[b]) - seeker_.home.x;
    const double dy = static_cast<double>(v.y[b]) - seeker_.home.y;
    if (dx * dx + dy * dy > reach2_) return false;
    const std::optional<CommuteEstimate> trip = scorer_.CommuteIfWithinLimit(
        seeker_.home, v.place[b], seeker_.transport_modes, seeker_.max_commute_minutes);
    if (!trip) return false;
    out->trip = *trip;
    return true;
  }

 private:
  const Scorer& scorer_;
  const SeekerProfile& seeker_;
  const SeekerKey key_;
  const double reach2_;
  const absl::Time now_;
  const bool admitted_;
};

// One vacancy against many seekers.
class VacancyScan {
 public:
  VacancyScan(const Scorer& scorer, const VacancyColumns& v, uint32_t self, absl::Time now)
      : scorer_(scorer), x_(v.x[self]), y_(v.y[self]), remote_(v.remote[self] != 0),
        place_(v.place[self]), key_(v.key[self]), admitted_(VacancyAdmitted(key_, now)) {}
  // False if the vacancy's own rules exclude every pair (skip the scan).
  bool admitted() const { return admitted_; }

  // Whether seeker `p` of `s` may be feasible with this vacancy; fills *out.
  bool Admits(const SeekerColumns& s, uint32_t p, Near* out) const {
    if (!SeekerAdmitted(s.key[p]) || !KeysAdmitted(s.key[p], key_)) return false;
    out->index = p;
    out->remote = remote_;
    if (remote_) return true;
    const double dx = static_cast<double>(s.x[p]) - x_;
    const double dy = static_cast<double>(s.y[p]) - y_;
    if (dx * dx + dy * dy > s.reach2[p]) return false;
    const std::optional<CommuteEstimate> trip =
        scorer_.CommuteIfWithinLimit(s.home[p], place_, s.modes[p], s.max_minutes[p]);
    if (!trip) return false;
    out->trip = *trip;
    return true;
  }

 private:
  const Scorer& scorer_;
  const int32_t x_, y_;
  const bool remote_;
  const Place place_;
  const VacancyKey key_;
  const bool admitted_;
};

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_CANDIDATE_SCAN_H_
