// One HTTPS GET with OpenSSL, for documents jobmatchd reads from elsewhere
// (an identity provider's JWKS at its jwks_uri). TLS 1.2 or newer; the
// server's certificate must chain to the system's CA store (or `ca_file`)
// and name the URL's host (DNS name or IP address). The whole exchange is
// bounded in time and the response in size; only a 200 answer with a body
// is a success. No cryptography here: OpenSSL does the TLS.
#ifndef JOBMATCH_SERVER_AUTH_HTTPS_GET_H_
#define JOBMATCH_SERVER_AUTH_HTTPS_GET_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jobmatch::auth {

struct HttpsGetOptions {
  // PEM file of the CAs to trust; empty = the system's CA store.
  std::string ca_file;
  // For connecting, the handshake, sending and reading, all together.
  absl::Duration timeout = absl::Seconds(5);
  // Largest response (headers and body) accepted.
  size_t max_bytes = 1 << 20;
  // Plain http:// to a loopback host (127.0.0.0/8, ::1, localhost): for
  // tests only; never set from the configuration.
  bool allow_loopback_http = false;
};

// The parts of an https:// URL.
struct HttpsUrl {
  std::string host;  // without brackets for IPv6
  int port = 443;
  std::string path;  // "/..." with the query
  bool tls = true;
};
// InvalidArgument naming the rule for anything but https://host[:port][/path]
// (or http:// to a loopback host when `allow_loopback_http`).
absl::StatusOr<HttpsUrl> ParseHttpsUrl(const std::string& url, bool allow_loopback_http);

// The body of `url`'s 200 response. Unavailable for a connection, TLS or
// certificate failure or a timeout; FailedPrecondition for another status,
// a redirect included (not followed) or a response over max_bytes; each
// message names the URL and what failed.
absl::StatusOr<std::string> HttpsGet(const std::string& url, const HttpsGetOptions& options);

}  // namespace jobmatch::auth

#endif  // JOBMATCH_SERVER_AUTH_HTTPS_GET_H_
