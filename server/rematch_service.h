// RematchService: the gRPC adapter over RematchRunner.
#ifndef JOBMATCH_SERVER_REMATCH_SERVICE_H_
#define JOBMATCH_SERVER_REMATCH_SERVICE_H_

#include <memory>

#include "grpcpp/grpcpp.h"
#include "server/rematch_runner.h"

namespace jobmatch {

std::unique_ptr<grpc::Service> MakeRematchService(RematchRunner* runner);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_REMATCH_SERVICE_H_
