#include "storage/internal/db.h"

#include "rocksdb/cache.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"

namespace jobmatch::storage::internal {

int CfOf(RecordKind kind) {
  switch (kind) {
    case RecordKind::kSeeker: return kCfSeekers;
    case RecordKind::kVacancy: return kCfVacancies;
    case RecordKind::kEmployer: return kCfEmployers;
  }
  return kCfSeekers;
}

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  const std::string msg = absl::StrCat(Sv(what), ": ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(msg);
  if (s.severity() >= rocksdb::Status::Severity::kFatalError) {
    return absl::UnavailableError(absl::StrCat(
        Sv(what), ": storage stopped writing after a failed write (", s.ToString(),
        "); nothing acknowledged is lost and stored data stays readable; free space if the "
        "disk is full, then restart jobmatchd to write again"));
  }
  if (s.IsNoSpace()) {
    return absl::ResourceExhaustedError(absl::StrCat(
        Sv(what), ": the data folder's disk is full (", s.ToString(),
        "); nothing was stored. Stored data stays readable; writes work again once space is "
        "freed"));
  }
  if (s.IsCorruption()) return absl::DataLossError(msg);
  if (s.IsNotSupported()) return absl::FailedPreconditionError(msg);
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return absl::FailedPreconditionError(
        absl::StrCat(Sv(what), ": the data folder is in use by another process (", s.ToString(), ")"));
  }
  return absl::InternalError(msg);
}

// Options for this workload: point lookups by id (API reads, version checks)
// and full scans at start-up (index rebuild), with modest write rates.
//  - Bloom filters (10 bits/key, ~1% false positives) make point lookups of
//    absent ids cheap; index and filter blocks live in the block cache.
//  - LZ4 for upper levels (fast), ZSTD at the bottom (records compress well,
//    most data sits there).
//  - WAL recycling stays off (the default): a recycled log could keep erased
//    bytes; obsolete logs are deleted.
//  - Two background jobs: this is a 2-core machine shared with scoring.
rocksdb::Options MakeOptions(const StoreOptions& store_options,
                             std::vector<rocksdb::ColumnFamilyDescriptor>* cfs) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.paranoid_checks = true;
  options.max_background_jobs = 2;
  options.keep_log_file_num = 5;
  options.recycle_log_file_num = 0;
  options.WAL_ttl_seconds = 0;
  options.WAL_size_limit_MB = 0;
  if (store_options.env != nullptr) options.env = store_options.env;
  // No automatic resume after a failed write: on a disk that is still full
  // it would turn a resumable stop into one that needs a restart. The store
  // resumes on the next write once there is space (Impl::ResumeIfStopped).
  options.max_bgerror_resume_count = 0;

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(store_options.block_cache_bytes);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  rocksdb::ColumnFamilyOptions cf_options(options);
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf_options.compression = rocksdb::kLZ4Compression;
  cf_options.bottommost_compression = rocksdb::kZSTD;
  for (const char* name : kCfNames) cfs->emplace_back(name, cf_options);
  return options;
}

std::string EncodeSequenceKey(uint64_t seq) {
  std::string key(8, '\0');
  for (int i = 7; i >= 0; --i) {
    key[i] = static_cast<char>(seq & 0xff);
    seq >>= 8;
  }
  return key;
}

uint64_t DecodeSequenceKey(std::string_view key) {
  uint64_t seq = 0;
  for (size_t i = 0; i < 8 && i < key.size(); ++i) {
    seq = (seq << 8) | static_cast<uint8_t>(key[i]);
  }
  return seq;
}

std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty()) {
    const unsigned char last = static_cast<unsigned char>(prefix.back());
    if (last != 0xff) {
      prefix.back() = static_cast<char>(last + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;
}

std::string ErasureKey(RecordKind kind, std::string_view id) {
  std::string key = kErasurePrefix;
  key.push_back(static_cast<char>(kind));
  key.append(id.data(), id.size());
  return key;
}

}  // namespace jobmatch::storage::internal
