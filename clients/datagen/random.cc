#include "clients/datagen/random.h"

namespace jobmatch::datagen {

AliasTable::AliasTable(const std::vector<double>& weights) {
  const size_t n = weights.size();
  double total = 0;
  for (double w : weights) total += w;
  probability_.assign(n, 0.0);
  alias_.assign(n, 0);
  if (n == 0 || !(total > 0)) {
    probability_.clear();
    alias_.clear();
    return;
  }
  // Scaled so that the mean is 1; "small" entries (< 1) borrow from "large".
  std::vector<double> scaled(n);
  std::vector<uint32_t> small, large;
  for (size_t i = 0; i < n; ++i) {
    scaled[i] = weights[i] * static_cast<double>(n) / total;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<uint32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const uint32_t s = small.back();
    small.pop_back();
    const uint32_t l = large.back();
    probability_[s] = scaled[s];
    alias_[s] = l;
    scaled[l] = (scaled[l] + scaled[s]) - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // What remains is 1 up to rounding.
  for (const auto* rest : {&large, &small}) {
    for (uint32_t i : *rest) {
      probability_[i] = 1.0;
      alias_[i] = i;
    }
  }
}

}  // namespace jobmatch::datagen
