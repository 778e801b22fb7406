#include "server/feedback_ledger.h"

#include <vector>

#include "storage/feedback_store.h"

namespace jobmatch {

bool FeedbackLedger::ClosesPair(v1::FeedbackOutcome outcome) {
  return UsesOpening(outcome) || outcome == v1::REJECTED || outcome == v1::NOT_INTERESTED;
}

bool FeedbackLedger::UsesOpening(v1::FeedbackOutcome outcome) {
  return outcome == v1::HIRED || outcome == v1::STARTED || outcome == v1::FOLLOWED_UP ||
         outcome == v1::ENDED;
}

v1::FeedbackOutcome FeedbackLedger::View::Outcome(const std::string& seeker_id,
                                                  const std::string& vacancy_id) const {
  auto s = by_seeker.find(seeker_id);
  if (s == by_seeker.end()) return v1::FEEDBACK_OUTCOME_UNSPECIFIED;
  auto v = s->second.find(vacancy_id);
  return v == s->second.end() ? v1::FEEDBACK_OUTCOME_UNSPECIFIED : v->second;
}

int FeedbackLedger::View::Hires(const std::string& vacancy_id) const {
  auto it = hires.find(vacancy_id);
  return it == hires.end() ? 0 : it->second;
}

absl::Status FeedbackLedger::Load(const storage::Store& store) {
  // Read first, then apply under the lock (a scan callback is not seen by
  // clang's thread-safety analysis as holding it).
  std::vector<v1::Feedback> stored;
  absl::Status s = store.feedback().Scan("", [&](const v1::Feedback& f) {
    stored.push_back(f);
    return true;
  });
  if (!s.ok()) return s;
  absl::MutexLock lock(&mu_);
  pairs_.clear();
  hires_.clear();
  for (const v1::Feedback& f : stored) ApplyLocked(f);
  return absl::OkStatus();
}

void FeedbackLedger::Apply(const v1::Feedback& feedback) {
  absl::MutexLock lock(&mu_);
  ApplyLocked(feedback);
}

void FeedbackLedger::ApplyLocked(const v1::Feedback& f) {
  Latest& latest = pairs_[f.seeker_id()][f.vacancy_id()];
  // The latest by time wins; of two at the same microsecond the later
  // applied (storage keeps only that one: they share a key).
  if (latest.outcome != v1::FEEDBACK_OUTCOME_UNSPECIFIED && f.time_micros() < latest.time_micros) {
    return;
  }
  const bool was_hire = UsesOpening(latest.outcome);
  latest = {f.time_micros(), f.outcome()};
  const bool is_hire = UsesOpening(latest.outcome);
  if (was_hire != is_hire) {
    int& n = hires_[f.vacancy_id()];
    n += is_hire ? 1 : -1;
    if (n == 0) hires_.erase(f.vacancy_id());
  }
}

void FeedbackLedger::ForgetSeeker(const std::string& seeker_id) {
  absl::MutexLock lock(&mu_);
  auto it = pairs_.find(seeker_id);
  if (it == pairs_.end()) return;
  for (const auto& [vacancy_id, latest] : it->second) {
    if (!UsesOpening(latest.outcome)) continue;
    if (--hires_[vacancy_id] <= 0) hires_.erase(vacancy_id);
  }
  pairs_.erase(it);
}

v1::FeedbackOutcome FeedbackLedger::Outcome(const std::string& seeker_id,
                                            const std::string& vacancy_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto s = pairs_.find(seeker_id);
  if (s == pairs_.end()) return v1::FEEDBACK_OUTCOME_UNSPECIFIED;
  auto v = s->second.find(vacancy_id);
  return v == s->second.end() ? v1::FEEDBACK_OUTCOME_UNSPECIFIED : v->second.outcome;
}

int FeedbackLedger::Hires(const std::string& vacancy_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = hires_.find(vacancy_id);
  return it == hires_.end() ? 0 : it->second;
}

FeedbackLedger::View FeedbackLedger::Snapshot() const {
  absl::ReaderMutexLock lock(&mu_);
  View view;
  view.hires = hires_;
  for (const auto& [seeker_id, by_vacancy] : pairs_) {
    auto& out = view.by_seeker[seeker_id];
    for (const auto& [vacancy_id, latest] : by_vacancy) out[vacancy_id] = latest.outcome;
  }
  return view;
}

}  // namespace jobmatch
