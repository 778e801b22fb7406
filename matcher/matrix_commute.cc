#include "matcher/matrix_commute.h"

#include <zlib.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/ascii.h"

namespace jobmatch::matcher {
namespace {

bool ParseMode(absl::string_view name, TransportMode* mode) {
  if (name == "WALK") *mode = TransportMode::kWalk;
  else if (name == "BICYCLE") *mode = TransportMode::kBicycle;
  else if (name == "CAR") *mode = TransportMode::kCar;
  else if (name == "PUBLIC_TRANSPORT") *mode = TransportMode::kPublicTransport;
  else return false;
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<MatrixCommute>> MatrixCommute::Load(
    const std::string& path, const Geography* geography, std::unique_ptr<CommuteModel> fallback) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open travel-time matrix"));
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string content = buffer.str();

  // The checksum line is the last line; it covers everything before it.
  const size_t crc_pos = content.rfind("\ncrc32 ");
  if (crc_pos == std::string::npos) {
    return absl::DataLossError(absl::StrCat(path, ": no crc32 line (file truncated?)"));
  }
  const std::string body = content.substr(0, crc_pos + 1);
  std::string stated(absl::StripAsciiWhitespace(content.substr(crc_pos + 7)));
  const uLong actual = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(body.data()),
                             static_cast<uInt>(body.size()));
  uint32_t expected = 0;
  if (!absl::SimpleHexAtoi(stated, &expected) || expected != actual) {
    return absl::DataLossError(
        absl::StrCat(path, ": checksum mismatch (file truncated or corrupt)"));
  }

  std::unique_ptr<MatrixCommute> m(new MatrixCommute());
  m->fallback_ = std::move(fallback);
  for (int mode = 1; mode < kTransportModeCount; ++mode) {
    m->max_speed_[mode] = m->fallback_->MaxReachMetres(1u << mode, 1);
  }
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(body, '\n')) {
    ++line_number;
    if (line.empty()) continue;
    std::vector<absl::string_view> f = absl::StrSplit(line, ' ', absl::SkipEmpty());
    auto error = [&](absl::string_view what) {
      return absl::DataLossError(absl::StrCat(path, ":", line_number, ": ", what));
    };
    if (line_number == 1) {
      if (f.size() != 2 || f[0] != "JMTT" || f[1] != "1") {
        return error("not a jobmatch travel-time matrix (expected 'JMTT 1')");
      }
      continue;
    }
    if (line_number == 2) {
      if (f.size() != 2 || f[0] != "version") return error("expected 'version <label>'");
      m->version_ = absl::StrCat("matrix-", f[1]);
      continue;
    }
    int from = 0, to = 0;
    float minutes = 0;
    TransportMode mode;
    if (f.size() != 4 || !absl::SimpleAtoi(f[0], &from) || !absl::SimpleAtoi(f[1], &to) ||
        !ParseMode(f[2], &mode) || !absl::SimpleAtof(f[3], &minutes) || !(minutes > 0) ||
        from <= 0 || from > 9999 || to <= 0 || to > 9999) {
      return error("expected '<from_postal> <to_postal> <MODE> <minutes>'");
    }
    m->minutes_[Key(from, to, mode)] = minutes;
    // Keep the reach bound an upper bound over the matrix's own entries.
    const PostalCode* a = geography->FindPostalCode(from);
    const PostalCode* b = geography->FindPostalCode(to);
    if (a != nullptr && b != nullptr) {
      const Place pa = MakePlace(a->lat, a->lon, from, 0), pb = MakePlace(b->lat, b->lon, to, 0);
      // Places may lie up to ~3 km from their postal code's point.
      const double metres = std::hypot(double(pa.x) - pb.x, double(pa.y) - pb.y) + 6000;
      double& speed = m->max_speed_[static_cast<int>(mode)];
      speed = std::max(speed, metres / minutes);
    }
  }
  if (m->version_.empty()) return absl::DataLossError(absl::StrCat(path, ": missing header"));
  return m;
}

std::optional<CommuteEstimate> MatrixCommute::Estimate(const Place& from, const Place& to,
                                                       TransportMode mode) const {
  auto it = minutes_.find(Key(from.postal_code, to.postal_code, mode));
  if (it == minutes_.end()) return fallback_->Estimate(from, to, mode);
  CommuteEstimate e;
  e.mode = mode;
  e.minutes = it->second;
  e.daily_minutes = static_cast<int>(std::ceil(2 * e.minutes));
  e.source = CommuteSource::kMatrix;
  e.confidence = 0.9f;
  e.crosses_water = from.landmass != to.landmass;
  return e;
}

double MatrixCommute::MaxReachMetres(uint8_t modes, int minutes) const {
  double reach = 0;
  for (int m = 1; m < kTransportModeCount; ++m) {
    if (modes & (1u << m)) reach = std::max(reach, minutes * max_speed_[m]);
  }
  return reach;
}

}  // namespace jobmatch::matcher
