// SeekerPostings: one ISCO minor group's seekers, as a vacancy's live scan
// reads them (matcher/match_index.cc).
//
// A vacancy's candidates are the seekers whose own reach (by mode, limit and
// landmass: CommuteModel::ReachMetres) takes in its workplace, so there is
// no radius to cut the grid with from the vacancy's side. The postings are
// therefore kept in buckets of a coarse grid (kCellMetres squares), each
// with the box of its seekers' homes, the largest reach of its seekers to
// a workplace on the same landmass and on another, and the landmasses its
// seekers live on. A bucket none of whose seekers can reach the workplace
// (the box's nearest point is beyond the largest reach) is skipped whole;
// in the others each entry is tested exactly (CandidateStep::WithinReach).
// The test on a bucket is exact arithmetic over the same values, so it never
// skips a seeker whose own test would pass (tested against brute force in
// tests/matcher/seeker_postings_test.cc).
//
// Each entry also carries what the scan reads next -- the seeker's key and
// target group for the hard constraints, their terms for the score bound --
// and the bucket keeps the entries' skills side by side, so that the scan
// reads the bucket (and the skills of those within reach) instead of the
// seeker columns and a skill pool at random. The holder keeps the copies
// current (Erase and Insert again after every change of the seeker).
//
// Inserting appends to the bucket and erasing moves the bucket's last entry
// into the hole, so an entry's position in its bucket says nothing; the
// scans order their candidates themselves.
#ifndef JOBMATCH_MATCHER_SEEKER_POSTINGS_H_
#define JOBMATCH_MATCHER_SEEKER_POSTINGS_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "matcher/geography.h"
#include "matcher/hard_constraints.h"
#include "matcher/scorer.h"

namespace jobmatch::matcher {

// A seeker's entry: the place and reach the reach test reads, then the key
// and terms read for the entries within reach.
struct SeekerEntry {
  uint32_t index = 0;  // the seeker's slot in the holder
  int32_t x = 0, y = 0;
  Landmass landmass = Landmass::kJutland;
  // The seeker's target group, as the holder numbers them (for the
  // placement rows: PlacementRowsAdmit).
  uint16_t target_group = 0;
  // The squares of CommuteModel::ReachMetres (same landmass, another).
  double same_reach2 = 0, other_reach2 = 0;
  SeekerKey key;
  // The seeker's terms; skills_at is where their skills start in the
  // bucket's skills (set by Insert).
  SeekerTerms terms;
};

// What an entry's first test needs, kept apart from the entries (more than
// half of the entries a scan reads are out of reach): the home and the
// larger of the two reaches, squared and rounded up to a float, so that
// MayReach is never false where the entry's own test is true.
struct SeekerReach {
  int32_t x = 0, y = 0;
  float reach2 = 0;
};

class SeekerPostings {
 public:
  // The side of a bucket's square. Buckets are keyed by the square a home
  // falls in (coordinates outside Denmark's box fall in border squares; the
  // bucket's box is that of its entries, so nothing depends on the squares).
  static constexpr int32_t kCellMetres = 20'000;

  // `skills`: the entry's terms.skill_count skills (SeekerProfile::skills).
  void Insert(const SeekerEntry& entry, const SkillId* skills) {
    const uint32_t cell = CellOf(entry.x, entry.y);
    auto it = std::lower_bound(buckets_.begin(), buckets_.end(), cell,
                               [](const Bucket& b, uint32_t c) { return b.cell < c; });
    if (it == buckets_.end() || it->cell != cell) {
      it = buckets_.insert(it, Bucket());
      it->cell = cell;
    }
    it->entries.push_back(entry);
    it->reach.push_back(ReachOf(entry));
    it->entries.back().terms.skills_at = static_cast<uint32_t>(it->skills.size());
    it->skills.insert(it->skills.end(), skills, skills + entry.terms.skill_count);
    it->Include(entry);
    ++size_;
  }
  // Removes the entry of seeker `index` posted at (x, y); false if absent.
  bool Erase(uint32_t index, int32_t x, int32_t y) {
    const uint32_t cell = CellOf(x, y);
    auto it = std::lower_bound(buckets_.begin(), buckets_.end(), cell,
                               [](const Bucket& b, uint32_t c) { return b.cell < c; });
    if (it == buckets_.end() || it->cell != cell) return false;
    std::vector<SeekerEntry>& entries = it->entries;
    auto e = std::find_if(entries.begin(), entries.end(),
                          [index](const SeekerEntry& s) { return s.index == index; });
    if (e == entries.end()) return false;
    // Its skills out of the bucket's, the later entries' moved up.
    const uint32_t at = e->terms.skills_at, count = e->terms.skill_count;
    it->skills.erase(it->skills.begin() + at, it->skills.begin() + at + count);
    for (SeekerEntry& other : entries) {
      if (other.terms.skills_at > at) other.terms.skills_at -= count;
    }
    std::vector<SeekerReach>& reach = it->reach;
    reach[static_cast<size_t>(e - entries.begin())] = reach.back();
    reach.pop_back();
    *e = entries.back();
    entries.pop_back();
    --size_;
    if (entries.empty()) {
      buckets_.erase(it);
    } else {
      it->Recompute();  // the box and reach of those left, as tight as before
    }
    return true;
  }

