// The gRPC record services (SeekerService, VacancyService, EmployerService):
// thin adapters over RecordKeeper, one template for the three kinds.
// Callback (reactor) API: no thread per call.
#ifndef JOBMATCH_SERVER_RECORD_SERVICES_H_
#define JOBMATCH_SERVER_RECORD_SERVICES_H_

#include <memory>

#include "grpcpp/grpcpp.h"
#include "server/record_keeper.h"

namespace jobmatch {
class CallContexts;

// Bounds on what one call may ask for.
struct RecordServiceLimits {
  int max_page_size = 1000;
  int default_page_size = 100;
  // Records per group commit in Import.
  size_t import_batch = 512;
  // Records in one Import stream.
  size_t max_import_records = 1000000;
  // Budget for an Import response (ImportResponse in records_service.proto):
  // jobmatch_service.cc sets it to min(3 MiB, limits.max_message_bytes / 2),
  // under every gRPC client's default 4 MiB receive limit.
  size_t import_response_bytes = 3 << 20;
};

// Every call goes through `calls` (not owned): it is named, scoped, audited
// and viewed there (call_context.h). Seekers are scoped to the caller's
// municipalities: others read as NOT_FOUND, in the same words as a missing
// id, for every RPC; List leaves them out. A seeker sent without an id is
// created with an id the server issues; a scoped caller creates seekers only
// that way (the existence rule, record_services.cc PrepareWrite).
std::unique_ptr<grpc::Service> MakeSeekerService(RecordKeeper* keeper, RecordServiceLimits limits,
                                                 const CallContexts* calls);
std::unique_ptr<grpc::Service> MakeVacancyService(RecordKeeper* keeper, RecordServiceLimits limits,
                                                  const CallContexts* calls);
std::unique_ptr<grpc::Service> MakeEmployerService(RecordKeeper* keeper, RecordServiceLimits limits,
                                                   const CallContexts* calls);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_RECORD_SERVICES_H_
