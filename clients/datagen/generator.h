// A deterministic generator of realistic synthetic job-centre data: seekers,
// vacancies and employers as jobmatch.v1 API records, from a seed and a scale.
// Distributions and their sources: docs/data-generator.md.
//
// Determinism: the same seed and options give byte-identical records on any
// machine (std::mt19937_64 is specified exactly; the distributions are our
// own, since std:: distributions differ between standard libraries).
#ifndef JOBMATCH_CLIENTS_DATAGEN_GENERATOR_H_
#define JOBMATCH_CLIENTS_DATAGEN_GENERATOR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jobmatch/v1/employer.pb.h"
#include "jobmatch/v1/seeker.pb.h"
#include "jobmatch/v1/vacancy.pb.h"
#include "matcher/reference_data.h"

namespace jobmatch::datagen {

struct GeneratorOptions {
  uint64_t seed = 1;
  size_t seekers = 7000;     // a municipality; all of Denmark is ~250,000
  size_t vacancies = 2000;   // a municipality; all of Denmark is ~60,000
  // Vacancies are valid for 7..60 days from this time.
  absl::Time now = absl::FromCivil(absl::CivilDay(2026, 11, 24), absl::UTCTimeZone());
};

// Named scales: "municipality" (7,000 / 2,000), "region" (50,000 / 12,000),
// "national" (250,000 / 60,000), or a fraction of national ("0.1").
absl::Status ApplyScale(const std::string& scale, GeneratorOptions* options);

class Generator {
 public:
  // Loads the population table from reference_data_dir/populations/.
  static absl::StatusOr<std::unique_ptr<Generator>> Create(const matcher::ReferenceData* data,
                                                           const std::string& reference_data_dir,
                                                           GeneratorOptions options);
  ~Generator();

  // Streams the records; each kind is independent of the others' counts.
  void Employers(const std::function<void(const v1::Employer&)>& fn);
  void Seekers(const std::function<void(const v1::Seeker&)>& fn);
  void Vacancies(const std::function<void(const v1::Vacancy&)>& fn);
  size_t employer_count() const;

 private:
  struct Impl;
  explicit Generator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace jobmatch::datagen

#endif  // JOBMATCH_CLIENTS_DATAGEN_GENERATOR_H_
