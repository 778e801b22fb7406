// MatrixCommute: travel times from a precomputed zone-to-zone matrix (zones
// are postal codes), produced offline by a road or GTFS transit router, with
// the embedded model as fallback for pairs the matrix lacks.
//
// File format (text, UTF-8), versioned and checksummed:
//   JMTT 1                                   magic and format version
//   version <label>                          e.g. osrm-2026-10
//   <from_postal> <to_postal> <MODE> <minutes>   one line per entry;
//                                            MODE is WALK|BICYCLE|CAR|PUBLIC_TRANSPORT
//   crc32 <8 hex digits>                     CRC-32 (zlib) of every byte before this line
// A missing or wrong checksum, a truncated file or a malformed line is a clear
// error naming the file (and line), never a crash or a silent partial load.
#ifndef JOBMATCH_MATCHER_MATRIX_COMMUTE_H_
#define JOBMATCH_MATCHER_MATRIX_COMMUTE_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "matcher/commute_model.h"
#include "matcher/geography.h"

namespace jobmatch::matcher {

class MatrixCommute : public CommuteModel {
 public:
  // `fallback` answers pairs the matrix lacks; `geography` (not owned) gives
  // postal-code coordinates for the reach bound.
  static absl::StatusOr<std::unique_ptr<MatrixCommute>> Load(
      const std::string& path, const Geography* geography,
      std::unique_ptr<CommuteModel> fallback);

  std::optional<CommuteEstimate> Estimate(const Place& from, const Place& to,
                                          TransportMode mode) const override;
  double MaxReachMetres(uint8_t modes, int minutes) const override;
  std::string version() const override { return version_; }
  size_t entries() const { return minutes_.size(); }
  // Calls fn(from_postal, to_postal, mode, minutes) for every entry, in no
  // particular order.
  template <typename Fn>
  void ForEachEntry(const Fn& fn) const {
    for (const auto& [key, minutes] : minutes_) {
      fn(static_cast<int>(key >> 24), static_cast<int>((key >> 4) & 0xFFFFF),
         static_cast<TransportMode>(key & 0xF), static_cast<double>(minutes));
    }
  }

 private:
  MatrixCommute() = default;
  static uint64_t Key(int from, int to, TransportMode mode) {
    return (static_cast<uint64_t>(from) << 24) | (static_cast<uint64_t>(to) << 4) |
           static_cast<uint64_t>(mode);
  }
  absl::flat_hash_map<uint64_t, float> minutes_;
  std::array<double, kTransportModeCount> max_speed_{};  // metres per minute
  std::unique_ptr<CommuteModel> fallback_;
  std::string version_;
};

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_MATRIX_COMMUTE_H_
