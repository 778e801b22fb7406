#include "server/observability.h"

#include <atomic>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
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
      : method_(info->method()), metrics_(metrics), log_all_(log_all), request_id_(request_id),
        start_(absl::Now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
      metrics_->RecordRpc(method_, status.error_code(), seconds);
      if (log_all_ || (!status.ok() && status.error_code() != grpc::StatusCode::NOT_FOUND &&
                       status.error_code() != grpc::StatusCode::INVALID_ARGUMENT &&
                       status.error_code() != grpc::StatusCode::ABORTED)) {
        // Method and status only: never request content (personal data).
        std::fprintf(stderr, "%s request_id=%016lx method=%s code=%s micros=%.0f\n",
                     absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()).c_str(),
                     static_cast<unsigned long>(request_id_), method_.c_str(),
                     CodeName(status.error_code()), seconds * 1e6);
      }
    }
    methods->Proceed();
  }

 private:
  const std::string method_;
  Metrics* const metrics_;
  const bool log_all_;
  const uint64_t request_id_;
  const absl::Time start_;
};

class ObservingFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  ObservingFactory(Metrics* metrics, bool log_all) : metrics_(metrics), log_all_(log_all) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new ObservingInterceptor(info, metrics_, log_all_,
                                    next_id_.fetch_add(1) ^ (uint64_t{0x9e3779b97f4a7c15}));
  }

 private:
  Metrics* const metrics_;
  const bool log_all_;
  std::atomic<uint64_t> next_id_{1};
};

// Reads index sizes at scrape time.
class IndexCollectable : public prometheus::Collectable {
 public:
  explicit IndexCollectable(const std::function<std::pair<size_t, size_t>()>* sizes)
      : sizes_(sizes) {}
  std::vector<prometheus::MetricFamily> Collect() const override {
    if (!*sizes_) return {};
    const auto [seekers, vacancies] = (*sizes_)();
    prometheus::MetricFamily family;
    family.name = "jobmatch_index_records";
    family.help = "Records in the in-memory match index";
    family.type = prometheus::MetricType::Gauge;
    for (const auto& [kind, n] : {std::pair<const char*, size_t>{"seeker", seekers},
                                  std::pair<const char*, size_t>{"vacancy", vacancies}}) {
      prometheus::ClientMetric m;
      m.label.push_back({"kind", kind});
      m.gauge.value = static_cast<double>(n);
      family.metric.push_back(m);
    }
    return {family};
  }

 private:
  const std::function<std::pair<size_t, size_t>()>* sizes_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Metrics>> Metrics::Create(const std::string& listen_address) {
  std::unique_ptr<Metrics> m(new Metrics());
  m->registry_ = std::make_shared<prometheus::Registry>();
  m->requests_ = &prometheus::BuildCounter()
                      .Name("jobmatch_rpc_requests_total")
                      .Help("RPCs handled, by method and status code")
                      .Register(*m->registry_);
  m->latency_ = &prometheus::BuildHistogram()
                     .Name("jobmatch_rpc_latency_seconds")
                     .Help("RPC latency, by method")
                     .Register(*m->registry_);
  m->feedback_ = &prometheus::BuildCounter()
                      .Name("jobmatch_feedback_total")
                      .Help("Consultant feedback on suggested pairs, by outcome")
                      .Register(*m->registry_);
  if (!listen_address.empty()) {
    try {  // prometheus-cpp reports a busy port by exception; keep it here.
      m->exposer_ = std::make_unique<prometheus::Exposer>(listen_address);
    } catch (const std::exception& e) {
      return absl::UnavailableError(
          absl::StrCat("metrics: cannot listen on ", listen_address, ": ", e.what()));
    }
    m->exposer_->RegisterCollectable(m->registry_);
    m->exposer_->RegisterCollectable(std::make_shared<IndexCollectable>(&m->sizes_));
  }
  return m;
}

Metrics::~Metrics() = default;

void Metrics::RecordRpc(const std::string& method, int code, double seconds) {
  requests_->Add({{"method", method}, {"code", CodeName(code)}}).Increment();
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};
  latency_->Add({{"method", method}}, kBuckets).Observe(seconds);
}

void Metrics::RecordFeedback(const std::string& outcome) {
  feedback_->Add({{"outcome", outcome}}).Increment();
}

void Metrics::SetIndexSizes(std::function<std::pair<size_t, size_t>()> sizes) {
  sizes_ = std::move(sizes);
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> Metrics::InterceptorFactory(
    bool log_requests) {
  return std::make_unique<ObservingFactory>(this, log_requests);
}

std::string Metrics::Scrape() const {
  auto families = registry_->Collect();
  auto index = IndexCollectable(&sizes_).Collect();
  families.insert(families.end(), index.begin(), index.end());
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace jobmatch
