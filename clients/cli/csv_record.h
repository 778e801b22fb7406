// CSV for `jobmatch import`: a header row names each column by a field path
// of the API record ("id", "home.lat", "skills.esco_uri"), then one record per
// row. Spreadsheets and case systems export this more easily than JSON.
//
// Cells: empty = field not set. Repeated fields hold several values separated
// by ';' ("CAR;BICYCLE"). A path through a repeated message gives element i
// the i-th value, so columns "languages.code" = "da;en" and
// "languages.level" = "CEFR_NATIVE;CEFR_B2" make two languages. Enums by
// name (or number), booleans true/false/1/0/yes/no.
#ifndef JOBMATCH_CLIENTS_CLI_CSV_RECORD_H_
#define JOBMATCH_CLIENTS_CLI_CSV_RECORD_H_

#include <istream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace jobmatch::cli {

// Splits CSV text into rows (RFC 4180: fields in double quotes may hold
// commas, newlines and "" for a quote).
class CsvReader {
 public:
  explicit CsvReader(std::istream* in) : in_(in) {}

  // The next row; false at the end. *first_line is the 1-based line the row
  // starts on. A row with an unterminated quote is an error (returns true
  // with *error set, cells undefined).
  bool Next(std::vector<std::string>* cells, size_t* first_line, std::string* error);

 private:
  std::istream* const in_;
  size_t line_ = 0;
};

// Fills messages of one type from rows, by the header's field paths.
class CsvRecordMapper {
 public:
  // InvalidArgument naming the column for a path that is not a scalar field
  // of `type` (so a misspelt column never drops data silently), or for a
  // column given twice.
  static absl::StatusOr<CsvRecordMapper> Create(const google::protobuf::Descriptor* type,
                                                const std::vector<std::string>& header);

  // Sets `record`'s fields from one row (`record` is of `type`). On a bad
  // cell, InvalidArgument "column <path>: <rule>"; extra cells beyond the
  // header are an error too.
  absl::Status Fill(const std::vector<std::string>& cells,
                    google::protobuf::Message* record) const;

 private:
  struct Column {
    std::string path;
    std::vector<const google::protobuf::FieldDescriptor*> fields;  // along the path
  };
  std::vector<Column> columns_;
};

}  // namespace jobmatch::cli

#endif  // JOBMATCH_CLIENTS_CLI_CSV_RECORD_H_
