#include "server/config.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "jobmatchd_config.pb.h"
#include "matcher/policy_fields.h"
#include "server/config_oidc.h"
#include "server/rematch_scheduler.h"

namespace jobmatch {
namespace {

absl::Status Range(const char* key, int64_t value, int64_t lo, int64_t hi) {
  if (value < lo || value > hi) {
    return absl::InvalidArgumentError(
        absl::StrCat("config ", key, ": must be within [", lo, ", ", hi, "], got ", value));
  }
  return absl::OkStatus();
}

absl::Status ApplySecurity(const config::SecurityConfig& c, auth::SecurityOptions* security) {
  security->tls_cert_file = c.tls_cert_file();
  security->tls_key_file = c.tls_key_file();
  security->client_ca_file = c.client_ca_file();
  security->require_client_cert = c.require_client_cert();
  security->allow_insecure_non_loopback = c.allow_insecure_non_loopback();
  security->auth_disabled_for_local_demo = c.auth_disabled_for_local_demo();
  if (security->tls_cert_file.empty() != security->tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "config security.tls_cert_file, security.tls_key_file: give both or neither");
  }
  if (security->require_client_cert && security->client_ca_file.empty()) {
    return absl::InvalidArgumentError(
        "config security.require_client_cert: needs security.client_ca_file");
  }
  if (c.has_rate_limit_per_second()) {
    const double rate = c.rate_limit_per_second();
    if (!(rate >= 0.1 && rate <= 100000)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "config security.rate_limit_per_second: must be within [0.1, 100000], got ", rate));
    }
    security->rate_limit_per_second = rate;
  }
  if (c.has_rate_limit_burst()) {
    if (auto s = Range("security.rate_limit_burst", c.rate_limit_burst(), 1, 1000000); !s.ok()) {
      return s;
    }
    security->rate_limit_burst = c.rate_limit_burst();
  }
  if (c.has_max_stream_messages()) {
    if (auto s = Range("security.max_stream_messages", c.max_stream_messages(), 0, 100000000);
        !s.ok()) {
      return s;
    }
    security->max_stream_messages = c.max_stream_messages();
  }
  // API keys and certificate identities: one id space, scoped the same way.
  std::vector<std::string> ids;
  auto identity = [&ids](const std::string& key, const std::string& id, config::Role role,
                         const auto& municipalities, bool all,
                         const auto& employer_ids) -> absl::Status {
    if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(key, ".id: must be set"));
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
      return absl::InvalidArgumentError(absl::StrCat(key, ".id: \"", id, "\" is used twice"));
    }
    ids.push_back(id);
    if (role == config::ROLE_UNSPECIFIED || !config::Role_IsValid(role)) {
      return absl::InvalidArgumentError(absl::StrCat(
          key, ".role: must be CASE_SYSTEM, VACANCY_FEED, CONSULTANT, BATCH, ADMIN or EMPLOYER"));
    }
    if (role == config::EMPLOYER) {
      if (employer_ids.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            key, ".employer_ids: an EMPLOYER needs the ids of its employers"));
      }
      if (all || municipalities.size() > 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            key, ".municipalities: an EMPLOYER has no municipality scope"));
      }
      return absl::OkStatus();
    }
    if (!employer_ids.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(key, ".employer_ids: only for role EMPLOYER"));
    }
    if (all == (municipalities.size() > 0)) {
      return absl::InvalidArgumentError(absl::StrCat(
          key, ".municipalities: give municipality codes or all_municipalities, not both"));
    }
    for (int j = 0; j < municipalities.size(); ++j) {
      if (municipalities.Get(j) < 101 || municipalities.Get(j) > 999) {
        return absl::InvalidArgumentError(
            absl::StrCat(key, ".municipalities[", j, "]: must be within [101, 999], got ",
                         municipalities.Get(j)));
      }
    }
    return absl::OkStatus();
  };
  security->api_keys.clear();
  for (int i = 0; i < c.api_keys_size(); ++i) {
    const config::ApiKeyConfig& k = c.api_keys(i);
    const std::string key = absl::StrCat("config security.api_keys[", i, "]");
    if (absl::Status s = identity(key, k.id(), k.role(), k.municipalities(), k.all_municipalities(),
                                  k.employer_ids());
        !s.ok()) {
      return s;
    }
    bool hex = k.sha256_hex().size() == 64;
    for (char ch : k.sha256_hex()) hex = hex && ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'));
    if (!hex) {
      return absl::InvalidArgumentError(
          absl::StrCat(key, ".sha256_hex: must be 64 lower-case hex digits (sha256sum of the key)"));
    }
    for (const auth::ApiKey& earlier : security->api_keys) {
      if (earlier.sha256_hex == k.sha256_hex()) {
        return absl::InvalidArgumentError(
            absl::StrCat(key, ".sha256_hex: the same key as api key \"", earlier.id, "\""));
      }
    }
    auth::ApiKey api_key;
    api_key.id = k.id();
    api_key.sha256_hex = k.sha256_hex();
    api_key.role = RoleOf(k.role());
    api_key.municipalities.assign(k.municipalities().begin(), k.municipalities().end());
    api_key.all_municipalities = k.all_municipalities();
    api_key.employer_ids.assign(k.employer_ids().begin(), k.employer_ids().end());
    security->api_keys.push_back(std::move(api_key));
  }
  security->client_certificates.clear();
  for (int i = 0; i < c.client_certificates_size(); ++i) {
    const config::ClientCertificateConfig& k = c.client_certificates(i);
    const std::string key = absl::StrCat("config security.client_certificates[", i, "]");
    if (absl::Status s = identity(key, k.id(), k.role(), k.municipalities(), k.all_municipalities(),
                                  k.employer_ids());
        !s.ok()) {
      return s;
    }
    if (k.common_name().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(key, ".common_name: must be set"));
    }
    auth::ClientCertificateIdentity cert;
    cert.id = k.id();
    cert.common_name = k.common_name();
    cert.role = RoleOf(k.role());
    cert.municipalities.assign(k.municipalities().begin(), k.municipalities().end());
    cert.all_municipalities = k.all_municipalities();
    cert.employer_ids.assign(k.employer_ids().begin(), k.employer_ids().end());
    security->client_certificates.push_back(std::move(cert));
  }
  return ApplyOidcProviders(c, security);
}

