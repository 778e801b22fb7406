#include "clients/cli/record_file.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace jobmatch::cli {

absl::StatusOr<std::unique_ptr<RecordFile>> RecordFile::Open(
    const std::string& path, const google::protobuf::Descriptor* type) {
  std::unique_ptr<RecordFile> file(new RecordFile());
  file->in_.open(path, std::ios::binary);
  if (!file->in_) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  file->in_.seekg(0, std::ios::end);
  file->size_ = static_cast<uint64_t>(file->in_.tellg());
  file->in_.seekg(0);
  const bool csv = path.size() >= 4 && path.compare(path.size() - 4, 4, ".csv") == 0;
  if (csv) {
    file->reader_.emplace(&file->in_);
    std::vector<std::string> header;
    size_t line = 0;
    std::string error;
    if (!file->reader_->Next(&header, &line, &error)) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": empty; a CSV file needs a header row"));
    }
    if (!error.empty()) return absl::InvalidArgumentError(absl::StrCat(path, ":1: ", error));
    auto mapper = CsvRecordMapper::Create(type, header);
    if (!mapper.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":1: ", mapper.status().message()));
    }
    file->csv_.emplace(*std::move(mapper));
  }
  return file;
}

RecordFile::Next RecordFile::Read(google::protobuf::Message* record, size_t* line,
                                  std::string* error) {
  record->Clear();
  error->clear();
  if (csv_) {
    std::vector<std::string> cells;
    if (!reader_->Next(&cells, line, error)) return Next::kEnd;
    if (!error->empty()) return Next::kBadRecord;
    absl::Status s = csv_->Fill(cells, record);
    if (!s.ok()) {
      *error = std::string(s.message());
      return Next::kBadRecord;
    }
    return Next::kRecord;
  }
  std::string text;
  do {
    if (!std::getline(in_, text)) return Next::kEnd;
    ++line_;
  } while (text.empty() || text == "\r");
  *line = line_;
  auto status = google::protobuf::util::JsonStringToMessage(text, record);
  if (!status.ok()) {
    *error = std::string(status.message());
    return Next::kBadRecord;
  }
  return Next::kRecord;
}

double RecordFile::Progress() {
  if (size_ == 0) return 1;
  const auto at = in_.tellg();
  return at < 0 ? 1.0 : static_cast<double>(at) / static_cast<double>(size_);
}

}  // namespace jobmatch::cli
