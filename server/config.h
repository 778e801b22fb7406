// jobmatchd's configuration: a JSON file (config/jobmatchd_config.proto,
// documented in docs/configuration.md, example in deploy/jobmatchd.example.json)
// and command-line overrides of its keys, validated together once at start-up
// into ServiceOptions.
#ifndef JOBMATCH_SERVER_CONFIG_H_
#define JOBMATCH_SERVER_CONFIG_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "server/jobmatch_service.h"

namespace jobmatch {

// (dotted key, value as text) pairs, e.g. {"limits.max_threads", "8"}:
// command-line flags, applied over the file.
using ConfigOverrides = std::vector<std::pair<std::string, std::string>>;

// Reads `path` (none if empty), sets the keys in `overrides` over it, then
// validates the result and applies every key it sets onto `options`.
// InvalidArgument naming the key for unknown keys, bad JSON, values of the
// wrong type or out of range (whether from the file or an override);
// NotFound if the file cannot be read.
absl::Status LoadConfig(const std::string& path, const ConfigOverrides& overrides,
                        ServiceOptions* options);
absl::Status LoadConfigFile(const std::string& path, ServiceOptions* options);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_CONFIG_H_
