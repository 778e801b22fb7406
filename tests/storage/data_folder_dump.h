// What RocksDB itself reads back from a data folder, for erasure checks.
//
// Searching a folder's raw bytes cannot see data inside compressed table
// blocks (LZ4 / ZSTD), so these checks ask RocksDB's own tools, from Debian's
// rocksdb-tools (deploy/install-deps.sh):
//  - every table file:      sst_dump --command=scan --output_hex, which walks
//    the table's internal iterator: every key and value, every version and
//    tombstone, decompressed;
//  - every write-ahead log: ldb dump_wal --print_value, every write batch's
//    operations with their keys and values.
// Everything is kept as upper-case hex, so a search for bytes is a search for
// their hex spelling. Files of other kinds (MANIFEST, OPTIONS, LOG) hold no
// record data; they are searched as raw bytes.
#ifndef JOBMATCH_TESTS_STORAGE_DATA_FOLDER_DUMP_H_
#define JOBMATCH_TESTS_STORAGE_DATA_FOLDER_DUMP_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace jobmatch::testing {

struct DataFolderDump {
  std::string hex;    // all table and log entries, upper-case hex
  std::string other;  // raw bytes of the remaining files
  int table_files = 0;
  int log_files = 0;

  // Whether `bytes` occur in any entry of any file.
  bool Holds(std::string_view bytes) const;
};

// Dumps `dir` (a RocksDB data folder; it need not be closed). An error if a
// tool is missing or cannot read a file.
absl::StatusOr<DataFolderDump> DumpDataFolder(const std::string& dir);

std::string ToHex(std::string_view bytes);

}  // namespace jobmatch::testing

#endif  // JOBMATCH_TESTS_STORAGE_DATA_FOLDER_DUMP_H_
