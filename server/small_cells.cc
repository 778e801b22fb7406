#include "server/small_cells.h"

#include <utility>

namespace jobmatch {

int SmallCells::Add(uint64_t people, std::function<void()> suppress) {
  cells_.push_back(Cell{people, false, false, std::move(suppress)});
  return static_cast<int>(cells_.size()) - 1;
}

int SmallCells::AddShown(uint64_t people) {
  cells_.push_back(Cell{people, true, false, nullptr});
  return static_cast<int>(cells_.size()) - 1;
}

void SmallCells::Table(int total, std::vector<int> parts) {
  tables_.push_back(Sum{total, std::move(parts)});
}

bool SmallCells::SuppressSmallest(const Sum& sum) {
  int best = -1;
  for (int p : sum.parts) {
    const Cell& c = cells_[p];
    if (c.suppressed || c.fixed || c.people == 0) continue;
    if (best < 0 || c.people < cells_[best].people) best = p;
  }
  if (best < 0) return false;
  cells_[best].suppressed = true;
  return true;
}

int SmallCells::Apply() {
  if (min_ <= 1) return 0;
  for (Cell& c : cells_) {
    if (!c.fixed && c.people > 0 && c.people < min_) c.suppressed = true;
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (const Sum& sum : tables_) {
      // Each pass suppresses at most one more part per table, then looks
      // again (the smallest part may be enough).
      size_t hidden = 0;
      uint64_t hidden_people = 0;
      for (int p : sum.parts) {
        if (cells_[p].suppressed && cells_[p].people > 0) {
          ++hidden;
          hidden_people += cells_[p].people;
        }
      }
      // Shown total: the hidden parts add up to it less the shown ones. A
      // suppressed total: recovered by adding up its parts if all are shown.
      const Cell& total = cells_[sum.total];
      const bool open = total.suppressed ? total.people > 0 && hidden == 0
                                         : hidden > 0 && (hidden < 2 || hidden_people < min_);
      if (open && SuppressSmallest(sum)) changed = true;
    }
  }
  int n = 0;
  for (Cell& c : cells_) {
    if (!c.suppressed) continue;
    ++n;
    if (c.suppress) c.suppress();
  }
  return n;
}

}  // namespace jobmatch
