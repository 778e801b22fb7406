#include "server/observability.h"

#include <atomic>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "server/http/prompt_stop.h"
#include "server/request_id.h"
#include "google/protobuf/descriptor.h"
#include "prometheus/exposer.h"
#include "prometheus/text_serializer.h"

namespace jobmatch {
namespace {

const char* CodeName(int code) {
  static constexpr const char* kNames[] = {
      "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
      "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
      "UNAUTHENTICATED"};
  return code >= 0 && code <= 16 ? kNames[code] : "UNKNOWN";
}

class ObservingInterceptor : public grpc::experimental::Interceptor {
 public:
  ObservingInterceptor(grpc::experimental::ServerRpcInfo* info, Metrics* metrics, bool log_all,
                       uint64_t request_id)
      : method_(info->method()), metrics_(metrics), log_all_(log_all),
        request_id_(absl::StrFormat("%016x", request_id)), start_(absl::Now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      // A caller that traces its own requests keeps its id.
      auto* received = methods->GetRecvInitialMetadata();
      auto it = received->find("x-request-id");
      if (it != received->end()) {
        if (auto id = PlainRequestId(std::string_view(it->second.data(), it->second.size()))) {
          request_id_ = *id;
        }
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      // The caller can quote it; it finds the log line.
      methods->GetSendInitialMetadata()->emplace("x-request-id", request_id_);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
      metrics_->RecordRpc(method_, status.error_code(), seconds);
      if (log_all_ || (!status.ok() && status.error_code() != grpc::StatusCode::NOT_FOUND &&
                       status.error_code() != grpc::StatusCode::INVALID_ARGUMENT &&
                       status.error_code() != grpc::StatusCode::ABORTED)) {
        // Method and status only: never request content (personal data).
        std::fprintf(stderr, "%s request_id=%s method=%s code=%s micros=%.0f\n",
                     absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()).c_str(),
                     request_id_.c_str(), MethodLabel(method_).c_str(), CodeName(status.error_code()),
                     seconds * 1e6);
      }
    }
    methods->Proceed();
  }

 private:
  const std::string method_;
  Metrics* const metrics_;
  const bool log_all_;
  std::string request_id_;  // ours, or the caller's from its initial metadata
  const absl::Time start_;
};

class ObservingFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  ObservingFactory(Metrics* metrics, bool log_all) : metrics_(metrics), log_all_(log_all) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    // Distinct within a process (an odd multiplier is a bijection) and,
    // by the random start, across restarts.
    const uint64_t n = next_.fetch_add(1, std::memory_order_relaxed);
    return new ObservingInterceptor(info, metrics_, log_all_, n * uint64_t{0x9e3779b97f4a7c15});
  }

 private:
  Metrics* const metrics_;
  const bool log_all_;
  std::atomic<uint64_t> next_{(uint64_t{std::random_device{}()} << 32) | std::random_device{}()};
};

}  // namespace

