// Portable random sampling for the data generator: std::mt19937_64 (whose
// output sequence the C++ standard fixes) with our own distributions, because
// std::*_distribution may give different values on different standard
// libraries. Only exact IEEE operations (+ - * / sqrt) and integer arithmetic
// are used, so a seed gives the same values on every conforming machine.
#ifndef JOBMATCH_CLIENTS_DATAGEN_RANDOM_H_
#define JOBMATCH_CLIENTS_DATAGEN_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <random>
#include <vector>

namespace jobmatch::datagen {

// GCC's 128-bit integer; __extension__ keeps -Wpedantic quiet.
__extension__ typedef unsigned __int128 Uint128;

class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}

  // The engine's next raw 64-bit output.
  uint64_t Next() { return engine_(); }
  // Uniform in [0, 1), a multiple of 2^-53.
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n). REQUIRES: n > 0. (Lemire's multiply-shift; the
  // bias is below n / 2^64, irrelevant for test data.)
  size_t Below(size_t n) {
    return static_cast<size_t>((static_cast<Uint128>(engine_()) * n) >> 64);
  }
  // Uniform integer in [lo, hi]. REQUIRES: lo <= hi.
  int Between(int lo, int hi) { return lo + static_cast<int>(Below(static_cast<size_t>(hi - lo) + 1)); }
  // True with probability p.
  bool Chance(double p) { return Uniform() < p; }

 private:
  std::mt19937_64 engine_;
};

// Walker's alias method (Vose's construction): O(1) draws from a fixed
// discrete distribution. Weights need not sum to 1; zero weights are never
// drawn. Construction is deterministic (a function of the weights' order).
class AliasTable {
 public:
  AliasTable() = default;
  // REQUIRES: at least one positive weight, none negative or NaN.
  explicit AliasTable(const std::vector<double>& weights);

  // An index in [0, size()) with probability weight[i] / sum(weights).
  size_t Draw(Random& random) const {
    const size_t i = random.Below(probability_.size());
    return random.Uniform() < probability_[i] ? i : alias_[i];
  }
  size_t size() const { return probability_.size(); }
  bool empty() const { return probability_.empty(); }

 private:
  std::vector<double> probability_;
  std::vector<uint32_t> alias_;
};

// A fixed distribution over values of T: an alias table beside the values.
template <typename T>
class Distribution {
 public:
  struct Entry {
    T value;
    double weight;
  };
  Distribution() = default;
  Distribution(std::initializer_list<Entry> entries) {
    std::vector<double> weights;
    for (const Entry& e : entries) {
      values_.push_back(e.value);
      weights.push_back(e.weight);
    }
    table_ = AliasTable(weights);
  }
  const T& Draw(Random& random) const { return values_[table_.Draw(random)]; }

 private:
  std::vector<T> values_;
  AliasTable table_;
};

}  // namespace jobmatch::datagen

#endif  // JOBMATCH_CLIENTS_DATAGEN_RANDOM_H_
