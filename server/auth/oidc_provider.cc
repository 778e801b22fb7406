#include "server/auth/oidc_provider.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace jobmatch::auth {
namespace {

using google::protobuf::Value;

absl::Status Refuse(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("bearer token: ", why));
}

// The claim as a list of values: an array's elements, or the value itself.
std::vector<const Value*> ClaimValues(const Jwt& jwt, const std::string& name) {
  std::vector<const Value*> values;
  auto it = jwt.claims.fields().find(name);
  if (it == jwt.claims.fields().end()) return values;
  if (it->second.kind_case() == Value::kListValue) {
    for (const Value& v : it->second.list_value().values()) values.push_back(&v);
  } else {
    values.push_back(&it->second);
  }
  return values;
}

bool IsKommunekode(int code) { return code >= 101 && code <= 999; }

// A number without fraction, or a string of digits.
bool KommunekodeOf(const Value& value, int* code) {
  if (value.kind_case() == Value::kStringValue) return absl::SimpleAtoi(value.string_value(), code);
  if (value.kind_case() != Value::kNumberValue) return false;
  const double number = value.number_value();
  if (!(std::abs(number) < 1e6) || std::trunc(number) != number) return false;
  *code = static_cast<int>(number);
  return true;
}

JwtRules RulesOf(const OidcProviderOptions& options) {
  JwtRules rules;
  rules.issuer = options.issuer;
  rules.audience = options.audience;
  rules.clock_skew = options.clock_skew;
  return rules;
}

}  // namespace

OidcProvider::OidcProvider(OidcProviderOptions options, std::unique_ptr<JwksSource> jwks)
    : options_(std::move(options)), rules_(RulesOf(options_)), jwks_(std::move(jwks)) {}

absl::StatusOr<std::unique_ptr<OidcProvider>> OidcProvider::Create(OidcProviderOptions options,
                                                                   const std::string& where) {
  auto invalid = [&where](absl::string_view member, absl::string_view rule) {
    return absl::InvalidArgumentError(absl::StrCat(where, ".", member, ": ", rule));
  };
  if (options.id.empty() || options.id.find('/') != std::string::npos) {
    return invalid("id", "must be set, without '/'");
  }
  if (options.issuer.empty()) return invalid("issuer", "must be set (the tokens' iss)");
  if (options.audience.empty()) return invalid("audience", "must be set (jobmatchd's client id)");
  if (options.subject_claim.empty()) return invalid("subject_claim", "must not be empty");
  if (options.role_claim.empty()) return invalid("role_claim", "must not be empty");
  if (options.roles.empty()) {
    return invalid("roles", "map at least one value of the role claim to a role");
  }
  std::set<std::string> values;
  for (size_t i = 0; i < options.roles.size(); ++i) {
    if (options.roles[i].claim_value.empty() ||
        !values.insert(options.roles[i].claim_value).second) {
      return invalid(absl::StrCat("roles[", i, "].claim_value"), "must be set and unique");
    }
  }
  for (size_t i = 0; i < options.municipalities.size(); ++i) {
    if (!IsKommunekode(options.municipalities[i])) {
      return invalid(absl::StrCat("municipalities[", i, "]"),
                     absl::StrCat("must be within [101, 999], got ", options.municipalities[i]));
    }
  }
  if (options.municipalities_claim.empty() && options.municipalities.empty()) {
    return invalid("municipalities",
                   "give the provider's municipalities, or municipalities_claim, or both");
  }
  if (options.clock_skew < absl::ZeroDuration() || options.clock_skew > absl::Minutes(5)) {
    return invalid("clock_skew_seconds", "must be within [0, 300]");
  }
  if (options.jwks_file.empty() == options.jwks_uri.empty()) {
    return invalid("jwks_file", "give exactly one of jwks_file and jwks_uri");
  }
  if (!options.jwks_file.empty()) {
    absl::StatusOr<std::unique_ptr<JwksFile>> jwks =
        JwksFile::Open(options.jwks_file, options.jwks_check_interval);
    if (!jwks.ok()) return invalid("jwks_file", jwks.status().message());
    return std::unique_ptr<OidcProvider>(new OidcProvider(std::move(options), *std::move(jwks)));
  }
  if (options.jwks_refresh < absl::Seconds(10) || options.jwks_refresh > absl::Hours(24)) {
    return invalid("jwks_refresh_seconds", "must be within [10, 86400]");
  }
  if (options.jwks_timeout < absl::Milliseconds(100) || options.jwks_timeout > absl::Seconds(60)) {
    return invalid("jwks_timeout_ms", "must be within [100, 60000]");
  }
  if (options.jwks_max_bytes < 1024 || options.jwks_max_bytes > (16u << 20)) {
    return invalid("jwks_max_bytes", "must be within [1024, 16777216]");
  }
  JwksUrlOptions url;
  url.uri = options.jwks_uri;
  url.get.ca_file = options.jwks_ca_file;
  url.get.timeout = options.jwks_timeout;
  url.get.max_bytes = options.jwks_max_bytes;
  url.get.allow_loopback_http = options.jwks_allow_loopback_http;
  url.refresh = options.jwks_refresh;
  url.min_refetch = std::min(absl::Seconds(10), options.jwks_refresh);
  absl::StatusOr<std::unique_ptr<JwksUrl>> jwks = JwksUrl::Open(std::move(url));
  if (!jwks.ok()) return invalid("jwks_uri", jwks.status().message());
  return std::unique_ptr<OidcProvider>(new OidcProvider(std::move(options), *std::move(jwks)));
}