absl::Status ApplyRematch(const config::RematchConfig& c, ServiceOptions* options) {
  if (c.has_keep_snapshots()) {
    if (auto s = Range("rematch.keep_snapshots", c.keep_snapshots(), 1, 100); !s.ok()) return s;
    options->rematch_keep_snapshots = c.keep_snapshots();
  }
  if (c.has_report_min_cell_people()) {
    if (auto s = Range("rematch.report_min_cell_people", c.report_min_cell_people(), 1, 1000);
        !s.ok()) {
      return s;
    }
    options->report_min_cell_people = c.report_min_cell_people();
  }
  if (c.schedule().empty()) {
    if (!c.time_zone().empty()) {
      return absl::InvalidArgumentError("config rematch.time_zone: needs rematch.schedule");
    }
    return absl::OkStatus();
  }
  auto at = ParseDailyTime(c.schedule());
  if (!at.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("config rematch.schedule: ", at.status().message()));
  }
  const std::string zone_name = c.time_zone().empty() ? "Europe/Copenhagen" : c.time_zone();
  RematchSchedule schedule;
  schedule.at = *at;
  if (!absl::LoadTimeZone(zone_name, &schedule.zone)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config rematch.time_zone: cannot load time zone \"", zone_name,
        "\" for rematch.schedule (is tzdata installed? it reads /usr/share/zoneinfo)"));
  }
  options->rematch_schedule = std::move(schedule);
  return absl::OkStatus();
}

absl::Status ParseFile(const std::string& path, config::JobmatchdConfig* c) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("config ", path, ": cannot read"));
  std::stringstream text;
  text << in.rdbuf();
  google::protobuf::util::JsonParseOptions parse;
  parse.ignore_unknown_fields = false;  // a misspelt key is an error, not a silent default
  auto parsed = google::protobuf::util::JsonStringToMessage(text.str(), c, parse);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("config ", path, ": ", parsed.message().ToString()));
  }
  return absl::OkStatus();
}

