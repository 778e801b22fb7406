// commute_calibration: how the embedded commute model compares with reference
// travel times (a router's or measured trips) in the travel-time matrix
// format (matcher/matrix_commute.h). A developer tool, run by hand:
//   build/bench/matcher/commute_calibration --reference=times.jmtt [--data_dir=data]
#include <cstdio>
#include <cstring>
#include <string>

#include "matcher/commute_calibration.h"
#include "matcher/reference_data.h"

int main(int argc, char** argv) {
  using jobmatch::matcher::ReferenceData;
  std::string reference, data_dir = ReferenceData::SourceTreeDataDir();
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--reference=", 12) == 0) {
      reference = argv[i] + 12;
    } else if (std::strncmp(argv[i], "--data_dir=", 11) == 0) {
      data_dir = argv[i] + 11;
    } else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  if (reference.empty()) {
    std::fprintf(stderr, "usage: commute_calibration --reference=<file.jmtt> [--data_dir=<dir>]\n");
    return 2;
  }
  auto data = ReferenceData::Load(data_dir);
  if (!data.ok()) {
    std::fprintf(stderr, "%s\n", data.status().ToString().c_str());
    return 1;
  }
  auto rows = jobmatch::matcher::CalibrateCommute(*(*data)->commute, *(*data)->geography, reference);
  if (!rows.ok()) {
    std::fprintf(stderr, "%s\n", rows.status().ToString().c_str());
    return 1;
  }
  std::printf("model %s against %s\n", (*data)->commute->version().c_str(), reference.c_str());
  std::printf("%-17s %7s %7s %13s %14s %11s\n", "mode", "pairs", "cannot", "median ratio",
              "mean |err| min", "within 20%");
  for (const auto& r : *rows) {
    std::printf("%-17s %7zu %7zu %13.3f %14.1f %10.1f%%\n",
                jobmatch::matcher::TransportModeName(r.mode), r.pairs, r.model_cannot,
                r.median_ratio, r.mean_abs_error_minutes, 100 * r.share_within_20_percent);
  }
  return 0;
}
