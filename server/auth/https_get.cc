#include "server/auth/https_get.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "openssl/err.h"
#include "openssl/ssl.h"
#include "openssl/x509v3.h"

namespace jobmatch::auth {
namespace {

bool IsLoopback(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  in_addr v4{};
  return inet_pton(AF_INET, host.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

bool IsIpAddress(const std::string& host) {
  in_addr v4{};
  in6_addr v6{};
  return inet_pton(AF_INET, host.c_str(), &v4) == 1 || inet_pton(AF_INET6, host.c_str(), &v6) == 1;
}

std::string OpenSslError() {
  unsigned long e = ERR_get_error();
  if (e == 0) return "no detail";
  char buffer[256];
  ERR_error_string_n(e, buffer, sizeof(buffer));
  ERR_clear_error();
  return buffer;
}

struct FdCloser {
  int fd = -1;
  ~FdCloser() {
    if (fd >= 0) close(fd);
  }
};

// Waits until `fd` is ready for `events` or the deadline passes.
bool WaitFor(int fd, short events, absl::Time deadline) {
  while (true) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return false;
    pollfd p{fd, events, 0};
    const int n = poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return false;
  }
}

// A TCP connection to host:port (non-blocking), within the deadline.
absl::StatusOr<int> Connect(const HttpsUrl& url, absl::Time deadline, const std::string& where) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int rc = getaddrinfo(url.host.c_str(), std::to_string(url.port).c_str(), &hints, &found);
  if (rc != 0) {
    return absl::UnavailableError(absl::StrCat(where, ": cannot resolve ", url.host, ": ",
                                               gai_strerror(rc)));
  }
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> list(found, freeaddrinfo);
  std::string last = "no address";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) return fd;
    if (errno == EINPROGRESS && WaitFor(fd, POLLOUT, deadline)) {
      int error = 0;
      socklen_t len = sizeof(error);
      if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error == 0) return fd;
      last = std::strerror(error);
    } else {
      last = errno == EINPROGRESS ? "timed out" : std::strerror(errno);
    }
    close(fd);
  }
  return absl::UnavailableError(
      absl::StrCat(where, ": cannot connect to ", url.host, ":", url.port, ": ", last));
}

// Reads or writes through `ssl` (or the plain socket) until done, waiting
// within the deadline whenever the non-blocking socket would block.
class Stream {
 public:
  Stream(int fd, SSL* ssl, absl::Time deadline) : fd_(fd), ssl_(ssl), deadline_(deadline) {}

  // False on an error or a timeout.
  bool WriteAll(const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
      int n;
      if (ssl_ != nullptr) {
        n = SSL_write(ssl_, data.data() + done, static_cast<int>(data.size() - done));
        if (n <= 0 && !Wait(SSL_get_error(ssl_, n))) return false;
      } else {
        n = static_cast<int>(send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL));
        if (n < 0 && !(errno == EAGAIN && WaitFor(fd_, POLLOUT, deadline_))) return false;
      }
      if (n > 0) done += static_cast<size_t>(n);
    }
    return true;
  }
  // Appends what arrives until the peer closes; false on an error, a
  // timeout or more than `limit` bytes.
  bool ReadAll(size_t limit, std::string* out, std::string* error) {
    char buffer[16384];
    while (true) {
      int n;
      if (ssl_ != nullptr) {
        n = SSL_read(ssl_, buffer, sizeof(buffer));
        if (n <= 0) {
          const int e = SSL_get_error(ssl_, n);
          // A peer that closes without close_notify ends the body too (HTTP/1.0).
          if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0)) {
            ERR_clear_error();
            return true;
          }
          if (!Wait(e)) {
            *error = absl::Now() >= deadline_ ? "timed out" : OpenSslError();
            return false;
          }
          continue;
        }
      } else {
        n = static_cast<int>(recv(fd_, buffer, sizeof(buffer), 0));
        if (n == 0) return true;
        if (n < 0) {
          if (errno == EAGAIN && WaitFor(fd_, POLLIN, deadline_)) continue;
          *error = errno == EAGAIN ? "timed out" : std::strerror(errno);
          return false;
        }
      }
      out->append(buffer, static_cast<size_t>(n));
      if (out->size() > limit) {
        *error = absl::StrCat("response larger than ", limit, " bytes");
        return false;
      }
    }
  }
  bool Wait(int ssl_error) {
    if (ssl_error == SSL_ERROR_WANT_READ) return WaitFor(fd_, POLLIN, deadline_);
    if (ssl_error == SSL_ERROR_WANT_WRITE) return WaitFor(fd_, POLLOUT, deadline_);
    return false;
  }

 private:
  int fd_;
  SSL* ssl_;
  absl::Time deadline_;
};

