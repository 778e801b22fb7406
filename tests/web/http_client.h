// A plain HTTP/1.1 request to a loopback port for the tests (CivetWeb's
// client), returning status, headers and body.
#ifndef JOBMATCH_TESTS_WEB_HTTP_CLIENT_H_
#define JOBMATCH_TESTS_WEB_HTTP_CLIENT_H_

#include <civetweb.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace jobmatch::testing {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

inline HttpResult HttpRequest(int port, const std::string& method, const std::string& path,
                              const std::string& body = "",
                              const std::vector<std::string>& headers = {}) {
  std::string extra;
  for (const std::string& h : headers) absl::StrAppend(&extra, h, "\r\n");
  char error[256] = {};
  mg_connection* c = mg_download(
      "127.0.0.1", port, 0, error, sizeof(error),
      "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: %zu\r\n%s\r\n%s",
      method.c_str(), path.c_str(), body.size(), extra.c_str(), body.c_str());
  HttpResult result;
  if (c == nullptr) {
    result.body = error;
    return result;
  }
  const mg_response_info* info = mg_get_response_info(c);
  result.status = info->status_code;
  for (int i = 0; i < info->num_headers; ++i) {
    result.headers[absl::AsciiStrToLower(info->http_headers[i].name)] = info->http_headers[i].value;
  }
  char buffer[8192];
  for (int n; (n = mg_read(c, buffer, sizeof(buffer))) > 0;) result.body.append(buffer, n);
  mg_close_connection(c);
  return result;
}

}  // namespace jobmatch::testing

#endif  // JOBMATCH_TESTS_WEB_HTTP_CLIENT_H_
