#include "matcher/geography.h"

#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "matcher/tsv_reader.h"

namespace jobmatch::matcher {
namespace {

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

constexpr const char* kLandmassNames[kLandmassCount] = {
    "JUTLAND", "FUNEN", "ZEALAND", "BORNHOLM", "SAMSOE", "FANOE", "LAESOE", "AEROE", "ANHOLT"};

}  // namespace

bool ParseLandmass(std::string_view name, Landmass* out) {
  for (int i = 0; i < kLandmassCount; ++i) {
    if (name == kLandmassNames[i]) {
      *out = static_cast<Landmass>(i);
      return true;
    }
  }
  return false;
}

Landmass LandmassOfPostalCode(int code) {
  switch (code) {
    case 8305: return Landmass::kSamsoe;
    case 6720: return Landmass::kFanoe;
    case 9940: return Landmass::kLaesoe;
    case 5960: case 5970: case 5985: return Landmass::kAeroe;
    case 8592: return Landmass::kAnholt;
    default: break;
  }
  if (code >= 3700 && code <= 3799) return Landmass::kBornholm;
  if (code < 5000) return Landmass::kZealand;
  if (code < 6000) return Landmass::kFunen;
  return Landmass::kJutland;
}

void ProjectUtm32(double lat_deg, double lon_deg, double* easting, double* northing) {
  // Transverse Mercator (Snyder, USGS PP 1395, eqs. 8-9 to 8-10) on GRS80.
  constexpr double kA = 6378137.0;
  constexpr double kF = 1 / 298.257222101;
  constexpr double kK0 = 0.9996;
  constexpr double kLon0 = 9.0 * M_PI / 180.0;  // zone 32 central meridian
  const double e2 = kF * (2 - kF);
  const double ep2 = e2 / (1 - e2);
  const double lat = lat_deg * M_PI / 180.0, lon = lon_deg * M_PI / 180.0;
  const double n = kA / std::sqrt(1 - e2 * std::sin(lat) * std::sin(lat));
  const double t = std::tan(lat) * std::tan(lat);
  const double c = ep2 * std::cos(lat) * std::cos(lat);
  const double a = std::cos(lat) * (lon - kLon0);
  const double e4 = e2 * e2, e6 = e4 * e2;
  const double m =
      kA * ((1 - e2 / 4 - 3 * e4 / 64 - 5 * e6 / 256) * lat -
            (3 * e2 / 8 + 3 * e4 / 32 + 45 * e6 / 1024) * std::sin(2 * lat) +
            (15 * e4 / 256 + 45 * e6 / 1024) * std::sin(4 * lat) -
            (35 * e6 / 3072) * std::sin(6 * lat));
  *easting = 500000.0 + kK0 * n *
                            (a + (1 - t + c) * a * a * a / 6 +
                             (5 - 18 * t + t * t + 72 * c - 58 * ep2) * std::pow(a, 5) / 120);
  *northing = kK0 * (m + n * std::tan(lat) *
                             (a * a / 2 + (5 - t + 9 * c + 4 * c * c) * std::pow(a, 4) / 24 +
                              (61 - 58 * t + t * t + 600 * c - 330 * ep2) * std::pow(a, 6) / 720));
}

Place MakePlace(double lat, double lon, int postal_code, int municipality) {
  double e, n;
  ProjectUtm32(lat, lon, &e, &n);
  Place place;
  place.x = static_cast<int32_t>(std::lround(e));
  place.y = static_cast<int32_t>(std::lround(n));
  place.postal_code = postal_code;
  place.municipality = municipality;
  place.landmass = LandmassOfPostalCode(postal_code);
  return place;
}

absl::StatusOr<std::unique_ptr<Geography>> Geography::Load(const std::string& data_dir) {
  std::unique_ptr<Geography> g(new Geography());
  absl::Status s = ReadTsv(data_dir + "/geo/postal_codes.tsv", [&](const auto& f) {
    PostalCode pc;
    int geographic = 0;
    if (f.size() < 6 || !absl::SimpleAtoi(Sv(f[0]), &pc.code) ||
        !absl::SimpleAtoi(Sv(f[2]), &pc.municipality) || !absl::SimpleAtod(Sv(f[3]), &pc.lat) ||
        !absl::SimpleAtod(Sv(f[4]), &pc.lon) || !absl::SimpleAtoi(Sv(f[5]), &geographic)) {
      return absl::DataLossError("expected postal_code, name, municipality, lat, lon, geographic");
    }
    pc.name = std::string(f[1]);
    pc.geographic = geographic != 0;
    g->postal_codes_[pc.code] = std::move(pc);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  s = ReadTsv(data_dir + "/geo/municipalities.tsv", [&](const auto& f) {
    Municipality m;
    if (f.size() < 5 || !absl::SimpleAtoi(Sv(f[0]), &m.code) ||
        !absl::SimpleAtod(Sv(f[3]), &m.lat) || !absl::SimpleAtod(Sv(f[4]), &m.lon)) {
      return absl::DataLossError("expected code, name, region, lat, lon");
    }
    m.name = std::string(f[1]);
    m.region = std::string(f[2]);
    g->municipalities_[m.code] = std::move(m);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (g->postal_codes_.empty() || g->municipalities_.empty()) {
    return absl::DataLossError(absl::StrCat(data_dir, "/geo: geography files are empty"));
  }
  return g;
}

const PostalCode* Geography::FindPostalCode(int code) const {
  auto it = postal_codes_.find(code);
  return it == postal_codes_.end() ? nullptr : &it->second;
}

const Municipality* Geography::FindMunicipality(int code) const {
  auto it = municipalities_.find(code);
  return it == municipalities_.end() ? nullptr : &it->second;
}

}  // namespace jobmatch::matcher
