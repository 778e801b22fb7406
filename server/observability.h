// Observability, once for every RPC: a server interceptor that counts requests
// and measures latency per method and status code (Prometheus), and logs one
// line per request with a request id (errors always, all requests with
// log_requests). Metrics are served over HTTP by prometheus-cpp's Exposer.
#ifndef JOBMATCH_SERVER_OBSERVABILITY_H_
#define JOBMATCH_SERVER_OBSERVABILITY_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/support/server_interceptor.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace prometheus {
class Exposer;
}

namespace jobmatch {

class Metrics {
 public:
  // `listen_address` ("127.0.0.1:9464") serves /metrics; empty = no HTTP
  // endpoint (the registry still counts, e.g. for tests).
  static absl::StatusOr<std::unique_ptr<Metrics>> Create(const std::string& listen_address);
  ~Metrics();

  void RecordRpc(const std::string& method, int code, double seconds);
  void RecordFeedback(const std::string& outcome);
  // Sizes read at every scrape.
  void SetIndexSizes(std::function<std::pair<size_t, size_t>()> seekers_and_vacancies);
  // The interceptor factory to give to the gRPC server builder.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> InterceptorFactory(
      bool log_requests);
  // Text exposition of every metric (what /metrics serves).
  std::string Scrape() const;
  prometheus::Registry& registry() { return *registry_; }

 private:
  Metrics() = default;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  prometheus::Family<prometheus::Counter>* requests_ = nullptr;
  prometheus::Family<prometheus::Histogram>* latency_ = nullptr;
  prometheus::Family<prometheus::Counter>* feedback_ = nullptr;
  std::function<std::pair<size_t, size_t>()> sizes_;
};

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_OBSERVABILITY_H_