  // Calls fn(begin, end, skills, reach) for the entries of every bucket
  // that may hold a seeker able to reach a workplace at (x, y) on `at`
  // (every bucket for a fully remote job, which needs no commute), with the
  // bucket's skills (an entry's are at skills + terms.skills_at) and the
  // entries' SeekerReach, in their order. The caller tests each entry
  // (MayReach first, then its own test).
  template <typename Fn>
  void ForEachBucketInReach(int32_t x, int32_t y, Landmass at, bool remote, const Fn& fn) const {
    const uint32_t at_bit = 1u << static_cast<int>(at);
    for (const Bucket& b : buckets_) {
      if (!remote) {
        // The box's nearest point (exact: coordinate differences and their
        // squares as the entries' own test computes them, rounding monotone).
        const double dx = static_cast<double>(
            std::max<int64_t>({int64_t{0}, int64_t{b.min_x} - x, int64_t{x} - b.max_x}));
        const double dy = static_cast<double>(
            std::max<int64_t>({int64_t{0}, int64_t{b.min_y} - y, int64_t{y} - b.max_y}));
        const double reach2 = std::max((b.landmasses & at_bit) != 0 ? b.max_same2 : 0.0,
                                       (b.landmasses & ~at_bit) != 0 ? b.max_other2 : 0.0);
        if (dx * dx + dy * dy > reach2) continue;
      }
      fn(b.entries.data(), b.entries.data() + b.entries.size(), b.skills.data(), b.reach.data());
    }
  }
  // False only if the seeker of `r` cannot reach a workplace at (x, y) on
  // any landmass: the entry's own test computes the same square of the
  // distance and compares it with a reach no larger than r.reach2.
  static bool MayReach(const SeekerReach& r, int32_t x, int32_t y) {
    const double dx = static_cast<double>(x) - r.x;
    const double dy = static_cast<double>(y) - r.y;
    return dx * dx + dy * dy <= static_cast<double>(r.reach2);
  }
  static SeekerReach ReachOf(const SeekerEntry& e) {
    SeekerReach r;
    r.x = e.x;
    r.y = e.y;
    const double reach2 = std::max(e.same_reach2, e.other_reach2);
    r.reach2 = static_cast<float>(reach2);
    if (static_cast<double>(r.reach2) < reach2) r.reach2 = std::nextafter(r.reach2, HUGE_VALF);
    return r;
  }
  size_t size() const { return size_; }
  size_t bucket_count() const { return buckets_.size(); }
  size_t capacity_bytes() const {
    size_t bytes = buckets_.capacity() * sizeof(Bucket);
    for (const Bucket& b : buckets_) {
      bytes += b.entries.capacity() * sizeof(SeekerEntry) + b.skills.capacity() * sizeof(SkillId) +
               b.reach.capacity() * sizeof(SeekerReach);
    }
    return bytes;
  }

  static uint32_t CellOf(int32_t x, int32_t y) {
    // Floor division, clamped to a 4,000 km box around Denmark's.
    auto square = [](int64_t v) {
      const int64_t s = v >= 0 ? v / kCellMetres : -((-v + kCellMetres - 1) / kCellMetres);
      return static_cast<uint32_t>(std::clamp<int64_t>(s + 2048, 0, 4095));
    };
    return square(y - int64_t{6'000'000}) * 4096 + square(x - int64_t{400'000});
  }

 private:
  struct Bucket {
    uint32_t cell = 0;
    uint32_t landmasses = 0;  // bit per Landmass of an entry's home
    int32_t min_x = INT32_MAX, max_x = INT32_MIN, min_y = INT32_MAX, max_y = INT32_MIN;
    double max_same2 = 0, max_other2 = 0;
    std::vector<SeekerEntry> entries;
    std::vector<SeekerReach> reach;  // the entries', in their order
    std::vector<SkillId> skills;  // the entries' skills, each entry's side by side

    void Include(const SeekerEntry& e) {
      landmasses |= 1u << static_cast<int>(e.landmass);
      min_x = std::min(min_x, e.x);
      max_x = std::max(max_x, e.x);
      min_y = std::min(min_y, e.y);
      max_y = std::max(max_y, e.y);
      max_same2 = std::max(max_same2, e.same_reach2);
      max_other2 = std::max(max_other2, e.other_reach2);
    }
    void Recompute() {
      landmasses = 0;
      min_x = min_y = INT32_MAX;
      max_x = max_y = INT32_MIN;
      max_same2 = max_other2 = 0;
      for (const SeekerEntry& e : entries) Include(e);
    }
  };
  std::vector<Bucket> buckets_;  // sorted by cell
  size_t size_ = 0;
};

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_SEEKER_POSTINGS_H_
