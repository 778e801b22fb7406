// jobmatchd's HTTP/1.1 port (CivetWeb): JSON over HTTP for every RPC of
// jobmatch.v1, readable GET routes, /openapi.json, and the consultant's
// workspace (static files from clients/web/) at /. Calls go through an
// RpcBridge to the gRPC server in the same process, so the handlers,
// authentication, scope, audit, limits and metrics are the gRPC port's own.
//
// Plain HTTP only: serve it on loopback, or behind a TLS-terminating proxy.
// Client certificates are a gRPC-port credential; over HTTP a caller
// authenticates with an API key (X-Api-Key or Authorization: Bearer) or a
// bearer token, and no header can claim a certificate identity.
#ifndef JOBMATCH_SERVER_HTTP_HTTP_GATEWAY_H_
#define JOBMATCH_SERVER_HTTP_HTTP_GATEWAY_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "server/http/rpc_bridge.h"

struct mg_context;
struct mg_connection;

namespace jobmatch::http {

struct HttpOptions {
  // host:port; port 0 picks a free port (see HttpGateway::port()).
  std::string listen_address;
  // Folder with the workspace's static files; "" serves no pages.
  std::string web_root;
  // Upper bound for a request body.
  size_t max_body_bytes = 16 * 1024 * 1024;
  // Connections served at once: CivetWeb gives each open connection a
  // thread, busy or idle (for up to keep_alive_seconds), and a connection
  // beyond them waits for one (1..1024).
  int threads = 64;
  // How long an idle connection stays open for the client's next request,
  // also told to clients in every reply's Keep-Alive header (1..300).
  int keep_alive_seconds = 5;
  // The API version in /openapi.json.
  std::string version = "v1";
};

class HttpGateway {
 public:
  // UNAVAILABLE if the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<HttpGateway>> Start(const HttpOptions& options,
                                                            std::shared_ptr<grpc::Channel> channel,
                                                            Authorize authorize);
  ~HttpGateway();
  HttpGateway(const HttpGateway&) = delete;
  HttpGateway& operator=(const HttpGateway&) = delete;

  int port() const { return port_; }
  // Stops accepting and waits for requests in progress. Idempotent.
  void Stop();

  // Source tree's clients/web (the default web_root).
  static std::string SourceTreeWebRoot();

 private:
  HttpGateway(const HttpOptions& options, std::shared_ptr<grpc::Channel> channel,
              Authorize authorize);
  static int Handle(mg_connection* connection, void* self);
  int HandleRequest(mg_connection* connection);

  const HttpOptions options_;
  RpcBridge bridge_;
  const std::string openapi_;
  // Sent with every reply: security headers and Keep-Alive.
  const std::string response_headers_;
  mg_context* context_ = nullptr;
  int port_ = 0;
};

}  // namespace jobmatch::http

#endif  // JOBMATCH_SERVER_HTTP_HTTP_GATEWAY_H_
