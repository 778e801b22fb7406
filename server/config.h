// jobmatchd's configuration: a JSON file (config/jobmatchd_config.proto,
// documented in docs/configuration.md, example in deploy/jobmatchd.example.json)
// loaded and validated once at start-up into ServiceOptions.
#ifndef JOBMATCH_SERVER_CONFIG_H_
#define JOBMATCH_SERVER_CONFIG_H_

#include <string>

#include "absl/status/status.h"
#include "server/jobmatch_service.h"

namespace jobmatch {

// Reads `path` and applies every key it sets onto `options`. InvalidArgument
// naming the key for unknown keys, bad JSON or out-of-range values;
// NotFound if the file cannot be read.
absl::Status LoadConfigFile(const std::string& path, ServiceOptions* options);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_CONFIG_H_
