#include "storage/record_codec.h"

#include <cstdint>

#include "absl/status/status.h"

namespace jobmatch::storage {
namespace {

constexpr char kFormat = 1;
constexpr size_t kRecordHeader = 1 + 8 * 3;
constexpr size_t kChangeHeader = 1 + 1 + 1 + 8 + 8;

void PutFixed64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t GetFixed64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

}  // namespace

std::string EncodeRecordValue(const RecordMeta& meta, std::string_view payload) {
  std::string out;
  out.reserve(kRecordHeader + payload.size());
  out.push_back(kFormat);
  PutFixed64(&out, meta.version);
  PutFixed64(&out, static_cast<uint64_t>(meta.update_time_micros));
  PutFixed64(&out, meta.sequence);
  out.append(payload.data(), payload.size());
  return out;
}

absl::StatusOr<DecodedRecordValue> DecodeRecordValue(std::string_view value) {
  if (value.size() < kRecordHeader || value[0] != kFormat) {
    return absl::DataLossError("stored record: truncated or unknown format");
  }
  DecodedRecordValue out;
  out.meta.version = GetFixed64(value.data() + 1);
  out.meta.update_time_micros = static_cast<int64_t>(GetFixed64(value.data() + 9));
  out.meta.sequence = GetFixed64(value.data() + 17);
  out.payload = value.substr(kRecordHeader);
  return out;
}

std::string EncodeChange(const ChangeEntry& change) {
  std::string out;
  out.reserve(kChangeHeader + change.id.size());
  out.push_back(kFormat);
  out.push_back(static_cast<char>(change.kind));
  out.push_back(static_cast<char>(change.op));
  PutFixed64(&out, change.version);
  PutFixed64(&out, static_cast<uint64_t>(change.time_micros));
  out.append(change.id);
  return out;
}

absl::StatusOr<ChangeEntry> DecodeChange(std::string_view value) {
  if (value.size() < kChangeHeader || value[0] != kFormat) {
    return absl::DataLossError("change-log entry: truncated or unknown format");
  }
  const auto kind = static_cast<uint8_t>(value[1]);
  const auto op = static_cast<uint8_t>(value[2]);
  if (kind < 1 || kind > 3 || op < 1 || op > 2) {
    return absl::DataLossError("change-log entry: bad kind or operation");
  }
  ChangeEntry change;
  change.kind = static_cast<RecordKind>(kind);
  change.op = static_cast<ChangeOp>(op);
  change.version = GetFixed64(value.data() + 3);
  change.time_micros = static_cast<int64_t>(GetFixed64(value.data() + 11));
  change.id = std::string(value.substr(kChangeHeader));
  return change;
}

}  // namespace jobmatch::storage