// Blocks SIGPIPE in this thread while it lives: a peer that closes while
// TLS writes to it must fail the write, not kill the process. A SIGPIPE
// raised meanwhile is consumed before the mask is restored.
class NoSigPipe {
 public:
  NoSigPipe() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~NoSigPipe() {
    timespec zero{0, 0};
    while (sigtimedwait(&pipe_, nullptr, &zero) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t pipe_;
  sigset_t old_;
};

}  // namespace

absl::StatusOr<HttpsUrl> ParseHttpsUrl(const std::string& url, bool allow_loopback_http) {
  HttpsUrl out;
  absl::string_view rest = url;
  if (absl::ConsumePrefix(&rest, "https://")) {
    out.tls = true;
  } else if (absl::ConsumePrefix(&rest, "http://")) {
    out.tls = false;
    out.port = 80;
  } else {
    return absl::InvalidArgumentError(absl::StrCat("\"", url, "\": must start with https://"));
  }
  const size_t slash = rest.find('/');
  absl::string_view authority = rest.substr(0, slash);
  out.path = slash == absl::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (authority.empty() || absl::StrContains(authority, '@')) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", url, "\": must name a host (and no user information)"));
  }
  absl::string_view port;
  if (absl::ConsumePrefix(&authority, "[")) {
    const size_t close = authority.find(']');
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("\"", url, "\": unclosed [ in the host"));
    }
    out.host = std::string(authority.substr(0, close));
    absl::string_view after = authority.substr(close + 1);
    if (!after.empty() && !absl::ConsumePrefix(&after, ":")) {
      return absl::InvalidArgumentError(absl::StrCat("\"", url, "\": bad port"));
    }
    port = after;
  } else {
    const size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != absl::string_view::npos) port = authority.substr(colon + 1);
  }
  if (!port.empty() && (!absl::SimpleAtoi(port, &out.port) || out.port < 1 || out.port > 65535)) {
    return absl::InvalidArgumentError(absl::StrCat("\"", url, "\": port must be within [1, 65535]"));
  }
  if (out.host.empty()) return absl::InvalidArgumentError(absl::StrCat("\"", url, "\": no host"));
  if (!out.tls && !(allow_loopback_http && IsLoopback(out.host))) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", url, "\": must start with https:// (keys are fetched over TLS only)"));
  }
  return out;
}

