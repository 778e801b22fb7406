// A file of records for `jobmatch import`: JSON Lines (one API record as
// JSON per line), or CSV with a header row when the name ends in ".csv"
// (csv_record.h). Every record is reported with the line it starts on, so a
// bad one is never dropped silently.
#ifndef JOBMATCH_CLIENTS_CLI_RECORD_FILE_H_
#define JOBMATCH_CLIENTS_CLI_RECORD_FILE_H_

#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "clients/cli/csv_record.h"
#include "google/protobuf/message.h"

namespace jobmatch::cli {

class RecordFile {
 public:
  // NotFound if the file cannot be read; for CSV, InvalidArgument for a bad
  // header (naming the column).
  static absl::StatusOr<std::unique_ptr<RecordFile>> Open(
      const std::string& path, const google::protobuf::Descriptor* type);

  enum class Next { kRecord, kBadRecord, kEnd };
  // Reads the next record into `record` (cleared first). kBadRecord sets
  // *error to what is wrong; *line is the 1-based line the record starts on.
  Next Read(google::protobuf::Message* record, size_t* line, std::string* error);

  // Share of the file read so far, 0..1 (for a progress bar).
  double Progress();
  bool is_csv() const { return csv_.has_value(); }

 private:
  RecordFile() = default;
  std::ifstream in_;
  uint64_t size_ = 0;
  size_t line_ = 0;  // JSON Lines: lines read
  std::optional<CsvReader> reader_;
  std::optional<CsvRecordMapper> csv_;
};

}  // namespace jobmatch::cli

#endif  // JOBMATCH_CLIENTS_CLI_RECORD_FILE_H_