// Gauges read at scrape time (index sizes, rematch progress).
class ScrapedGauges : public prometheus::Collectable {
 public:
  struct Gauge {
    std::string name, help, label;
    Metrics::GaugeReader read;
  };
  void Add(Gauge gauge) {
    absl::MutexLock lock(&mu_);
    gauges_.push_back(std::move(gauge));
  }
  std::vector<prometheus::MetricFamily> Collect() const override {
    absl::MutexLock lock(&mu_);
    std::vector<prometheus::MetricFamily> families;
    for (const Gauge& g : gauges_) {
      prometheus::MetricFamily family;
      family.name = g.name;
      family.help = g.help;
      family.type = prometheus::MetricType::Gauge;
      for (const auto& [label_value, value] : g.read()) {
        prometheus::ClientMetric m;
        if (!g.label.empty()) m.label.push_back({g.label, label_value});
        m.gauge.value = value;
        family.metric.push_back(std::move(m));
      }
      families.push_back(std::move(family));
    }
    return families;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<Gauge> gauges_ ABSL_GUARDED_BY(mu_);
};

absl::StatusOr<std::unique_ptr<Metrics>> Metrics::Create(const std::string& listen_address) {
  std::unique_ptr<Metrics> m(new Metrics());
  m->registry_ = std::make_shared<prometheus::Registry>();
  m->requests_ = &prometheus::BuildCounter()
                      .Name("jobmatch_rpc_requests_total")
                      .Help("RPCs handled, by method and status code")
                      .Register(*m->registry_);
  m->latency_ = &prometheus::BuildHistogram()
                     .Name("jobmatch_rpc_latency_seconds")
                     .Help("RPC latency, by method and status code")
                     .Register(*m->registry_);
  m->scraped_ = std::make_shared<ScrapedGauges>();
  m->feedback_ = &prometheus::BuildCounter()
                      .Name("jobmatch_feedback_total")
                      .Help("Consultant feedback on suggested pairs, by outcome")
                      .Register(*m->registry_);
  m->rematch_runs_ = &prometheus::BuildCounter()
                          .Name("jobmatch_rematch_runs_total")
                          .Help("Finished rematch runs, by final state")
                          .Register(*m->registry_);
  for (const char* state : {"DONE", "FAILED", "CANCELLED"}) m->rematch_runs_->Add({{"state", state}});
  m->rematch_last_seconds_ = &prometheus::BuildGauge()
                                  .Name("jobmatch_rematch_last_run_seconds")
                                  .Help("Wall time of the last finished rematch run")
                                  .Register(*m->registry_)
                                  .Add({});
  m->rematch_last_finished_ = &prometheus::BuildGauge()
                                   .Name("jobmatch_rematch_last_run_finished_timestamp_seconds")
                                   .Help("Unix time the last rematch run finished")
                                   .Register(*m->registry_)
                                   .Add({});
  if (!listen_address.empty()) {
    try {  // prometheus-cpp reports a busy port by exception; keep it here.
      m->exposer_ = std::make_unique<prometheus::Exposer>(listen_address);
      m->listen_address_ = listen_address;
    } catch (const std::exception& e) {
      return absl::UnavailableError(
          absl::StrCat("metrics: cannot listen on ", listen_address, ": ", e.what()));
    }
    m->exposer_->RegisterCollectable(m->registry_);
    m->exposer_->RegisterCollectable(m->scraped_);
  }
  return m;
}

Metrics::~Metrics() {
  if (exposer_ == nullptr) return;
  const std::vector<int> ports = exposer_->GetListeningPorts();
  http::StopPromptly(listen_address_, ports.empty() ? 0 : ports.front(),
                     [this] { exposer_.reset(); });
}

std::string MethodLabel(std::string_view path) {
  if (path == "/grpc.health.v1.Health/Check" || path == "/grpc.health.v1.Health/Watch") {
    return std::string(path);
  }
  // "/pkg.Service/Method" of a service in the generated descriptor pool.
  const std::string p(path);
  const size_t slash = p.find('/', 1);
  if (p.size() > 1 && p[0] == '/' && slash != std::string::npos && slash + 1 < p.size()) {
    const std::string full = p.substr(1, slash - 1) + "." + p.substr(slash + 1);
    if (google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full) != nullptr) {
      return p;
    }
  }
  return kUnknownMethodLabel;
}

void Metrics::RecordRpc(const std::string& method, int code, double seconds) {
  if (code < 0 || code >= kCodes) code = static_cast<int>(grpc::StatusCode::UNKNOWN);
  RpcSeries series;
  {
    absl::ReaderMutexLock lock(&series_mu_);
    if (auto it = series_.find(method); it != series_.end()) series = it->second[code];
  }
  if (series.requests == nullptr) {
    const std::string label = MethodLabel(method);
    const std::map<std::string, std::string> labels = {{"method", label}, {"code", CodeName(code)}};
    static const prometheus::Histogram::BucketBoundaries kBuckets = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};
    series = {&requests_->Add(labels), &latency_->Add(labels, kBuckets)};
    // Only methods of the descriptor pool are kept, so that made-up method
    // names cannot grow the map.
    if (label != kUnknownMethodLabel) {
      absl::MutexLock lock(&series_mu_);
      series_[method][code] = series;
    }
  }
  series.requests->Increment();
  series.latency->Observe(seconds);
}

void Metrics::RecordFeedback(const std::string& outcome) {
  feedback_->Add({{"outcome", outcome}}).Increment();
}

void Metrics::RecordRematchRun(const std::string& state, double seconds) {
  rematch_runs_->Add({{"state", state}}).Increment();
  rematch_last_seconds_->Set(seconds);
  rematch_last_finished_->Set(absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch()));
}

void Metrics::AddScrapedGauge(std::string name, std::string help, std::string label,
                              GaugeReader read) {
  scraped_->Add({std::move(name), std::move(help), std::move(label), std::move(read)});
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> Metrics::InterceptorFactory(
    bool log_requests) {
  return std::make_unique<ObservingFactory>(this, log_requests);
}

std::string Metrics::Scrape() const {
  auto families = registry_->Collect();
  auto scraped = scraped_->Collect();
  families.insert(families.end(), scraped.begin(), scraped.end());
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace jobmatch
