// The OpenAPI 3 description of the JSON-over-HTTP API, generated at run time
// from the compiled-in descriptors of jobmatch.v1 (every service, every
// method, every message reachable from them) and the GET routes. Served at
// /openapi.json.
#ifndef JOBMATCH_SERVER_HTTP_OPENAPI_H_
#define JOBMATCH_SERVER_HTTP_OPENAPI_H_

#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"

namespace jobmatch::http {

// Every service of jobmatch.v1 compiled into this binary, found by walking
// the descriptor pool from the package's .proto files (listed at build time
// from proto/jobmatch/v1/).
std::vector<const google::protobuf::ServiceDescriptor*> JobmatchServices();

// The document as JSON text.
std::string OpenApiJson(const std::vector<const google::protobuf::ServiceDescriptor*>& services,
                        const std::string& version);

}  // namespace jobmatch::http

#endif  // JOBMATCH_SERVER_HTTP_OPENAPI_H_
