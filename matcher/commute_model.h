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
  // Tighter upper bounds on the straight-line distance of a trip of at most
  // `minutes` by any of `modes` that starts on `from`: to a place on the
  // same landmass, and to a place on any other. Each must be >= the
  // distance of every pair Estimate puts within `minutes` (tested on
  // generated data); neither is above MaxReachMetres. The default is
  // MaxReachMetres for both.
  struct Reach {
    double same_landmass = 0;
    double other_landmass = 0;
  };
  virtual Reach ReachMetres(uint8_t modes, int minutes, Landmass from) const {
    const double r = MaxReachMetres(modes, minutes);
    return {r, r};
  }
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
  // Same landmass: the longest distance LandMinutes covers in `minutes`
  // (LandMinutes rises with the distance). Another landmass: over every
  // route of crossings the mode may use, the crossings' own distance plus
  // what the land legs can cover in the minutes the crossings and the
  // legs' fixed overheads leave (each leg at the mode's top land speed).
  Reach ReachMetres(uint8_t modes, int minutes, Landmass from) const override;
  std::string version() const override { return version_; }

  // Minutes over land (same landmass) for a straight-line distance.
  static double LandMinutes(double metres, TransportMode mode);
  // The longest straight-line distance LandMinutes(., mode) keeps within
  // `minutes`, rounded up (a bound, never below).
  static double LandReachMetres(TransportMode mode, double minutes);
  // The fixed minutes of every land leg (LandMinutes(0, mode)) and the
  // fastest straight-line metres per minute of a land leg: LandMinutes(d)
  // >= overhead + d / speed for every d.
  static double LandOverheadMinutes(TransportMode mode);
  static double LandTopSpeed(TransportMode mode);

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
  // ReachMetres's inputs, worked out once: LandReachMetres by mode for every
  // whole minute up to kReachTableMinutes, and by mode and landmass the
  // routes of crossings the mode may use (their minutes, their straight-line
  // metres, the number of land legs).
  static constexpr int kReachTableMinutes = 600;
  std::array<std::vector<double>, kTransportModeCount> land_reach_;
  struct RouteReach {
    double cross_minutes, cross_metres;
    int legs;
  };
  std::array<std::array<std::vector<RouteReach>, kLandmassCount>, kTransportModeCount>
      route_reach_;
};

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_COMMUTE_MODEL_H_
