// Stopping a CivetWeb server without its 2-s wait. CivetWeb's listening
// thread sees that it should stop only when its wait for new connections
// ends, up to 2 s on an idle port; a connection to the port ends it at
// once. Used by the HTTP port (HttpGateway) and the metrics port
// (prometheus-cpp's Exposer, CivetWeb inside).
#ifndef JOBMATCH_SERVER_HTTP_PROMPT_STOP_H_
#define JOBMATCH_SERVER_HTTP_PROMPT_STOP_H_

#include <string>

#include "absl/functional/function_ref.h"

namespace jobmatch::http {

// Runs `stop` (which stops a CivetWeb server listening on `listen_address`,
// host:port, whose bound port is `port`) on a thread of its own, and
// meanwhile, when the address is loopback (auth::IsLoopbackAddress), opens
// and closes a connection to it every 20 ms until `stop` returns. A server
// bound to another address, and threads waiting on kept-alive connections,
// still stop in CivetWeb's own time.
void StopPromptly(const std::string& listen_address, int port, absl::FunctionRef<void()> stop);

}  // namespace jobmatch::http

#endif  // JOBMATCH_SERVER_HTTP_PROMPT_STOP_H_
