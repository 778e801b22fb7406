// GeoGrid: a flat grid over projected coordinates (ETRS89 / UTM 32N metres,
// see geography.h) covering Denmark, for "everything within r metres".
//
// Cells are squares numbered row-major, so the cells of any box form one
// contiguous id range per row. A posting list sorted by cell id (CellPostings)
// then yields the entries near a point with one binary search per row,
// within that row's entries (the list keeps where each row starts): no
// pointers, no per-cell allocations, cheap incremental inserts and removals.
// Points outside the covered box are clamped to its border cells, so nothing
// is ever lost: the grid returns a superset of the entries within r, and the
// caller applies the exact distance test (tested against brute force).
#ifndef JOBMATCH_MATCHER_GEO_GRID_H_
#define JOBMATCH_MATCHER_GEO_GRID_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace jobmatch::matcher {

class GeoGrid {
 public:
  // Denmark in EPSG:25832 with a margin: Esbjerg/Blåvandshuk ~440 km east,
  // Bornholm ~890 km east; Gedser ~6,050 km north, Skagen ~6,400 km north.
  static constexpr int32_t kMinX = 400'000, kMaxX = 920'000;
  static constexpr int32_t kMinY = 6'000'000, kMaxY = 6'440'000;
  static constexpr int32_t kCellMetres = 5'000;
  static constexpr int32_t kColumns = (kMaxX - kMinX) / kCellMetres;
  static constexpr int32_t kRows = (kMaxY - kMinY) / kCellMetres;
  // A cell id sorted after every real cell, for entries without a place
  // (e.g. fully remote jobs) that every query must see.
  static constexpr uint32_t kEverywhere = UINT32_MAX;

  static int32_t Column(int32_t x) { return std::clamp((x - kMinX) / kCellMetres, 0, kColumns - 1); }
  static int32_t Row(int32_t y) { return std::clamp((y - kMinY) / kCellMetres, 0, kRows - 1); }
  static uint32_t CellOf(int32_t x, int32_t y) {
    return static_cast<uint32_t>(Row(y) * kColumns + Column(x));
  }

  // Calls fn(first_cell, last_cell) for each row of the cells that the
  // square of half-side `radius` around (x, y) touches.
  template <typename Fn>
  static void ForEachRowRange(int32_t x, int32_t y, double radius, const Fn& fn) {
    const int32_t r = radius >= 2e9 ? 2'000'000'000 : static_cast<int32_t>(radius) + 1;
    const int32_t c0 = Column(Sub(x, r)), c1 = Column(Add(x, r));
    const int32_t r0 = Row(Sub(y, r)), r1 = Row(Add(y, r));
    for (int32_t row = r0; row <= r1; ++row) {
      fn(static_cast<uint32_t>(row * kColumns + c0), static_cast<uint32_t>(row * kColumns + c1));
    }
  }

 private:
  static int32_t Add(int32_t a, int32_t b) {
    return static_cast<int32_t>(std::min<int64_t>(int64_t{a} + b, INT32_MAX));
  }
  static int32_t Sub(int32_t a, int32_t b) {
    return static_cast<int32_t>(std::max<int64_t>(int64_t{a} - b, INT32_MIN));
  }
};

// A posting list sorted by (cell, index), with where each row of cells
// starts in it, so that a row's range of cells is found within that row's
// entries rather than by a search of the whole list. Each entry also carries the
// place of its record (x, y and landmass, as its owner chooses to encode
// it), so that a scan can test a distance on the list itself, read in order,
// before it reads anything of the record -- and, if its owner gives one, a
// payload of what the scan reads next (e.g. the record's keys), kept up to
// date by the owner (Insert, RewritePayloads).
struct NoPayload {};

template <typename Payload>
struct CellEntryOf {
  uint32_t cell;
  uint32_t index;
  int32_t x = 0, y = 0;
  uint8_t landmass = 0;
  Payload payload{};
  friend bool operator<(const CellEntryOf& a, const CellEntryOf& b) {
    return a.cell != b.cell ? a.cell < b.cell : a.index < b.index;
  }
};
using CellEntry = CellEntryOf<NoPayload>;

template <typename Payload>
class CellPostingsOf {
 public:
  using Entry = CellEntryOf<Payload>;
  void Insert(uint32_t cell, uint32_t index, int32_t x = 0, int32_t y = 0,
              uint8_t landmass = 0, const Payload& payload = Payload()) {
    const Entry e{cell, index, x, y, landmass, payload};
    entries_.insert(std::lower_bound(entries_.begin(), entries_.end(), e), e);
    for (size_t r = RowOf(cell) + 1; r < row_start_.size(); ++r) ++row_start_[r];
  }
  // False if absent.
  bool Erase(uint32_t cell, uint32_t index) {
    const Entry e{cell, index};
    auto it = std::lower_bound(entries_.begin(), entries_.end(), e);
    if (it == entries_.end() || it->cell != cell || it->index != index) return false;
    entries_.erase(it);
    for (size_t r = RowOf(cell) + 1; r < row_start_.size(); ++r) --row_start_[r];
    return true;
  }
  // Calls fn(index) for every entry in a cell the square of half-side
  // `radius` around (x, y) touches, then for every kEverywhere entry.
  template <typename Fn>
  void ForEachNear(int32_t x, int32_t y, double radius, const Fn& fn) const {
    ForEachEntryNear(x, y, radius, [&](const Entry& e) { fn(e.index); });
  }
  // The same, calling fn(entry).
  template <typename Fn>
  void ForEachEntryNear(int32_t x, int32_t y, double radius, const Fn& fn) const {
    GeoGrid::ForEachRowRange(x, y, radius, [&](uint32_t first, uint32_t last) {
      ForEachInCells(first, last, fn);
    });
    ForEachInCells(GeoGrid::kEverywhere, GeoGrid::kEverywhere, fn);
  }
  template <typename Fn>
  void ForEach(const Fn& fn) const {
    for (const Entry& e : entries_) fn(e.index);
  }
  // Calls fn(index, &payload) for every entry, for an owner whose payloads
  // changed wholesale.
  template <typename Fn>
  void RewritePayloads(const Fn& fn) {
    for (Entry& e : entries_) fn(e.index, &e.payload);
  }
  size_t size() const { return entries_.size(); }
  size_t capacity_bytes() const { return entries_.capacity() * sizeof(Entry); }

 private:
  // The row of a cell id; kEverywhere's entries form a row after the last.
  static size_t RowOf(uint32_t cell) {
    return cell == GeoGrid::kEverywhere ? GeoGrid::kRows : cell / GeoGrid::kColumns;
  }
  // REQUIRES: first and last in one row.
  template <typename Fn>
  void ForEachInCells(uint32_t first, uint32_t last, const Fn& fn) const {
    const size_t row = RowOf(first);
    const auto end = entries_.begin() + row_start_[row + 1];
    auto it = std::lower_bound(entries_.begin() + row_start_[row], end, Entry{first, 0});
    for (; it != end && it->cell <= last; ++it) fn(*it);
  }
  std::vector<Entry> entries_;
  // row_start_[r]: the position of the first entry in row r or after it
  // (row kRows being kEverywhere's); row_start_[kRows + 1] = entries_.size().
  std::array<uint32_t, GeoGrid::kRows + 2> row_start_{};
};
using CellPostings = CellPostingsOf<NoPayload>;

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_GEO_GRID_H_
