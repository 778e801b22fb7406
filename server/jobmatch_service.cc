#include "server/jobmatch_service.h"

#include "absl/strings/str_cat.h"
#include "server/rematch_service.h"
#include "grpcpp/impl/codegen/service_type.h"

namespace jobmatch {

absl::StatusOr<std::unique_ptr<JobmatchService>> JobmatchService::Start(
    const ServiceOptions& options) {
  if (absl::Status s = options.policy.Validate(); !s.ok()) return s;
  std::unique_ptr<JobmatchService> service(new JobmatchService());
  auto data = matcher::ReferenceData::Load(options.reference_data_dir,
                                           options.travel_time_matrix);
  if (!data.ok()) return data.status();
  service->data_ = std::move(*data);
  auto store = storage::Store::Open(storage::StoreOptions{options.data_dir});
  if (!store.ok()) return store.status();
  service->store_ = std::move(*store);
  service->scorer_ = std::make_unique<matcher::Scorer>(
      service->data_->taxonomy.get(), service->data_->commute.get(), service->data_->schemes.get());
  service->index_ = std::make_unique<matcher::MatchIndex>(service->scorer_.get(), options.policy);
  service->keeper_ = std::make_unique<RecordKeeper>(service->store_.get(), service->index_.get(),
                                                    service->data_.get());

  auto* keeper = service->keeper_.get();
  service->services_.push_back(MakeSeekerService(keeper, options.record_limits));
  service->services_.push_back(MakeVacancyService(keeper, options.record_limits));
  service->services_.push_back(MakeEmployerService(keeper, options.record_limits));
  auto metrics = Metrics::Create(options.metrics_listen);
  if (!metrics.ok()) return metrics.status();
  service->metrics_ = std::move(*metrics);
  service->services_.push_back(MakeMatchService(service->index_.get(), service->store_.get(),
                                                service->metrics_.get(), service->data_.get(),
                                                options.match_options));
  service->rematch_ = std::make_unique<RematchRunner>(
      service->index_.get(), service->store_.get(), options.rematch_threads);
  service->services_.push_back(MakeRematchService(service->rematch_.get()));
  std::vector<grpc::Service*> raw;
  for (auto& s : service->services_) raw.push_back(s.get());
  matcher::MatchIndex* index = service->index_.get();
  service->metrics_->SetIndexSizes([index] {
    return std::make_pair(index->seeker_count(), index->vacancy_count());
  });
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(service->metrics_->InterceptorFactory(options.log_requests));
  auto server = Server::Start(options.server, raw, std::move(interceptors));
  if (!server.ok()) return server.status();
  service->server_ = std::move(*server);

  auto stats = service->keeper_->RebuildIndex();
  if (!stats.ok()) return stats.status();
  service->rebuild_stats_ = *stats;
  service->server_->SetServing(true);
  return service;
}

JobmatchService::~JobmatchService() { Shutdown(); }

void JobmatchService::Shutdown() {
  if (server_ != nullptr) server_->Shutdown();
  server_.reset();
  services_.clear();
  rematch_.reset();  // cancels a run in progress
  keeper_.reset();
  index_.reset();
  store_.reset();  // closes RocksDB after the last call has finished
  metrics_.reset();
}

}  // namespace jobmatch
