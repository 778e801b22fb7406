// Reads the shipped reference files: tab-separated lines, optionally gzip
// compressed, '#' lines are comments. Errors name the file and the line.
#ifndef JOBMATCH_MATCHER_TSV_READER_H_
#define JOBMATCH_MATCHER_TSV_READER_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace jobmatch::matcher {

// Calls `fn(fields, line_number)` for every data line of `path` (plain or .gz).
// A non-OK status from fn stops reading and is returned with "path:line: "
// prepended. NotFound if the file cannot be opened.
absl::Status ReadTsv(
    const std::string& path,
    const std::function<absl::Status(const std::vector<std::string_view>& fields)>& fn);

// Returns the value of a "# version<TAB>X" comment line, or "" if none.
std::string ReadTsvVersion(const std::string& path);

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_TSV_READER_H_
