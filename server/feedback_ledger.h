// FeedbackLedger: what recorded feedback means for matching, held in memory.
// Built from the feedback table at start-up and kept in step with every
// RecordFeedback and every seeker's erasure, so that it always equals what a
// fresh start would read from storage. For each (seeker, vacancy) pair it
// keeps the latest outcome; a vacancy's hires are the seekers whose latest
// outcome for it uses an opening (HIRED, or a placement's STARTED,
// FOLLOWED_UP or ENDED: an ended placement still filled the opening).
//
// What it decides: live lists mark each pair with its latest outcome and
// each vacancy with its openings left; the nightly allocation leaves out
// pairs the feedback closed and gives a vacancy capacity for its openings
// left only. Rankings are never changed by it.
//
// Thread safety: all methods may be called concurrently.
#ifndef JOBMATCH_SERVER_FEEDBACK_LEDGER_H_
#define JOBMATCH_SERVER_FEEDBACK_LEDGER_H_

#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "jobmatch/v1/match_service.pb.h"
#include "storage/store.h"

namespace jobmatch {

class FeedbackLedger {
 public:
  // The latest outcome of each pair, by seeker then vacancy, and the hires
  // per vacancy: a consistent copy for one nightly run.
  struct View {
    absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, v1::FeedbackOutcome>>
        by_seeker;
    absl::flat_hash_map<std::string, int> hires;
    v1::FeedbackOutcome Outcome(const std::string& seeker_id, const std::string& vacancy_id) const;
    int Hires(const std::string& vacancy_id) const;
  };

  // True for the outcomes that take a pair out of the nightly suggestions:
  // those that use an opening (done), REJECTED and NOT_INTERESTED.
  static bool ClosesPair(v1::FeedbackOutcome outcome);
  // True for HIRED, STARTED, FOLLOWED_UP and ENDED: the pair counts as one
  // of the vacancy's hires.
  static bool UsesOpening(v1::FeedbackOutcome outcome);
  // Openings left of a vacancy with `openings` after `hires`: never below 0.
  static int OpeningsLeft(int openings, int hires) { return openings > hires ? openings - hires : 0; }

  // Reads every stored feedback entry (storage::FeedbackStore).
  absl::Status Load(const storage::Store& store) ABSL_LOCKS_EXCLUDED(mu_);
  // Takes in feedback that has just been stored.
  void Apply(const v1::Feedback& feedback) ABSL_LOCKS_EXCLUDED(mu_);
  // Forgets everything about a seeker (after their erasure from storage).
  void ForgetSeeker(const std::string& seeker_id) ABSL_LOCKS_EXCLUDED(mu_);

  v1::FeedbackOutcome Outcome(const std::string& seeker_id, const std::string& vacancy_id) const
      ABSL_LOCKS_EXCLUDED(mu_);
  int Hires(const std::string& vacancy_id) const ABSL_LOCKS_EXCLUDED(mu_);
  View Snapshot() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Latest {
    int64_t time_micros = 0;
    v1::FeedbackOutcome outcome = v1::FEEDBACK_OUTCOME_UNSPECIFIED;
  };
  void ApplyLocked(const v1::Feedback& feedback) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, Latest>> pairs_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, int> hires_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_FEEDBACK_LEDGER_H_
