#include "matcher/tsv_reader.h"

#include <zlib.h>

#include <memory>

#include "absl/strings/str_cat.h"

namespace jobmatch::matcher {
namespace {

// Reads lines from a plain or gzip file (gzopen reads both transparently).
class LineReader {
 public:
  explicit LineReader(const std::string& path) : file_(gzopen(path.c_str(), "rb")) {}
  ~LineReader() {
    if (file_ != nullptr) gzclose(file_);
  }
  bool ok() const { return file_ != nullptr; }
  bool Next(std::string* line) {
    line->clear();
    char buf[8192];
    while (gzgets(file_, buf, sizeof buf) != nullptr) {
      line->append(buf);
      if (!line->empty() && line->back() == '\n') {
        line->pop_back();
        if (!line->empty() && line->back() == '\r') line->pop_back();
        return true;
      }
    }
    return !line->empty();
  }

 private:
  gzFile file_;
};

}  // namespace

absl::Status ReadTsv(
    const std::string& path,
    const std::function<absl::Status(const std::vector<std::string_view>& fields)>& fn) {
  LineReader reader(path);
  if (!reader.ok()) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot open reference data file"));
  }
  std::string line;
  std::vector<std::string_view> fields;
  for (int line_number = 1; reader.Next(&line); ++line_number) {
    if (line.empty() || line[0] == '#') continue;
    fields.clear();
    std::string_view rest(line);
    for (size_t tab; (tab = rest.find('\t')) != std::string_view::npos;) {
      fields.push_back(rest.substr(0, tab));
      rest.remove_prefix(tab + 1);
    }
    fields.push_back(rest);
    absl::Status status = fn(fields);
    if (!status.ok()) {
      return absl::Status(status.code(),
                          absl::StrCat(path, ":", line_number, ": ", status.message()));
    }
  }
  return absl::OkStatus();
}

std::string ReadTsvVersion(const std::string& path) {
  LineReader reader(path);
  std::string line;
  constexpr std::string_view kPrefix = "# version\t";
  while (reader.ok() && reader.Next(&line)) {
    if (line.rfind(kPrefix, 0) == 0) return line.substr(kPrefix.size());
    if (!line.empty() && line[0] != '#') break;
  }
  return "";
}

}  // namespace jobmatch::matcher
