// Readable GET routes for the common reads, each one RPC of jobmatch.v1:
// path segments in braces and query parameters set fields of the request
// (a query parameter names a field by its proto or JSON name, dotted for a
// nested field: filters.min_score=0.5; a repeated field takes the
// parameter repeated or comma-separated; an enum takes its name).
#ifndef JOBMATCH_SERVER_HTTP_GET_ROUTES_H_
#define JOBMATCH_SERVER_HTTP_GET_ROUTES_H_

#include <memory>
#include <string>
#include "absl/strings/string_view.h"
#include <utility>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"

namespace jobmatch::http {

struct GetRoute {
  std::string pattern;  // e.g. "/v1/vacancies/{vacancy_id}/matches"
  std::string method;   // e.g. "/jobmatch.v1.MatchService/TopSeekersForVacancy"
  std::string summary;  // one line for the OpenAPI description
};

// Every GET route, in the order they are matched.
const std::vector<GetRoute>& GetRoutes();

// The route `path` matches, with the values of its braced segments
// by field name; null if none. `path` is already URL-decoded.
const GetRoute* MatchGetRoute(absl::string_view path,
                              std::vector<std::pair<std::string, std::string>>* path_values);

// Sets the field named `name` (dotted path; proto or JSON names) of
// `message` from `value`. INVALID_ARGUMENT naming the parameter for an
// unknown field, a value of the wrong type, or a message-typed field.
grpc::Status SetFieldFromText(absl::string_view name, absl::string_view value,
                              google::protobuf::Message* message);

// Decodes %XX and '+' (as in a query string).
std::string UrlDecode(absl::string_view text);

// Splits "a=1&b=2" into decoded pairs.
std::vector<std::pair<std::string, std::string>> ParseQuery(absl::string_view query);

}  // namespace jobmatch::http

#endif  // JOBMATCH_SERVER_HTTP_GET_ROUTES_H_
