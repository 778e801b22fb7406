#include "matcher/cell_key.h"

#include <algorithm>

namespace jobmatch::matcher {

int CellKeyPerturbation(uint32_t cell_key) {
  // The cell key's place in [0, 1), read against the cumulative table.
  const double p = cell_key / 4294967296.0;
  if (p < 0.1) return -2;
  if (p < 0.3) return -1;
  if (p < 0.7) return 0;
  if (p < 0.9) return 1;
  return 2;
}

uint64_t PerturbedCount(uint64_t count, uint32_t cell_key) {
  if (count == 0) return 0;
  const int64_t perturbed = static_cast<int64_t>(count) + CellKeyPerturbation(cell_key);
  return static_cast<uint64_t>(std::max<int64_t>(1, perturbed));
}

}  // namespace jobmatch::matcher