absl::StatusOr<Caller> OidcProvider::Authenticate(const Jwt& jwt, absl::Time now) const {
  std::shared_ptr<const Jwk> key = jwks_->Find(jwt.kid, now);
  if (key == nullptr) {
    return Refuse(absl::StrCat("key id (kid) \"", Printable(jwt.kid), "\" is not in the JWKS of provider \"",
                               options_.id, "\""));
  }
  if (absl::Status s = VerifyJwtSignature(jwt, *key); !s.ok()) return s;
  if (absl::Status s = CheckJwtClaims(jwt, rules_, now); !s.ok()) return s;
  Caller caller;
  caller.credential = Caller::Credential::kBearerToken;
  if (absl::Status s = MapClaims(jwt, &caller); !s.ok()) return s;
  return caller;
}

absl::Status OidcProvider::MapClaims(const Jwt& jwt, Caller* caller) const {
  const std::string subject = StringClaim(jwt, options_.subject_claim.c_str());
  const bool printable = std::all_of(subject.begin(), subject.end(),
                                     [](char c) { return c >= 0x21 && c <= 0x7e; });
  if (subject.empty() || subject.size() > 200 || !printable) {
    return Refuse(absl::StrCat("claim ", options_.subject_claim,
                               " must be 1-200 printable characters without spaces"));
  }
  caller->id = absl::StrCat(options_.id, "/", subject);

  std::vector<std::string> claimed;
  std::set<Role> roles;
  bool all_municipalities = false;
  for (const Value* value : ClaimValues(jwt, options_.role_claim)) {
    if (value->kind_case() != Value::kStringValue) continue;
    if (claimed.size() < 8) claimed.push_back(Printable(value->string_value()));
    for (const OidcRoleMapping& mapping : options_.roles) {
      if (mapping.claim_value == value->string_value()) {
        roles.insert(mapping.role);
        all_municipalities = all_municipalities || mapping.all_municipalities;
      }
    }
  }
  if (roles.empty()) {
    return Refuse(absl::StrCat("role claim ", options_.role_claim, " [",
                               absl::StrJoin(claimed, ", "), "] maps to no configured role"));
  }
  if (roles.size() > 1) {
    std::vector<std::string> names;
    for (Role role : roles) names.emplace_back(RoleName(role));
    return Refuse(absl::StrCat("role claim ", options_.role_claim, " maps to more than one role (",
                               absl::StrJoin(names, ", "), "); a caller has exactly one"));
  }
  caller->role = *roles.begin();
  if (all_municipalities) {
    caller->all_municipalities = true;
    return absl::OkStatus();
  }
  if (options_.municipalities_claim.empty()) {
    caller->municipalities = options_.municipalities;
    return absl::OkStatus();
  }
  const std::vector<const Value*> values = ClaimValues(jwt, options_.municipalities_claim);
  if (values.empty()) {
    return Refuse(absl::StrCat("claim ", options_.municipalities_claim,
                               " (municipalities) is missing or empty"));
  }
  for (const Value* value : values) {
    int code = 0;
    const bool parsed = KommunekodeOf(*value, &code);
    if (!parsed || !IsKommunekode(code)) {
      return Refuse(absl::StrCat("claim ", options_.municipalities_claim,
                                 ": every entry must be a kommunekode within [101, 999]"));
    }
    if (!options_.municipalities.empty() &&
        std::find(options_.municipalities.begin(), options_.municipalities.end(), code) ==
            options_.municipalities.end()) {
      return Refuse(absl::StrCat("claim ", options_.municipalities_claim, ": municipality ", code,
                                 " is not one provider \"", options_.id, "\" speaks for"));
    }
    if (std::find(caller->municipalities.begin(), caller->municipalities.end(), code) ==
        caller->municipalities.end()) {
      caller->municipalities.push_back(code);
    }
  }
  return absl::OkStatus();
}

}  // namespace jobmatch::auth
