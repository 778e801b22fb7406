#include "clients/datagen/population.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "matcher/tsv_reader.h"

namespace jobmatch::datagen {

std::string MunicipalPopulationPath(const std::string& data_dir) {
  return data_dir + "/populations/municipalities_2024.tsv";
}

absl::StatusOr<MunicipalPopulation> LoadMunicipalPopulation(const std::string& path) {
  MunicipalPopulation table;
  absl::flat_hash_set<int> seen;
  const absl::Status status =
      matcher::ReadTsv(path, [&](const std::vector<std::string_view>& f) -> absl::Status {
        MunicipalPopulation::Entry e;
        if (f.size() < 2 ||
            !absl::SimpleAtoi(absl::string_view(f[0].data(), f[0].size()), &e.municipality) ||
            !absl::SimpleAtoi(absl::string_view(f[1].data(), f[1].size()), &e.population)) {
          return absl::DataLossError("expected kommunekode<TAB>population");
        }
        if (e.population < 1 || e.population > 10000000) {
          return absl::DataLossError("population must be within [1, 10000000]");
        }
        if (!seen.insert(e.municipality).second) {
          return absl::DataLossError(absl::StrCat("duplicate municipality ", e.municipality));
        }
        table.entries.push_back(e);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  std::sort(table.entries.begin(), table.entries.end(),
            [](const auto& a, const auto& b) { return a.municipality < b.municipality; });
  table.version = matcher::ReadTsvVersion(path);
  return table;
}

}  // namespace jobmatch::datagen