// Sets the scalar at the dotted `key` (e.g. "limits.max_threads") from its
// text, by the schema's field type.
absl::Status SetKey(const std::string& key, const std::string& value,
                    google::protobuf::Message* message) {
  using google::protobuf::FieldDescriptor;
  auto bad = [&key](const std::string& why) {
    return absl::InvalidArgumentError(absl::StrCat("config override ", key, ": ", why));
  };
  const std::vector<std::string> parts = absl::StrSplit(key, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* field = message->GetDescriptor()->FindFieldByName(parts[i]);
    if (field == nullptr) return bad("no such key");
    if (field->is_repeated()) return bad("is a list; set it in the config file");
    const google::protobuf::Reflection* r = message->GetReflection();
    const bool last = i + 1 == parts.size();
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (last) return bad("is a section; name one of its keys");
      message = r->MutableMessage(message, field);
      continue;
    }
    if (!last) return bad("no such key");
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        r->SetString(message, field, value);
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_INT32: {
        int32_t v = 0;
        if (!absl::SimpleAtoi(value, &v)) return bad(absl::StrCat("not an integer: ", value));
        r->SetInt32(message, field, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_DOUBLE: {
        double v = 0;
        if (!absl::SimpleAtod(value, &v)) return bad(absl::StrCat("not a number: ", value));
        r->SetDouble(message, field, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_BOOL: {
        bool v = false;
        if (!absl::SimpleAtob(value, &v)) return bad(absl::StrCat("not true or false: ", value));
        r->SetBool(message, field, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_ENUM: {
        const auto* e = field->enum_type()->FindValueByName(value);
        if (e == nullptr) return bad(absl::StrCat("not one of the names of ", field->enum_type()->name(), ": ", value));
        r->SetEnum(message, field, e);
        return absl::OkStatus();
      }
      default:
        return bad("cannot be set from the command line");
    }
  }
  return bad("empty key");
}

}  // namespace

absl::Status LoadConfigFile(const std::string& path, ServiceOptions* options) {
  return LoadConfig(path, {}, options);
}

absl::Status LoadConfig(const std::string& path, const ConfigOverrides& overrides,
                        ServiceOptions* options) {
  config::JobmatchdConfig c;
  if (!path.empty()) {
    if (absl::Status s = ParseFile(path, &c); !s.ok()) return s;
  }
  for (const auto& [key, value] : overrides) {
    if (absl::Status s = SetKey(key, value, &c); !s.ok()) return s;
  }
  if (!c.listen().empty()) options->server.listen_address = c.listen();
  if (!c.data_dir().empty()) options->data_dir = c.data_dir();
  if (!c.reference_data().empty()) options->reference_data_dir = c.reference_data();
  if (!c.travel_time_matrix().empty()) options->travel_time_matrix = c.travel_time_matrix();
  if (!c.metrics_listen().empty()) options->metrics_listen = c.metrics_listen();
  if (!c.backup_dir().empty()) options->backup_dir = c.backup_dir();
  if (!c.http_listen().empty()) options->http.listen_address = c.http_listen();
  if (!c.web_root().empty()) options->http.web_root = c.web_root();
  if (c.has_http_keep_alive_seconds()) {
    if (auto s = Range("http_keep_alive_seconds", c.http_keep_alive_seconds(), 1, 300); !s.ok()) {
      return s;
    }
    options->http.keep_alive_seconds = c.http_keep_alive_seconds();
  }
  if (c.has_http_threads()) {
    if (auto s = Range("http_threads", c.http_threads(), 1, 1024); !s.ok()) return s;
    options->http.threads = c.http_threads();
  }
  if (!c.replica_of().empty()) options->replica_of = c.replica_of();
  if (!c.primary_address().empty()) {
    if (c.replica_of().empty()) {
      return absl::InvalidArgumentError(
          "config primary_address: only a read replica names its primary; set replica_of too");
    }
    options->primary_address = c.primary_address();
  }
  if (c.has_replica_poll_ms()) {
    if (auto s = Range("replica_poll_ms", c.replica_poll_ms(), 10, 60000); !s.ok()) return s;
    options->replica_poll = absl::Milliseconds(c.replica_poll_ms());
  }
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
  if (c.has_rematch_threads()) {
    if (auto s = Range("rematch_threads", c.rematch_threads(), 1, 64); !s.ok()) return s;
    options->rematch_threads = c.rematch_threads();
  }
  if (absl::Status s = ApplyRematch(c.rematch(), options); !s.ok()) return s;
  if (c.audit().has_retention_days()) {
    if (auto s = Range("audit.retention_days", c.audit().retention_days(), 183, 3650); !s.ok()) {
      return s;
    }
    options->audit_retention = absl::Hours(24) * c.audit().retention_days();
  }
  if (c.has_security()) {
    if (absl::Status s = ApplySecurity(c.security(), &options->security); !s.ok()) return s;
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
  // Every field of the one policy table, by name (a test checks that the
  // config proto has them all).
  {
    const google::protobuf::Descriptor* d = p.GetDescriptor();
    const google::protobuf::Reflection* r = p.GetReflection();
    for (const matcher::PolicyField& f : matcher::PolicyFields()) {
      const google::protobuf::FieldDescriptor* field = d->FindFieldByName(f.name);
      if (field == nullptr || !r->HasField(p, field)) continue;
      switch (field->cpp_type()) {
        case google::protobuf::FieldDescriptor::CPPTYPE_DOUBLE: f.Set(&policy, r->GetDouble(p, field)); break;
        case google::protobuf::FieldDescriptor::CPPTYPE_INT32: f.Set(&policy, r->GetInt32(p, field)); break;
        case google::protobuf::FieldDescriptor::CPPTYPE_BOOL: f.Set(&policy, r->GetBool(p, field) ? 1 : 0); break;
        default: break;
      }
    }
  }
  if (absl::Status s = policy.Validate(); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("config ", s.message()));
  }
  return absl::OkStatus();
}

}  // namespace jobmatch
