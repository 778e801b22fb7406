#include "server/config.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "jobmatchd_config.pb.h"

namespace jobmatch {
namespace {

absl::Status Range(const char* key, int64_t value, int64_t lo, int64_t hi) {
  if (value < lo || value > hi) {
    return absl::InvalidArgumentError(
        absl::StrCat("config ", key, ": must be within [", lo, ", ", hi, "], got ", value));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status LoadConfigFile(const std::string& path, ServiceOptions* options) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("config ", path, ": cannot read"));
  std::stringstream text;
  text << in.rdbuf();
  config::JobmatchdConfig c;
  google::protobuf::util::JsonParseOptions parse;
  parse.ignore_unknown_fields = false;  // a misspelt key is an error, not a silent default
  auto parsed = google::protobuf::util::JsonStringToMessage(text.str(), &c, parse);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("config ", path, ": ", parsed.message().ToString()));
  }
  if (!c.listen().empty()) options->server.listen_address = c.listen();
  if (!c.data_dir().empty()) options->data_dir = c.data_dir();
  if (!c.reference_data().empty()) options->reference_data_dir = c.reference_data();
  if (!c.travel_time_matrix().empty()) options->travel_time_matrix = c.travel_time_matrix();
  if (!c.metrics_listen().empty()) options->metrics_listen = c.metrics_listen();
  options->log_requests = options->log_requests || c.log_requests();
  if (c.has_shutdown_grace_seconds()) {
    if (auto s = Range("shutdown_grace_seconds", c.shutdown_grace_seconds(), 0, 600); !s.ok()) return s;
    options->server.shutdown_grace = absl::Seconds(c.shutdown_grace_seconds());
  }
  if (c.has_keepalive_time_seconds()) {
    if (auto s = Range("keepalive_time_seconds", c.keepalive_time_seconds(), 10, 86400); !s.ok()) return s;
    options->server.keepalive_time = absl::Seconds(c.keepalive_time_seconds());
  }
  if (c.has_keepalive_timeout_seconds()) {
    if (auto s = Range("keepalive_timeout_seconds", c.keepalive_timeout_seconds(), 1, 600); !s.ok()) return s;
    options->server.keepalive_timeout = absl::Seconds(c.keepalive_timeout_seconds());
  }
  const auto& l = c.limits();
  if (l.has_max_message_bytes()) {
    if (auto s = Range("limits.max_message_bytes", l.max_message_bytes(), 1024, 1 << 30); !s.ok()) return s;
    options->server.max_message_bytes = l.max_message_bytes();
  }
  if (l.has_max_concurrent_streams()) {
    if (auto s = Range("limits.max_concurrent_streams", l.max_concurrent_streams(), 1, 10000); !s.ok()) return s;
    options->server.max_concurrent_streams = l.max_concurrent_streams();
  }
  if (l.has_max_threads()) {
    if (auto s = Range("limits.max_threads", l.max_threads(), 2, 1024); !s.ok()) return s;
    options->server.max_threads = l.max_threads();
  }
  if (l.has_max_page_size()) {
    if (auto s = Range("limits.max_page_size", l.max_page_size(), 1, 10000); !s.ok()) return s;
    options->record_limits.max_page_size = l.max_page_size();
  }
  if (l.has_max_match_limit()) {
    if (auto s = Range("limits.max_match_limit", l.max_match_limit(), 1, 1000); !s.ok()) return s;
    options->match_options.max_limit = l.max_match_limit();
  }
  if (l.has_import_batch()) {
    if (auto s = Range("limits.import_batch", l.import_batch(), 1, 100000); !s.ok()) return s;
    options->record_limits.import_batch = static_cast<size_t>(l.import_batch());
  }
  const auto& p = c.policy();
  matcher::Policy& policy = options->policy;
  if (!p.version().empty()) policy.version = p.version();
  if (p.has_weight_essential_skills()) policy.weight_essential_skills = p.weight_essential_skills();
  if (p.has_weight_optional_skills()) policy.weight_optional_skills = p.weight_optional_skills();
  if (p.has_weight_education()) policy.weight_education = p.weight_education();
  if (p.has_weight_occupation()) policy.weight_occupation = p.weight_occupation();
  if (p.has_weight_commute()) policy.weight_commute = p.weight_commute();
  if (p.has_weight_hours()) policy.weight_hours = p.weight_hours();
  if (p.has_weight_needs_fit()) policy.weight_needs_fit = p.weight_needs_fit();
  if (p.has_requirements_share()) policy.requirements_share = p.requirements_share();
  if (p.has_occupation_breadth()) policy.occupation_breadth = p.occupation_breadth();
  if (absl::Status s = policy.Validate(); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("config ", s.message()));
  }
  return absl::OkStatus();
}

}  // namespace jobmatch
