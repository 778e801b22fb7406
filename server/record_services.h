// The gRPC record services (SeekerService, VacancyService, EmployerService):
// thin adapters over RecordKeeper, one template for the three kinds.
// Callback (reactor) API: no thread per call.
#ifndef JOBMATCH_SERVER_RECORD_SERVICES_H_
#define JOBMATCH_SERVER_RECORD_SERVICES_H_

#include <memory>

#include "grpcpp/grpcpp.h"
#include "server/access_scope.h"
#include "server/record_keeper.h"

namespace jobmatch {
namespace audit {
class Auditor;
}

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

// `scope_of` (may be null: unrestricted) limits each caller to the seekers of
// its municipalities: others read as NOT_FOUND and cannot be written
// (PERMISSION_DENIED); List leaves them out.
// `auditor` (may be null: no audit; not owned) logs every write, and every
// Get and List of seekers; a call whose entry cannot be written fails.
std::unique_ptr<grpc::Service> MakeSeekerService(RecordKeeper* keeper, RecordServiceLimits limits,
                                                 ScopeOfCall scope_of = nullptr,
                                                 const audit::Auditor* auditor = nullptr);
std::unique_ptr<grpc::Service> MakeVacancyService(RecordKeeper* keeper, RecordServiceLimits limits,
                                                  const audit::Auditor* auditor = nullptr);
std::unique_ptr<grpc::Service> MakeEmployerService(RecordKeeper* keeper, RecordServiceLimits limits,
                                                   const audit::Auditor* auditor = nullptr);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_RECORD_SERVICES_H_
