// Danish geography: postal codes and municipalities from data/geo/, and the
// projection of WGS84 coordinates to ETRS89 / UTM zone 32N (EPSG:25832) in
// integer metres, so every distance in the matcher is a plain hypot.
#ifndef JOBMATCH_MATCHER_GEOGRAPHY_H_
#define JOBMATCH_MATCHER_GEOGRAPHY_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace jobmatch::matcher {

// Landmasses that road and rail connect only through crossings
// (data/crossings/crossings.tsv). Zealand includes Amager, Møn and
// Lolland-Falster (bridges); Funen includes Tåsinge and Langeland; Jutland
// includes Als, Mors and Rømø.
enum class Landmass : uint8_t {
  kJutland = 0, kFunen, kZealand, kBornholm, kSamsoe, kFanoe, kLaesoe, kAeroe, kAnholt
};
inline constexpr int kLandmassCount = 9;
// Parses "JUTLAND", "FUNEN", ...; false if unknown.
bool ParseLandmass(std::string_view name, Landmass* out);
// The landmass of a Danish postal code (by the postal-code ranges and the
// codes of the ferry islands).
Landmass LandmassOfPostalCode(int postal_code);

// A located place: projected metres plus the administrative codes.
struct Place {
  int32_t x = 0;  // UTM32 easting, metres
  int32_t y = 0;  // UTM32 northing, metres
  int postal_code = 0;
  int municipality = 0;
  Landmass landmass = Landmass::kJutland;
};

// WGS84 degrees -> UTM zone 32N metres (GRS80; sub-metre accuracy in Denmark).
void ProjectUtm32(double lat, double lon, double* easting, double* northing);
Place MakePlace(double lat, double lon, int postal_code, int municipality);

struct PostalCode {
  int code = 0;
  std::string name;
  int municipality = 0;
  double lat = 0, lon = 0;
  bool geographic = true;
};

struct Municipality {
  int code = 0;
  std::string name;
  std::string region;
  double lat = 0, lon = 0;
};

class Geography {
 public:
  // Loads data_dir/geo/postal_codes.tsv and municipalities.tsv.
  static absl::StatusOr<std::unique_ptr<Geography>> Load(const std::string& data_dir);

  const PostalCode* FindPostalCode(int code) const;
  const Municipality* FindMunicipality(int code) const;
  const absl::flat_hash_map<int, PostalCode>& postal_codes() const { return postal_codes_; }
  const absl::flat_hash_map<int, Municipality>& municipalities() const { return municipalities_; }

 private:
  Geography() = default;
  absl::flat_hash_map<int, PostalCode> postal_codes_;
  absl::flat_hash_map<int, Municipality> municipalities_;
};

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_GEOGRAPHY_H_
