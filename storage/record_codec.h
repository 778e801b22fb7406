// The on-disk encoding of record values and change-log entries. Private to
// storage/. Every value starts with a format byte so the layout can evolve.
//   record value: [fmt=1][version u64][update_time i64][sequence u64][payload]
//   change entry: [fmt=1][kind u8][op u8][version u64][time i64][id bytes]
// Integers are little-endian fixed width.
#ifndef JOBMATCH_STORAGE_RECORD_CODEC_H_
#define JOBMATCH_STORAGE_RECORD_CODEC_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "storage/store.h"

namespace jobmatch::storage {

struct DecodedRecordValue {
  RecordMeta meta;
  std::string_view payload;  // points into the decoded buffer
};

std::string EncodeRecordValue(const RecordMeta& meta, std::string_view payload);
// DataLoss if the value is truncated or of an unknown format.
absl::StatusOr<DecodedRecordValue> DecodeRecordValue(std::string_view value);

// The sequence is the entry's key, not part of the value.
std::string EncodeChange(const ChangeEntry& change);
absl::StatusOr<ChangeEntry> DecodeChange(std::string_view value);

}  // namespace jobmatch::storage

#endif  // JOBMATCH_STORAGE_RECORD_CODEC_H_
