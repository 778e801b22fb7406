// The jobmatchd gRPC server shell: listening port, transport limits, standard
// health check and reflection, and a bounded graceful shutdown. Services and
// interceptors are given by the caller (JobmatchService).
#ifndef JOBMATCH_SERVER_SERVER_H_
#define JOBMATCH_SERVER_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/support/server_interceptor.h"

namespace jobmatch {

struct ServerOptions {
  // host:port; port 0 picks a free port (see Server::port()).
  std::string listen_address = "127.0.0.1:50051";
  // Upper bound for a request or response message.
  int max_message_bytes = 16 * 1024 * 1024;
  // How long Shutdown() lets in-flight calls finish before cancelling them.
  absl::Duration shutdown_grace = absl::Seconds(10);
  // HTTP/2 streams one connection may have open at once.
  int max_concurrent_streams = 100;
  // Keepalive pings on idle connections, and how long to wait for the ack.
  absl::Duration keepalive_time = absl::Minutes(2);
  absl::Duration keepalive_timeout = absl::Seconds(20);
  // Upper bound on threads gRPC may use for handlers (resource quota).
  int max_threads = 64;
  // Transport credentials (MakeTransportSecurity); null = plaintext.
  std::shared_ptr<grpc::ServerCredentials> credentials;
};

class Server {
 public:
  // Builds and starts the server with `services` (not owned; must outlive the
  // server). `interceptors` see every call in the order given. Health starts
  // as NOT_SERVING; call SetServing(true) when ready.
  static absl::StatusOr<std::unique_ptr<Server>> Start(
      const ServerOptions& options, const std::vector<grpc::Service*>& services,
      std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
          interceptors = {});

  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The port actually bound (useful with port 0).
  int port() const { return port_; }
  // Sets grpc.health.v1 status for the overall server ("") and "jobmatch".
  void SetServing(bool serving);
  // A channel to this server within the process (the HTTP adapter's): no
  // network and no transport credentials, so its user must authorise each
  // call itself. Calls see the same interceptors and handlers. Only before
  // Shutdown().
  std::shared_ptr<grpc::Channel> InProcessChannel() const;
  // Stops accepting calls, lets in-flight ones finish within the grace period,
  // then cancels the rest and returns. Idempotent; not thread-safe.
  void Shutdown();

 private:
  Server(std::unique_ptr<grpc::Server> server, int port, absl::Duration grace,
         int max_message_bytes)
      : server_(std::move(server)), port_(port), grace_(grace),
        max_message_bytes_(max_message_bytes) {}

  std::unique_ptr<grpc::Server> server_;
  const int port_;
  const absl::Duration grace_;
  const int max_message_bytes_;
};

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_SERVER_H_
