// The municipal population table (data/populations/municipalities_2024.tsv)
// that weights where synthetic seekers live and where vacancies are.
#ifndef JOBMATCH_CLIENTS_DATAGEN_POPULATION_H_
#define JOBMATCH_CLIENTS_DATAGEN_POPULATION_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace jobmatch::datagen {

struct MunicipalPopulation {
  struct Entry {
    int municipality = 0;  // kommunekode
    int population = 0;
  };
  std::vector<Entry> entries;  // ascending municipality code
  std::string version;         // the file's "# version" line
};

// Reads `path` (lines "kommunekode<TAB>population", '#' comments). Errors:
// NotFound if missing; DataLoss naming the line for a malformed line, a
// duplicate code or a population outside [1, 10,000,000].
absl::StatusOr<MunicipalPopulation> LoadMunicipalPopulation(const std::string& path);

// The table in a data folder: data_dir/populations/municipalities_2024.tsv.
std::string MunicipalPopulationPath(const std::string& data_dir);

}  // namespace jobmatch::datagen

#endif  // JOBMATCH_CLIENTS_DATAGEN_POPULATION_H_
