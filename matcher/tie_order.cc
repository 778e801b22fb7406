#include "matcher/tie_order.h"

namespace jobmatch::matcher {
namespace {

// SplitMix64's finaliser: every input bit affects every output bit.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// FNV-1a, 64 bits: stable across processes (absl::Hash is not).
uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace

uint64_t TieKey(std::string_view id, uint64_t seed) { return Mix(Fnv1a(id) ^ Mix(seed)); }

uint64_t DaySeed(absl::Time now) {
  const int64_t seconds = absl::ToUnixSeconds(now);  // rounds down
  const int64_t day = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  return Mix(static_cast<uint64_t>(day)) | 1;
}

}  // namespace jobmatch::matcher
