// A string as a JSON string literal (quotes, escapes, control characters as
// \u00XX). The rest of the JSON the HTTP adapter writes comes from
// protobuf's JSON mapping.
#ifndef JOBMATCH_SERVER_HTTP_JSON_TEXT_H_
#define JOBMATCH_SERVER_HTTP_JSON_TEXT_H_

#include <string>
#include "absl/strings/string_view.h"

namespace jobmatch::http {

std::string JsonQuote(absl::string_view text);

}  // namespace jobmatch::http

#endif  // JOBMATCH_SERVER_HTTP_JSON_TEXT_H_
