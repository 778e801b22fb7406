// FeedbackStore: recorded feedback on (seeker, vacancy) pairs, over the
// store's RocksDB instance. Feedback is data about a seeker: it is kept
// under the seeker, so that erasing the seeker (Store::Delete) erases it, and
// it can be written only while the seeker is stored. There is no second copy
// keyed by vacancy (it would outlive the seeker's erasure): a vacancy's
// feedback is found by scanning all of it, which is small next to the
// records.
//
// Values are the API's jobmatch.v1.Feedback, serialized (protobuf's rule:
// fields are only added, so older entries keep parsing).
//
// Thread safety: all methods may be called concurrently.
#ifndef JOBMATCH_STORAGE_FEEDBACK_STORE_H_
#define JOBMATCH_STORAGE_FEEDBACK_STORE_H_

#include <functional>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "jobmatch/v1/match_service.pb.h"
#include "storage/store.h"

namespace jobmatch::storage {

class FeedbackStore {
 public:
  // Store makes the one instance; `db` outlives it.
  explicit FeedbackStore(internal::Db* db) : db_(db) {}
  FeedbackStore(const FeedbackStore&) = delete;
  FeedbackStore& operator=(const FeedbackStore&) = delete;

  // Stores `feedback` as given (the caller sets its time) in one synced
  // write. Of two entries on the same pair at the same microsecond the later
  // replaces the earlier. NotFound if the seeker is not stored: the check and
  // the write happen under the store's write lock, so feedback recorded
  // while its seeker is erased never outlives the erasure.
  // InvalidArgument if seeker_id or vacancy_id is empty.
  absl::Status Put(const v1::Feedback& feedback);

  // Stores many entries in one synced write (a bulk import of histories that
  // carry their own times). The result has one status per entry, as Put
  // would give it: entries whose seeker is not stored get NotFound and are
  // not written; the others are written together.
  std::vector<absl::Status> PutAll(const std::vector<v1::Feedback>& feedback);

  // Calls `fn` with each stored entry on `seeker_id` in time order, or, for
  // an empty `seeker_id`, with every stored entry (by seeker id, then time),
  // until it returns false. DataLoss (and no further calls) for an entry
  // that does not parse.
  absl::Status Scan(std::string_view seeker_id,
                    const std::function<bool(const v1::Feedback&)>& fn) const;

  // Tests only: stores bytes that do not parse where `feedback` would be
  // stored (to prove that readers report it), bypassing every rule above.
  absl::Status CorruptForTest(const v1::Feedback& feedback);

 private:
  internal::Db* const db_;
};

}  // namespace jobmatch::storage

#endif  // JOBMATCH_STORAGE_FEEDBACK_STORE_H_
