// A plain HTTP/1.1 request to a loopback port for the tests (CivetWeb's
// client), returning status, headers and body.
#ifndef JOBMATCH_TESTS_WEB_HTTP_CLIENT_H_
#define JOBMATCH_TESTS_WEB_HTTP_CLIENT_H_

#include <arpa/inet.h>
#include <civetweb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

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

// One kept-alive HTTP/1.1 connection on a plain socket, as a pooling client
// holds it: several requests one after another, and a way to see whether
// the server has closed it.
class KeptAliveConnection {
 public:
  // A reply not received within `timeout_ms` counts as none (status 0).
  explicit KeptAliveConnection(int port, int timeout_ms = 60000)
      : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    const timeval timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~KeptAliveConnection() {
    if (fd_ >= 0) close(fd_);
  }
  KeptAliveConnection(const KeptAliveConnection&) = delete;
  KeptAliveConnection& operator=(const KeptAliveConnection&) = delete;

  HttpResult Get(const std::string& path) { return Request("GET", path, ""); }

  // A request with a JSON body (none when empty); status 0 when the
  // connection was closed or broke.
  HttpResult Request(const std::string& method, const std::string& path, const std::string& body) {
    HttpResult result;
    std::string request = absl::StrCat(method, " ", path, " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if (!body.empty()) {
      absl::StrAppend(&request, "Content-Type: application/json\r\nContent-Length: ", body.size(),
                      "\r\n");
    }
    absl::StrAppend(&request, "\r\n", body);
    if (fd_ < 0 || send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
                       static_cast<ssize_t>(request.size())) {
      return result;
    }
    std::string data;
    size_t end;
    while ((end = data.find("\r\n\r\n")) == std::string::npos) {
      if (!Receive(&data)) return result;
    }
    const std::string head = data.substr(0, end);
    data.erase(0, end + 4);
    if (!absl::StartsWith(head, "HTTP/1.1 ")) return result;
    bool status_line = true;
    for (absl::string_view line : absl::StrSplit(head, "\r\n")) {
      if (std::exchange(status_line, false)) continue;
      const std::pair<absl::string_view, absl::string_view> field = absl::StrSplit(line, ':');
      result.headers[absl::AsciiStrToLower(field.first)] =
          std::string(absl::StripLeadingAsciiWhitespace(field.second));
    }
    const size_t length = std::strtoul(result.headers["content-length"].c_str(), nullptr, 10);
    while (data.size() < length) {
      if (!Receive(&data)) return result;
    }
    result.body = data.substr(0, length);
    result.status = std::atoi(head.c_str() + 9);
    return result;
  }

  // Whether the server closes the connection within `timeout_ms`.
  bool ClosedByServerWithin(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return false;
    char byte;
    return recv(fd_, &byte, 1, 0) <= 0;
  }

 private:
  bool Receive(std::string* data) {
    char buffer[8192];
    const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
    if (n <= 0) return false;
    data->append(buffer, static_cast<size_t>(n));
    return true;
  }

  int fd_;
};

}  // namespace jobmatch::testing

#endif  // JOBMATCH_TESTS_WEB_HTTP_CLIENT_H_
