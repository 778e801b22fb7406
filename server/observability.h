// Observability, once for every RPC: a server interceptor that counts requests
// and measures latency per method and status code (Prometheus), gives every
// call a request id (the caller's own `x-request-id` if it sends a plain one
// of at most 64 characters, else a random one; returned as `x-request-id`
// initial metadata) and logs one line per request with it (errors always, all
// requests with log_requests; never request content). Metrics are served
// over HTTP by prometheus-cpp's Exposer.
#ifndef JOBMATCH_SERVER_OBSERVABILITY_H_
#define JOBMATCH_SERVER_OBSERVABILITY_H_

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
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

class ScrapedGauges;

// The label of method path `path` in metrics and logs: the path if it names
// an RPC of the generated descriptor pool (jobmatch.v1, health, reflection),
// else kUnknownMethodLabel, so that made-up method names cannot grow the
// metrics (or fill the log with client-chosen text).
inline constexpr char kUnknownMethodLabel[] = "(unknown method)";
std::string MethodLabel(std::string_view path);

class Metrics {
 public:
  // `listen_address` ("127.0.0.1:9464") serves /metrics; empty = no HTTP
  // endpoint (the registry still counts, e.g. for tests).
  static absl::StatusOr<std::unique_ptr<Metrics>> Create(const std::string& listen_address);
  ~Metrics();

  // Counts one finished RPC and its latency, both by method (MethodLabel)
  // and status code. Calls refused before any handler count here too.
  void RecordRpc(const std::string& method, int code, double seconds);
  void RecordFeedback(const std::string& outcome);
  // Counts a finished rematch run by final state ("DONE", "FAILED",
  // "CANCELLED") and sets the last run's duration and end time.
  void RecordRematchRun(const std::string& state, double seconds);

  // A gauge family whose values `read` returns at every scrape, as
  // (label value, value) pairs under one label name (e.g. kind="seeker").
  // `read` runs on the scraping thread, must be thread-safe and must stay
  // valid until this Metrics is destroyed.
  using GaugeReader = std::function<std::vector<std::pair<std::string, double>>()>;
  void AddScrapedGauge(std::string name, std::string help, std::string label, GaugeReader read);
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
  std::string listen_address_;  // the exposer's, for a prompt stop
  prometheus::Family<prometheus::Counter>* requests_ = nullptr;
  prometheus::Family<prometheus::Histogram>* latency_ = nullptr;
  prometheus::Family<prometheus::Counter>* feedback_ = nullptr;
  prometheus::Family<prometheus::Counter>* rematch_runs_ = nullptr;
  prometheus::Gauge* rematch_last_seconds_ = nullptr;
  prometheus::Gauge* rematch_last_finished_ = nullptr;
  std::shared_ptr<ScrapedGauges> scraped_;
  // RecordRpc's series by method path and status code, found once: the
  // label map, the method's descriptor lookup and the families' own locked
  // lookups cost more than the count itself.
  static constexpr int kCodes = 17;
  struct RpcSeries {
    prometheus::Counter* requests = nullptr;
    prometheus::Histogram* latency = nullptr;
  };
  absl::Mutex series_mu_;
  absl::flat_hash_map<std::string, std::array<RpcSeries, kCodes>> series_
      ABSL_GUARDED_BY(series_mu_);
};

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_OBSERVABILITY_H_
