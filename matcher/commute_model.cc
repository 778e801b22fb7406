#include "matcher/commute_model.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "matcher/tsv_reader.h"

namespace jobmatch::matcher {
namespace {

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

double Metres(const Place& a, const Place& b) {
  // Integer metres within Denmark: the squares are exact in a double, so
  // sqrt needs none of hypot's (slow) overflow care.
  const double dx = static_cast<double>(a.x) - b.x, dy = static_cast<double>(a.y) - b.y;
  return std::sqrt(dx * dx + dy * dy);
}

// Piecewise-linear interpolation over (x, y) knots, flat outside.
double Interpolate(double x, const std::initializer_list<std::pair<double, double>>& knots) {
  auto prev = *knots.begin();
  if (x <= prev.first) return prev.second;
  for (const auto& k : knots) {
    if (x <= k.first) {
      return prev.second + (k.second - prev.second) * (x - prev.first) / (k.first - prev.first);
    }
    prev = k;
  }
  return prev.second;
}

// Fastest straight-line speed of a land leg, metres per minute: above the
// speed LandMinutes implies for every distance (its detour factor is >= 1).
double MaxSpeedMetresPerMinute(TransportMode mode) {
  switch (mode) {
    case TransportMode::kWalk: return 4800.0 / 60 / 1.3;
    case TransportMode::kBicycle: return 15000.0 / 60 / 1.25;
    case TransportMode::kCar: return 95000.0 / 60 / 1.2;
    case TransportMode::kPublicTransport: return 70000.0 / 60 / 1.35;
  }
  return 0;
}

}  // namespace

double ModelCommute::LandMinutes(double metres, TransportMode mode) {
  const double km = metres / 1000.0;
  switch (mode) {
    case TransportMode::kWalk:  // 4.8 km/h, detour 1.3
      return km * 1.3 / 4.8 * 60;
    case TransportMode::kBicycle:  // 15 km/h, detour 1.25, 2 min to park
      return 2 + km * 1.25 / 15 * 60;
    case TransportMode::kCar: {
      // Detour is larger for short trips; speed rises with trip length as
      // more of it is on main roads and motorways. 4 min to park and walk.
      const double detour = Interpolate(km, {{2, 1.4}, {10, 1.3}, {30, 1.2}});
      const double kmh = Interpolate(km, {{3, 30}, {15, 60}, {50, 85}, {100, 95}});
      return 4 + km * detour / kmh * 60;
    }
    case TransportMode::kPublicTransport: {
      // Access walk and waiting, then buses for short trips and regional and
      // intercity trains for long ones.
      const double kmh = Interpolate(km, {{5, 18}, {20, 35}, {60, 55}, {150, 70}});
      return 12 + km * 1.35 / kmh * 60;
    }
  }
  return 0;
}

ModelCommute::ModelCommute(std::vector<Crossing> crossings, std::string version)
    : crossings_(std::move(crossings)), version_(std::move(version)) {
  for (int m = 1; m < kTransportModeCount; ++m) {
    max_speed_[m] = MaxSpeedMetresPerMinute(static_cast<TransportMode>(m));
    for (const Crossing& c : crossings_) {
      if (c.minutes[m] > 0) {
        max_speed_[m] = std::max(max_speed_[m], Metres(c.end_a, c.end_b) / c.minutes[m]);
      }
    }
  }
  // Depth-first enumeration of simple landmass paths of up to three crossings.
  for (int from = 0; from < kLandmassCount; ++from) {
    std::vector<Step> path;
    std::vector<bool> visited(kLandmassCount, false);
    std::function<void(int)> walk = [&](int at) {
      if (path.size() >= 3) return;
      for (int c = 0; c < static_cast<int>(crossings_.size()); ++c) {
        const Crossing& x = crossings_[c];
        for (bool a_to_b : {true, false}) {
          const int src = static_cast<int>(a_to_b ? x.a : x.b);
          const int dst = static_cast<int>(a_to_b ? x.b : x.a);
          if (src != at || visited[dst]) continue;
          path.push_back({c, a_to_b});
          routes_[from][dst].push_back(path);
          visited[dst] = true;
          walk(dst);
          visited[dst] = false;
          path.pop_back();
        }
      }
    };
    visited[from] = true;
    walk(from);
  }
  for (int m = 1; m < kTransportModeCount; ++m) {
    const auto mode = static_cast<TransportMode>(m);
    for (int minutes = 0; minutes <= kReachTableMinutes; ++minutes) {
      land_reach_[m].push_back(LandReachMetres(mode, minutes));
    }
    for (int from = 0; from < kLandmassCount; ++from) {
      for (int to = 0; to < kLandmassCount; ++to) {
        if (to == from) continue;
        for (const auto& route : routes_[from][to]) {
          RouteReach r{0, 0, static_cast<int>(route.size()) + 1};
          bool allowed = true;
          for (const Step& step : route) {
            const Crossing& c = crossings_[step.crossing];
            if (c.minutes[m] < 0) {
              allowed = false;
              break;
            }
            r.cross_minutes += c.minutes[m];
            r.cross_metres += Metres(c.end_a, c.end_b);
          }
          if (allowed) route_reach_[m][from].push_back(r);
        }
      }
    }
  }
}

absl::StatusOr<std::unique_ptr<ModelCommute>> ModelCommute::Load(const std::string& data_dir) {
  const std::string path = data_dir + "/crossings/crossings.tsv";
  std::vector<Crossing> crossings;
  absl::Status s = ReadTsv(path, [&](const std::vector<std::string_view>& f) {
    Crossing c;
    double lat_a, lon_a, lat_b, lon_b;
    if (f.size() < 11 || !ParseLandmass(f[1], &c.a) || !ParseLandmass(f[4], &c.b) ||
        !absl::SimpleAtod(Sv(f[2]), &lat_a) || !absl::SimpleAtod(Sv(f[3]), &lon_a) ||
        !absl::SimpleAtod(Sv(f[5]), &lat_b) || !absl::SimpleAtod(Sv(f[6]), &lon_b)) {
      return absl::DataLossError("expected name, landmass, lat, lon, landmass, lat, lon, minutes x4");
    }
    c.name = std::string(f[0]);
    c.end_a = MakePlace(lat_a, lon_a, 0, 0);
    c.end_a.landmass = c.a;
    c.end_b = MakePlace(lat_b, lon_b, 0, 0);
    c.end_b.landmass = c.b;
    const TransportMode modes[] = {TransportMode::kWalk, TransportMode::kBicycle,
                                   TransportMode::kCar, TransportMode::kPublicTransport};
    c.minutes.fill(-1);
    for (int i = 0; i < 4; ++i) {
      double m;
      if (!absl::SimpleAtod(Sv(f[7 + i]), &m)) return absl::DataLossError("bad minutes");
      c.minutes[static_cast<int>(modes[i])] = m;
    }
    crossings.push_back(std::move(c));
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return std::make_unique<ModelCommute>(std::move(crossings),
                                        absl::StrCat("model-", ReadTsvVersion(path)));
}

std::optional<CommuteEstimate> ModelCommute::Estimate(const Place& from, const Place& to,
                                                      TransportMode mode) const {
  double best = -1;
  bool crosses = false;
  if (from.landmass == to.landmass) {
    best = LandMinutes(Metres(from, to), mode);
  } else {
    for (const auto& route : routes_[static_cast<int>(from.landmass)]
                                    [static_cast<int>(to.landmass)]) {
      double total = 0;
      const Place* at = &from;
      bool allowed = true;
      for (const Step& step : route) {
        const Crossing& c = crossings_[step.crossing];
        const double cross = c.minutes[static_cast<int>(mode)];
        if (cross < 0) {
          allowed = false;
          break;
        }
        const Place& enter = step.a_to_b ? c.end_a : c.end_b;
        total += LandMinutes(Metres(*at, enter), mode) + cross;
        at = step.a_to_b ? &c.end_b : &c.end_a;
      }
      if (!allowed) continue;
      total += LandMinutes(Metres(*at, to), mode);
      if (best < 0 || total < best) best = total;
    }
    crosses = true;
  }
  if (best < 0) return std::nullopt;
  CommuteEstimate e;
  e.mode = mode;
  e.minutes = best;
  e.daily_minutes = static_cast<int>(std::ceil(2 * best));
  e.crosses_water = crosses;
  return e;
}

double ModelCommute::MaxReachMetres(uint8_t modes, int minutes) const {
  double reach = 0;
  for (int m = 1; m < kTransportModeCount; ++m) {
    if (modes & (1u << m)) {
      reach = std::max(reach, minutes * max_speed_[m]);
    }
  }
  return reach;
}

double ModelCommute::LandOverheadMinutes(TransportMode mode) { return LandMinutes(0, mode); }

double ModelCommute::LandTopSpeed(TransportMode mode) { return MaxSpeedMetresPerMinute(mode); }

double ModelCommute::LandReachMetres(TransportMode mode, double minutes) {
  if (minutes < LandMinutes(0, mode)) return 0;
  // Bisection on the rising LandMinutes, between 0 and the linear bound
  // (overhead + d / top speed <= LandMinutes(d)).
  double lo = 0, hi = (minutes - LandMinutes(0, mode)) * MaxSpeedMetresPerMinute(mode) + 1;
  for (int i = 0; i < 60; ++i) {
    const double mid = (lo + hi) / 2;
    if (LandMinutes(mid, mode) <= minutes) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  // `hi` is above the boundary; a metre and a relative margin on top.
  return hi * (1 + 1e-9) + 1;
}

CommuteModel::Reach ModelCommute::ReachMetres(uint8_t modes, int minutes, Landmass from) const {
  Reach reach;
  for (int m = 1; m < kTransportModeCount; ++m) {
    if (!(modes & (1u << m))) continue;
    const auto mode = static_cast<TransportMode>(m);
    reach.same_landmass =
        std::max(reach.same_landmass, minutes >= 0 && minutes <= kReachTableMinutes
                                          ? land_reach_[m][minutes]
                                          : LandReachMetres(mode, minutes));
    // Another landmass: Estimate adds LandMinutes over route.legs land legs
    // and the crossings; LandMinutes(d) >= overhead + d / top speed, and the
    // straight line is at most the legs plus the crossings' own distance
    // (triangle inequality).
    const double overhead = LandOverheadMinutes(mode), speed = LandTopSpeed(mode);
    for (const RouteReach& r : route_reach_[m][static_cast<int>(from)]) {
      const double left = minutes - r.cross_minutes - overhead * r.legs;
      if (left < 0) continue;
      reach.other_landmass =
          std::max(reach.other_landmass, (r.cross_metres + left * speed) * (1 + 1e-9) + 1);
    }
  }
  // Never above the plain bound.
  const double plain = MaxReachMetres(modes, minutes);
  reach.same_landmass = std::min(reach.same_landmass, plain);
  reach.other_landmass = std::min(reach.other_landmass, plain);
  return reach;
}

std::optional<CommuteEstimate> FastestCommute(const CommuteModel& model, const Place& from,
                                              const Place& to, uint8_t modes) {
  std::optional<CommuteEstimate> best;
  for (int m = 1; m < kTransportModeCount; ++m) {
    if (!(modes & (1u << m))) continue;
    auto e = model.Estimate(from, to, static_cast<TransportMode>(m));
    if (e && (!best || e->minutes < best->minutes)) best = e;
  }
  return best;
}

}  // namespace jobmatch::matcher
