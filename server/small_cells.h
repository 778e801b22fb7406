// SmallCells: small-count suppression for published tables of counts of
// people (the nightly report's rows by municipality, target group, needs
// group, ...; docs/rematch.md, "Small counts").
//
// Primary suppression: a cell counting 1..min-1 people is suppressed (0 is
// shown: nobody is described by it). Secondary suppression: a table says
// that some cells add up to a total; if the total is shown, the suppressed
// cells of that table must be at least two and count together at least
// `min` people (else the smallest shown non-zero cell is suppressed too); if
// the total is itself suppressed, at least one non-zero part must be. The
// rules are applied over every table until nothing changes, so a cell that
// is a part of one table and the total of another is handled in both. Tables
// are one-dimensional sums; combinations of tables beyond shared cells are
// not analysed.
#ifndef JOBMATCH_SERVER_SMALL_CELLS_H_
#define JOBMATCH_SERVER_SMALL_CELLS_H_

#include <cstdint>
#include <functional>
#include <vector>

namespace jobmatch {

class SmallCells {
 public:
  // `min` <= 1: nothing is suppressed.
  explicit SmallCells(uint64_t min) : min_(min) {}

  // A cell counting `people`; `suppress` is called once if it is suppressed.
  // Returns its id.
  int Add(uint64_t people, std::function<void()> suppress);
  // A cell that is always shown (a published grand total).
  int AddShown(uint64_t people);
  // `parts` add up to `total` (ids from Add).
  void Table(int total, std::vector<int> parts);

  // Decides and calls `suppress` of every suppressed cell. Returns how many.
  int Apply();
  bool suppressed(int cell) const { return cells_[cell].suppressed; }

 private:
  struct Cell {
    uint64_t people = 0;
    bool fixed = false;  // never suppressed
    bool suppressed = false;
    std::function<void()> suppress;
  };
  struct Sum {
    int total;
    std::vector<int> parts;
  };
  // Suppresses the smallest shown non-zero part; false if none is left.
  bool SuppressSmallest(const Sum& sum);

  uint64_t min_;
  std::vector<Cell> cells_;
  std::vector<Sum> tables_;
};

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_SMALL_CELLS_H_
