// VacanciesByEmployer: which vacancies name which employer, so that an
// employer's write (its default accommodations, its public-sector flag) can
// be applied at once to every vacancy that inherits from it -- also to
// vacancies written before their employer existed.
//
// Thread safety: all methods may be called concurrently.
#ifndef JOBMATCH_SERVER_VACANCIES_BY_EMPLOYER_H_
#define JOBMATCH_SERVER_VACANCIES_BY_EMPLOYER_H_

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"

namespace jobmatch {

class VacanciesByEmployer {
 public:
  // Vacancy `vacancy_id` now names `employer_id` (replacing what it named).
  void Link(const std::string& vacancy_id, const std::string& employer_id)
      ABSL_LOCKS_EXCLUDED(mu_);
  // The vacancy is gone.
  void Unlink(const std::string& vacancy_id) ABSL_LOCKS_EXCLUDED(mu_);
  // The vacancies naming `employer_id`, in id order.
  std::vector<std::string> Of(const std::string& employer_id) const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::string> employer_of_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, absl::flat_hash_set<std::string>> vacancies_of_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_VACANCIES_BY_EMPLOYER_H_
