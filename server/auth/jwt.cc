#include "server/auth/jwt.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <cmath>
#include <memory>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"

namespace jobmatch::auth {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

absl::Status Refuse(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("bearer token: ", why));
}

absl::StatusOr<Struct> DecodeJsonPart(absl::string_view part, const char* what) {
  std::string json;
  if (!DecodeBase64Url(part, &json)) {
    return Refuse(absl::StrCat("the ", what, " is not base64url"));
  }
  Struct object;
  if (!google::protobuf::util::JsonStringToMessage(json, &object).ok()) {
    return Refuse(absl::StrCat("the ", what, " is not a JSON object"));
  }
  return object;
}

std::string StringMember(const Struct& object, const char* name) {
  auto it = object.fields().find(name);
  if (it == object.fields().end() || it->second.kind_case() != Value::kStringValue) return "";
  return it->second.string_value();
}

// ES256 signatures are r || s, 32 bytes each (RFC 7518 §3.4); OpenSSL
// verifies the DER ECDSA-Sig-Value.
bool Es256ToDer(const std::string& raw, std::string* der) {
  if (raw.size() != 64) return false;
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(bytes, 32, nullptr);
  BIGNUM* s = BN_bin2bn(bytes + 32, 32, nullptr);
  if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return false;
  }
  unsigned char* out = nullptr;
  const int length = i2d_ECDSA_SIG(sig, &out);
  ECDSA_SIG_free(sig);
  if (length <= 0) return false;
  der->assign(reinterpret_cast<const char*>(out), static_cast<size_t>(length));
  OPENSSL_free(out);
  return true;
}

// The NumericDate claim `name` (seconds since the epoch), if present.
absl::StatusOr<std::optional<absl::Time>> TimeClaim(const Jwt& jwt, const char* name) {
  auto it = jwt.claims.fields().find(name);
  if (it == jwt.claims.fields().end()) return std::optional<absl::Time>();
  if (it->second.kind_case() != Value::kNumberValue || !std::isfinite(it->second.number_value())) {
    return Refuse(absl::StrCat("claim ", name, " must be a number of seconds since 1970"));
  }
  return std::optional<absl::Time>(absl::FromUnixMillis(
      static_cast<int64_t>(std::llround(it->second.number_value() * 1000))));
}

}  // namespace

bool LooksLikeJwt(absl::string_view token) {
  if (token.size() < 5 || token.substr(0, 3) != "eyJ") return false;
  int dots = 0;
  for (char c : token) dots += c == '.';
  return dots == 2;
}

absl::StatusOr<Jwt> ParseJwt(absl::string_view token) {
  if (token.size() > kMaxJwtBytes) {
    return Refuse(absl::StrCat("longer than ", kMaxJwtBytes, " bytes"));
  }
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty()) {
    return Refuse("not a JWT (three base64url parts separated by '.')");
  }
  absl::StatusOr<Struct> header = DecodeJsonPart(parts[0], "header");
  if (!header.ok()) return header.status();
  Jwt jwt;
  const std::string alg = StringMember(*header, "alg");
  if (alg == "RS256") {
    jwt.algorithm = JwsAlgorithm::kRs256;
  } else if (alg == "ES256") {
    jwt.algorithm = JwsAlgorithm::kEs256;
  } else {
    return Refuse(
        absl::StrCat("header alg \"", Printable(alg), "\" is not accepted: RS256 or ES256 only"));
  }
  if (header->fields().contains("crit")) {
    return Refuse("header crit: no critical extensions are supported");
  }
  jwt.kid = StringMember(*header, "kid");
  if (jwt.kid.empty()) return Refuse("header kid is missing: the signing key must be named");
  absl::StatusOr<Struct> claims = DecodeJsonPart(parts[1], "payload");
  if (!claims.ok()) return claims.status();
  jwt.claims = *std::move(claims);
  if (!DecodeBase64Url(parts[2], &jwt.signature) || jwt.signature.empty()) {
    return Refuse("the signature is missing or not base64url");
  }
  jwt.signing_input = absl::StrCat(parts[0], ".", parts[1]);
  return jwt;
}

absl::Status VerifyJwtSignature(const Jwt& jwt, const Jwk& key) {
  if (key.algorithm() != jwt.algorithm) {
    return Refuse(absl::StrCat("header alg ", JwsAlgorithmName(jwt.algorithm), " does not match key \"",
                               key.kid(), "\" (", JwsAlgorithmName(key.algorithm()), ")"));
  }
  std::string der;
  const std::string* signature = &jwt.signature;
  if (jwt.algorithm == JwsAlgorithm::kEs256) {
    if (!Es256ToDer(jwt.signature, &der)) {
      return Refuse("signature: an ES256 signature is 64 bytes (r || s)");
    }
    signature = &der;
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  const bool ok =
      ctx != nullptr &&
      EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.key()) == 1 &&
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature->data()),
                       signature->size(),
                       reinterpret_cast<const unsigned char*>(jwt.signing_input.data()),
                       jwt.signing_input.size()) == 1;
  if (!ok) {
    return Refuse(absl::StrCat("signature does not verify with key \"", key.kid(), "\" (",
                               JwsAlgorithmName(key.algorithm()), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckJwtClaims(const Jwt& jwt, const JwtRules& rules, absl::Time now) {
  const std::string iss = StringClaim(jwt, "iss");
  if (iss != rules.issuer) {
    return Refuse(absl::StrCat("issuer (iss) \"", Printable(iss), "\" is not \"", rules.issuer, "\""));
  }
  std::vector<std::string> audiences;
  if (auto it = jwt.claims.fields().find("aud"); it != jwt.claims.fields().end()) {
    if (it->second.kind_case() == Value::kStringValue) {
      audiences.push_back(it->second.string_value());
    } else if (it->second.kind_case() == Value::kListValue) {
      for (const Value& v : it->second.list_value().values()) {
        if (v.kind_case() == Value::kStringValue) audiences.push_back(v.string_value());
      }
    }
  }
  if (std::find(audiences.begin(), audiences.end(), rules.audience) == audiences.end()) {
    for (std::string& audience : audiences) audience = Printable(audience);
    return Refuse(absl::StrCat("audience (aud) [", absl::StrJoin(audiences, ", "),
                               "] does not include \"", rules.audience, "\""));
  }
  absl::StatusOr<std::optional<absl::Time>> exp = TimeClaim(jwt, "exp");
  if (!exp.ok()) return exp.status();
  if (!exp->has_value()) return Refuse("claim exp is missing: tokens must expire");
  if (now >= **exp + rules.clock_skew) {
    return Refuse(absl::StrCat("expired at ", absl::FormatTime(**exp, absl::UTCTimeZone()),
                               " (exp; clock skew ", absl::FormatDuration(rules.clock_skew), ")"));
  }
  absl::StatusOr<std::optional<absl::Time>> nbf = TimeClaim(jwt, "nbf");
  if (!nbf.ok()) return nbf.status();
  if (nbf->has_value() && now + rules.clock_skew < **nbf) {
    return Refuse(absl::StrCat("not valid before ", absl::FormatTime(**nbf, absl::UTCTimeZone()),
                               " (nbf; clock skew ", absl::FormatDuration(rules.clock_skew), ")"));
  }
  return absl::OkStatus();
}

std::string Printable(absl::string_view value) {
  std::string out;
  for (char c : value.substr(0, 64)) out.push_back(c >= 0x20 && c <= 0x7e ? c : '?');
  if (value.size() > 64) out += "...";
  return out;
}

std::string StringClaim(const Jwt& jwt, const char* name) {
  return StringMember(jwt.claims, name);
}

}  // namespace jobmatch::auth
