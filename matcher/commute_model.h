// Commute estimation. CommuteModel is the seam: the embedded default
// (ModelCommute: straight-line distance in projected metres, per-mode detour
// factors, speeds and overheads, and routing over Denmark's bridges and
// ferries) needs no download; a zone-to-zone travel-time matrix produced
// offline can implement the same interface.
#ifndef JOBMATCH_MATCHER_COMMUTE_MODEL_H_
#define JOBMATCH_MATCHER_COMMUTE_MODEL_H_

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "matcher/geography.h"
#include "matcher/profiles.h"

namespace jobmatch::matcher {

enum class CommuteSource : uint8_t { kModel = 1, kMatrix = 2 };

struct CommuteEstimate {
  TransportMode mode = TransportMode::kCar;
  double minutes = 0;        // one way
  int daily_minutes = 0;     // both ways, rounded up
  CommuteSource source = CommuteSource::kModel;
  // 0..1. Model estimates are unvalidated until calibrated against real
  // travel times: they carry 0.6; a matrix from a router carries 0.9.
  float confidence = 0.6f;
  bool crosses_water = false;
};

class CommuteModel {
 public:
  virtual ~CommuteModel() = default;
  // One-way estimate by `mode`, or nullopt if the mode cannot make the trip
  // (e.g. walking across Storebælt). Thread-safe.
  virtual std::optional<CommuteEstimate> Estimate(const Place& from, const Place& to,
                                                  TransportMode mode) const = 0;
  // An upper bound on the straight-line distance in metres that any of
  // `modes` (bitmask) can cover in `minutes`. Candidate pruning relies on it
  // never excluding a pair that Estimate would put within `minutes`.
  virtual double MaxReachMetres(uint8_t modes, int minutes) const = 0;
  virtual std::string version() const = 0;
};

// The fastest estimate over the modes in `modes`; nullopt if none can.
std::optional<CommuteEstimate> FastestCommute(const CommuteModel& model, const Place& from,
                                              const Place& to, uint8_t modes);

struct Crossing {
  std::string name;
  Landmass a, b;
  Place end_a, end_b;
  // Minutes to cross per TransportMode value; negative = not allowed.
  std::array<double, kTransportModeCount> minutes{};
};

class ModelCommute : public CommuteModel {
 public:
  // Loads data_dir/crossings/crossings.tsv.
  static absl::StatusOr<std::unique_ptr<ModelCommute>> Load(const std::string& data_dir);
  explicit ModelCommute(std::vector<Crossing> crossings, std::string version);

  std::optional<CommuteEstimate> Estimate(const Place& from, const Place& to,
                                          TransportMode mode) const override;
  double MaxReachMetres(uint8_t modes, int minutes) const override;
  std::string version() const override { return version_; }

  // Minutes over land (same landmass) for a straight-line distance.
  static double LandMinutes(double metres, TransportMode mode);

 private:
  // Sequences of crossings (indices, oriented) joining two landmasses, at
  // most three crossings long.
  struct Step {
    int crossing;
    bool a_to_b;
  };
  std::vector<Crossing> crossings_;
  std::array<std::array<std::vector<std::vector<Step>>, kLandmassCount>, kLandmassCount> routes_;
  std::string version_;
  // Fastest straight-line metres per minute any leg of a mode reaches, land
  // or crossing; the basis of MaxReachMetres.
  std::array<double, kTransportModeCount> max_speed_{};
};

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_COMMUTE_MODEL_H_
