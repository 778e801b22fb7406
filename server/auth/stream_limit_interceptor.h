// Bounds the number of messages one client-streaming (or bidirectional)
// call may send: the call is cancelled once it exceeds the limit, so the
// handler's next Read() fails and a client that streams forever cannot keep
// a handler (and what it accumulates) alive. Per-message size is bounded
// separately by the server's maximum receive message size.
#ifndef JOBMATCH_SERVER_AUTH_STREAM_LIMIT_INTERCEPTOR_H_
#define JOBMATCH_SERVER_AUTH_STREAM_LIMIT_INTERCEPTOR_H_

#include <cstdint>
#include <memory>

#include "grpcpp/support/server_interceptor.h"

namespace jobmatch::auth {

// `max_messages` <= 0 means unlimited (the factory then intercepts nothing).
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeStreamLimitInterceptorFactory(int64_t max_messages);

}  // namespace jobmatch::auth

#endif  // JOBMATCH_SERVER_AUTH_STREAM_LIMIT_INTERCEPTOR_H_