absl::StatusOr<std::string> HttpsGet(const std::string& url, const HttpsGetOptions& options) {
  auto parsed = ParseHttpsUrl(url, options.allow_loopback_http);
  if (!parsed.ok()) return parsed.status();
  const absl::Time deadline = absl::Now() + options.timeout;
  const std::string where = absl::StrCat("GET ", url);
  NoSigPipe no_sigpipe;
  auto fd = Connect(*parsed, deadline, where);
  if (!fd.ok()) return fd.status();
  FdCloser closer{*fd};

  std::unique_ptr<SSL_CTX, void (*)(SSL_CTX*)> ctx(nullptr, SSL_CTX_free);
  std::unique_ptr<SSL, void (*)(SSL*)> ssl(nullptr, SSL_free);
  if (parsed->tls) {
    ctx.reset(SSL_CTX_new(TLS_client_method()));
    if (!ctx) return absl::InternalError(absl::StrCat(where, ": TLS: ", OpenSslError()));
    SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
    const int loaded = options.ca_file.empty()
                           ? SSL_CTX_set_default_verify_paths(ctx.get())
                           : SSL_CTX_load_verify_locations(ctx.get(), options.ca_file.c_str(), nullptr);
    if (loaded != 1) {
      return absl::FailedPreconditionError(absl::StrCat(
          where, ": cannot load the CA certificates ",
          options.ca_file.empty() ? "of the system" : options.ca_file, ": ", OpenSslError()));
    }
    ssl.reset(SSL_new(ctx.get()));
    if (!ssl) return absl::InternalError(absl::StrCat(where, ": TLS: ", OpenSslError()));
    SSL_set_fd(ssl.get(), *fd);
    // The certificate must name the host: its DNS name, or its IP address.
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl.get());
    if (IsIpAddress(parsed->host)) {
      X509_VERIFY_PARAM_set1_ip_asc(param, parsed->host.c_str());
    } else {
      SSL_set_tlsext_host_name(ssl.get(), parsed->host.c_str());
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      X509_VERIFY_PARAM_set1_host(param, parsed->host.c_str(), 0);
    }
    Stream handshake(*fd, ssl.get(), deadline);
    while (true) {
      const int rc = SSL_connect(ssl.get());
      if (rc == 1) break;
      const int e = SSL_get_error(ssl.get(), rc);
      if (handshake.Wait(e)) continue;
      const long verify = SSL_get_verify_result(ssl.get());
      std::string why = absl::Now() >= deadline ? "timed out" : OpenSslError();
      if (verify != X509_V_OK) why = absl::StrCat("certificate: ", X509_verify_cert_error_string(verify));
      return absl::UnavailableError(absl::StrCat(where, ": TLS handshake failed: ", why));
    }
  }

  Stream stream(*fd, ssl.get(), deadline);
  // HTTP/1.0: the body ends when the server closes (no chunked encoding).
  const std::string host_header =
      absl::StrContains(parsed->host, ':') ? absl::StrCat("[", parsed->host, "]") : parsed->host;
  const std::string request =
      absl::StrCat("GET ", parsed->path, " HTTP/1.0\r\nHost: ", host_header,
                   "\r\nAccept: application/json\r\nUser-Agent: jobmatchd\r\n"
                   "Connection: close\r\n\r\n");
  if (!stream.WriteAll(request)) {
    return absl::UnavailableError(absl::StrCat(where, ": cannot send the request"));
  }
  std::string response, error;
  if (!stream.ReadAll(options.max_bytes, &response, &error)) {
    if (absl::StartsWith(error, "response larger")) {
      return absl::FailedPreconditionError(absl::StrCat(where, ": ", error));
    }
    return absl::UnavailableError(absl::StrCat(where, ": reading the response: ", error));
  }
  const size_t end = response.find("\r\n\r\n");
  if (end == std::string::npos) {
    return absl::UnavailableError(absl::StrCat(where, ": incomplete response (no header end)"));
  }
  const absl::string_view head(response.data(), end);
  const std::vector<absl::string_view> lines = absl::StrSplit(head, "\r\n");
  const std::vector<absl::string_view> status = absl::StrSplit(lines[0], absl::MaxSplits(' ', 2));
  int code = 0;
  if (status.size() < 2 || !absl::StartsWith(status[0], "HTTP/1.") ||
      !absl::SimpleAtoi(status[1], &code)) {
    return absl::UnavailableError(absl::StrCat(where, ": not an HTTP response"));
  }
  if (code != 200) {
    return absl::FailedPreconditionError(
        absl::StrCat(where, ": HTTP ", code, code >= 300 && code < 400 ? " (redirects are not followed)" : ""));
  }
  std::string body = response.substr(end + 4);
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == absl::string_view::npos) continue;
    const std::string name = absl::AsciiStrToLower(lines[i].substr(0, colon));
    const absl::string_view value = absl::StripAsciiWhitespace(lines[i].substr(colon + 1));
    if (name == "transfer-encoding" && !absl::EqualsIgnoreCase(value, "identity")) {
      return absl::FailedPreconditionError(
          absl::StrCat(where, ": unsupported transfer encoding ", value));
    }
    size_t length = 0;
    if (name == "content-length" && absl::SimpleAtoi(value, &length) && length != body.size()) {
      return absl::UnavailableError(absl::StrCat(where, ": body of ", body.size(),
                                                 " bytes, Content-Length says ", length));
    }
  }
  if (body.empty()) return absl::FailedPreconditionError(absl::StrCat(where, ": empty body"));
  return body;
}

}  // namespace jobmatch::auth
