// AdminService: the gRPC adapter for operations on a running jobmatchd
// (online backups into the configured backup folder).
#ifndef JOBMATCH_SERVER_ADMIN_SERVICE_H_
#define JOBMATCH_SERVER_ADMIN_SERVICE_H_

#include <memory>
#include <string>

#include "grpcpp/grpcpp.h"
#include "storage/store.h"

namespace jobmatch {

class CallContexts;

// `store` is not owned and must outlive the service. `backup_dir` is the
// folder backups go under; empty = backups refused (FAILED_PRECONDITION).
// Every call goes through `calls` (call_context.h): every backup leaves an audit entry (a copy of all
// the data is the widest read there is).
std::unique_ptr<grpc::Service> MakeAdminService(storage::Store* store, std::string backup_dir,
                                                const CallContexts* calls);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_ADMIN_SERVICE_H_
