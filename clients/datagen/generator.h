// A deterministic generator of realistic synthetic job-centre data: seekers,
// vacancies and employers as jobmatch.v1 API records (what municipal systems
// send), from a seed and a scale. Distributions and their sources:
// docs/data-generator.md.
//
// Determinism: the same options and reference data give byte-identical
// records on any machine (random.h). Each record kind has its own random
// stream, so e.g. the seekers do not change when the vacancy count does.
#ifndef JOBMATCH_CLIENTS_DATAGEN_GENERATOR_H_
#define JOBMATCH_CLIENTS_DATAGEN_GENERATOR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/datagen/ground_truth.h"
#include "clients/datagen/population.h"
#include "jobmatch/v1/employer.pb.h"
#include "jobmatch/v1/seeker.pb.h"
#include "jobmatch/v1/vacancy.pb.h"
#include "matcher/geography.h"
#include "matcher/reference_data.h"
#include "matcher/taxonomy.h"

namespace jobmatch::datagen {

struct GeneratorOptions {
  uint64_t seed = 1;
  size_t seekers = 7000;     // a municipality; all of Denmark is ~250,000
  size_t vacancies = 2000;   // a municipality; all of Denmark is ~60,000
  // "Now" for validity and availability dates: vacancies are valid for 7..60
  // days from it. Fixed by default so that output does not depend on the clock.
  absl::Time now = absl::FromCivil(absl::CivilDay(2026, 11, 24), absl::UTCTimeZone());
};

// Sets the counts for a named scale: "municipality" (7,000 seekers / 2,000
// vacancies), "region" (50,000 / 12,000), "national" (250,000 / 60,000), or a
// fraction of national in (0, 4] such as "0.1". InvalidArgument otherwise.
absl::Status ApplyScale(const std::string& scale, GeneratorOptions* options);

// A whole data set in memory.
struct GeneratedData {
  std::vector<v1::Employer> employers;
  std::vector<v1::Seeker> seekers;
  std::vector<v1::Vacancy> vacancies;
};

// Streams a data set. Thread-compatible: const methods may run concurrently.
class Generator {
 public:
  // REQUIRES: taxonomy and geography outlive the generator. Fails with
  // FailedPrecondition if no municipality of `population` has a geographic
  // postal code or the taxonomy has no occupations.
  static absl::StatusOr<std::unique_ptr<Generator>> Create(GeneratorOptions options,
                                                           const matcher::Taxonomy& taxonomy,
                                                           const matcher::Geography& geography,
                                                           const MunicipalPopulation& population);
  // The same, reading the population table from reference_data_dir
  // (MunicipalPopulationPath). REQUIRES: *data outlives the generator.
  static absl::StatusOr<std::unique_ptr<Generator>> Create(const matcher::ReferenceData* data,
                                                           const std::string& reference_data_dir,
                                                           GeneratorOptions options);
  ~Generator();

  // Each call produces the same records in the same order. The message passed
  // to fn is reused: copy it to keep it.
  void Employers(const std::function<void(const v1::Employer&)>& fn) const;
  void Seekers(const std::function<void(const v1::Seeker&)>& fn) const;
  void Vacancies(const std::function<void(const v1::Vacancy&)>& fn) const;
  // The same seekers as Seekers, each with its hidden ground truth
  // (ground_truth.h), which the records never contain.
  void SeekersWithTruth(
      const std::function<void(const v1::Seeker&, const SeekerTruth&)>& fn) const;

  // One public employer per municipality and region, plus private employers
  // (one per six vacancies). Every vacancy's employer_id is among them.
  size_t employer_count() const;
  const GeneratorOptions& options() const;

 private:
  struct Impl;
  explicit Generator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The whole data set in memory (for tests and small benchmarks; at national
// scale prefer the streaming Generator: about 1 GB of protos).
absl::StatusOr<GeneratedData> Generate(const GeneratorOptions& options,
                                       const matcher::Taxonomy& taxonomy,
                                       const matcher::Geography& geography,
                                       const MunicipalPopulation& population);

}  // namespace jobmatch::datagen

#endif  // JOBMATCH_CLIENTS_DATAGEN_GENERATOR_H_
