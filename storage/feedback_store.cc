#include "storage/feedback_store.h"

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "storage/internal/db.h"
#include "storage/internal/derived_keys.h"

namespace jobmatch::storage {
namespace {

using internal::FromRocks;
using internal::kCfFeedback;
using internal::kCfSeekers;

// Layout, in the feedback family:
//   DerivedPrefix(seeker) + "<time_micros, 20 digits>/" + vacancy_id
// so a seeker's feedback sorts by time and goes with the seeker's erasure.
std::string FeedbackKey(const v1::Feedback& f) {
  std::string key = internal::DerivedPrefix(RecordKind::kSeeker, f.seeker_id());
  absl::StrAppend(&key, absl::StrFormat("%020d/", f.time_micros()), f.vacancy_id());
  return key;
}

}  // namespace

absl::Status FeedbackStore::Put(const v1::Feedback& feedback) {
  if (absl::Status refused = db_->RefuseIfSecondary(); !refused.ok()) return refused;
  if (feedback.seeker_id().empty()) {
    return absl::InvalidArgumentError("feedback.seeker_id: must not be empty");
  }
  if (feedback.vacancy_id().empty()) {
    return absl::InvalidArgumentError("feedback.vacancy_id: must not be empty");
  }
  rocksdb::WriteBatch batch;
  batch.Put(db_->Cf(kCfFeedback), FeedbackKey(feedback), feedback.SerializeAsString());
  // Under the write lock, as Store::Delete: either the seeker's erasure
  // comes after this write (and its DeleteRange covers it), or the seeker is
  // gone here and nothing is written.
  absl::MutexLock lock(&db_->write_mu);
  auto meta = db_->ReadMeta(kCfSeekers, feedback.seeker_id());
  if (!meta.ok()) return meta.status();
  if (!meta->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("feedback.seeker_id: seeker ", feedback.seeker_id(), " not found"));
  }
  return FromRocks(db_->Write(db_->write_options, &batch), "store feedback");
}

std::vector<absl::Status> FeedbackStore::PutAll(const std::vector<v1::Feedback>& feedback) {
  std::vector<absl::Status> results(feedback.size());
  if (absl::Status refused = db_->RefuseIfSecondary(); !refused.ok()) {
    for (absl::Status& r : results) r = refused;
    return results;
  }
  for (size_t i = 0; i < feedback.size(); ++i) {
    if (feedback[i].seeker_id().empty()) {
      results[i] = absl::InvalidArgumentError("feedback.seeker_id: must not be empty");
    } else if (feedback[i].vacancy_id().empty()) {
      results[i] = absl::InvalidArgumentError("feedback.vacancy_id: must not be empty");
    }
  }
  rocksdb::WriteBatch batch;
  std::vector<size_t> written;
  // Under the write lock, as Put: each seeker is checked and its entries
  // written before any erasure can come between.
  absl::MutexLock lock(&db_->write_mu);
  absl::flat_hash_map<std::string, bool> stored;
  for (size_t i = 0; i < feedback.size(); ++i) {
    if (!results[i].ok()) continue;
    const std::string& seeker_id = feedback[i].seeker_id();
    auto known = stored.find(seeker_id);
    if (known == stored.end()) {
      auto meta = db_->ReadMeta(kCfSeekers, seeker_id);
      if (!meta.ok()) {
        results[i] = meta.status();
        continue;
      }
      known = stored.emplace(seeker_id, meta->has_value()).first;
    }
    if (!known->second) {
      results[i] =
          absl::NotFoundError(absl::StrCat("feedback.seeker_id: seeker ", seeker_id, " not found"));
      continue;
    }
    batch.Put(db_->Cf(kCfFeedback), FeedbackKey(feedback[i]), feedback[i].SerializeAsString());
    written.push_back(i);
  }
  if (written.empty()) return results;
  absl::Status wrote = FromRocks(db_->Write(db_->write_options, &batch), "store feedback");
  if (!wrote.ok()) {
    for (size_t i : written) results[i] = wrote;
  }
  return results;
}

absl::Status FeedbackStore::Scan(std::string_view seeker_id,
                                 const std::function<bool(const v1::Feedback&)>& fn) const {
  const std::string prefix = seeker_id.empty()
                                 ? internal::DerivedKindPrefix(RecordKind::kSeeker)
                                 : internal::DerivedPrefix(RecordKind::kSeeker, seeker_id);
  const internal::Db::Reader db = db_->Read();
  std::unique_ptr<rocksdb::Iterator> it(
      db.db->NewIterator(rocksdb::ReadOptions(), db.Cf(kCfFeedback)));
  v1::Feedback f;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    const rocksdb::Slice value = it->value();
    if (!f.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      return absl::DataLossError("stored feedback does not parse");
    }
    if (!fn(f)) break;
  }
  return FromRocks(it->status(), "scan feedback");
}

absl::Status FeedbackStore::CorruptForTest(const v1::Feedback& feedback) {
  if (absl::Status refused = db_->RefuseIfSecondary(); !refused.ok()) return refused;
  rocksdb::WriteBatch batch;
  batch.Put(db_->Cf(kCfFeedback), FeedbackKey(feedback), "not a message");
  return FromRocks(db_->Write(db_->write_options, &batch), "corrupt feedback");
}

}  // namespace jobmatch::storage
