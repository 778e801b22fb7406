#include "server/vacancies_by_employer.h"

#include <algorithm>

namespace jobmatch {

void VacanciesByEmployer::Link(const std::string& vacancy_id, const std::string& employer_id) {
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = employer_of_.try_emplace(vacancy_id, employer_id);
  if (!inserted) {
    if (it->second == employer_id) return;
    auto old = vacancies_of_.find(it->second);
    if (old != vacancies_of_.end()) {
      old->second.erase(vacancy_id);
      if (old->second.empty()) vacancies_of_.erase(old);
    }
    it->second = employer_id;
  }
  vacancies_of_[employer_id].insert(vacancy_id);
}

void VacanciesByEmployer::Unlink(const std::string& vacancy_id) {
  absl::MutexLock lock(&mu_);
  auto it = employer_of_.find(vacancy_id);
  if (it == employer_of_.end()) return;
  auto list = vacancies_of_.find(it->second);
  if (list != vacancies_of_.end()) {
    list->second.erase(vacancy_id);
    if (list->second.empty()) vacancies_of_.erase(list);
  }
  employer_of_.erase(it);
}

std::vector<std::string> VacanciesByEmployer::Of(const std::string& employer_id) const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<std::string> out;
  auto it = vacancies_of_.find(employer_id);
  if (it != vacancies_of_.end()) out.assign(it->second.begin(), it->second.end());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace jobmatch
