#include "server/auth/jwk_set.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace jobmatch::auth {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

struct BnFree {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* bld) const { OSSL_PARAM_BLD_free(bld); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* params) const { OSSL_PARAM_free(params); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

// The string member `name` of `jwk`, "" when absent or not a string.
std::string StringMember(const Struct& jwk, const char* name) {
  auto it = jwk.fields().find(name);
  if (it == jwk.fields().end() || it->second.kind_case() != Value::kStringValue) return "";
  return it->second.string_value();
}

absl::StatusOr<std::string> Base64UrlMember(const Struct& jwk, const char* name,
                                            const std::string& where) {
  std::string encoded = StringMember(jwk, name);
  std::string decoded;
  if (encoded.empty() || !DecodeBase64Url(encoded, &decoded) || decoded.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ".", name, ": must be a non-empty base64url string"));
  }
  return decoded;
}

// EVP_PKEY_fromdata of `params` as a public key of `type` ("RSA", "EC").
absl::StatusOr<Pkey> FromData(const char* type, OSSL_PARAM_BLD* bld, const std::string& where) {
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld));
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (params == nullptr || ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0 ||
      key == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": OpenSSL does not accept it as a ", type, " public key"));
  }
  Pkey owned(key);
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> check(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  if (check == nullptr || EVP_PKEY_public_check(check.get()) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": not a valid ", type, " public key (EVP_PKEY_public_check)"));
  }
  return owned;
}

absl::StatusOr<Pkey> RsaKey(const Struct& jwk, const std::string& where) {
  absl::StatusOr<std::string> n = Base64UrlMember(jwk, "n", where);
  if (!n.ok()) return n.status();
  absl::StatusOr<std::string> e = Base64UrlMember(jwk, "e", where);
  if (!e.ok()) return e.status();
  Bn bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()), static_cast<int>(n->size()),
                    nullptr));
  Bn bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()), static_cast<int>(e->size()),
                    nullptr));
  if (bn_n == nullptr || bn_e == nullptr) return absl::InternalError("BN_bin2bn failed");
  if (BN_num_bits(bn_n.get()) < 2048) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ".n: RSA keys must have at least 2048 bits, got ", BN_num_bits(bn_n.get())));
  }
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  if (bld == nullptr || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get())) {
    return absl::InternalError("OSSL_PARAM_BLD failed");
  }
  return FromData("RSA", bld.get(), where);
}

absl::StatusOr<Pkey> P256Key(const Struct& jwk, const std::string& where) {
  if (StringMember(jwk, "crv") != "P-256") {
    return absl::InvalidArgumentError(absl::StrCat(where, ".crv: only \"P-256\" is accepted"));
  }
  absl::StatusOr<std::string> x = Base64UrlMember(jwk, "x", where);
  if (!x.ok()) return x.status();
  absl::StatusOr<std::string> y = Base64UrlMember(jwk, "y", where);
  if (!y.ok()) return y.status();
  if (x->size() != 32 || y->size() != 32) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ".x, .y: P-256 coordinates are 32 bytes each"));
  }
  const std::string point = absl::StrCat("\x04", *x, *y);  // uncompressed (SEC 1 §2.3.3)
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  if (bld == nullptr ||
      !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                        point.size())) {
    return absl::InternalError("OSSL_PARAM_BLD failed");
  }
  return FromData("EC", bld.get(), where);
}

}  // namespace

absl::string_view JwsAlgorithmName(JwsAlgorithm algorithm) {
  return algorithm == JwsAlgorithm::kRs256 ? "RS256" : "ES256";
}

Jwk::Jwk(std::string kid, JwsAlgorithm algorithm, EVP_PKEY* key)
    : kid_(std::move(kid)), algorithm_(algorithm), key_(key) {}

Jwk::~Jwk() { EVP_PKEY_free(key_); }

bool DecodeBase64Url(absl::string_view in, std::string* out) {
  for (char c : in) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  if (in.size() % 4 == 1) return false;  // no whole byte
  return absl::WebSafeBase64Unescape(absl::string_view(in.data(), in.size()), out);
}

absl::StatusOr<std::shared_ptr<const JwkSet>> JwkSet::Parse(absl::string_view json) {
  Struct document;
  google::protobuf::util::JsonParseOptions options;
  if (!google::protobuf::util::JsonStringToMessage(std::string(json), &document, options).ok()) {
    return absl::InvalidArgumentError("JWKS: not a JSON object");
  }
  auto keys = document.fields().find("keys");
  if (keys == document.fields().end() || keys->second.kind_case() != Value::kListValue) {
    return absl::InvalidArgumentError("JWKS: \"keys\" must be an array of JSON Web Keys");
  }
  auto set = std::make_shared<JwkSet>();
  const auto& list = keys->second.list_value().values();
  for (int i = 0; i < list.size(); ++i) {
    const std::string where = absl::StrCat("JWKS keys[", i, "]");
    if (list.Get(i).kind_case() != Value::kStructValue) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": must be a JSON object"));
    }
    const Struct& jwk = list.Get(i).struct_value();
    const std::string kty = StringMember(jwk, "kty");
    const std::string use = StringMember(jwk, "use");
    const std::string alg = StringMember(jwk, "alg");
    if (!use.empty() && use != "sig") continue;  // encryption keys are not ours
    JwsAlgorithm algorithm;
    if (kty == "RSA" && (alg.empty() || alg == "RS256")) {
      algorithm = JwsAlgorithm::kRs256;
    } else if (kty == "EC" && (alg.empty() || alg == "ES256")) {
      algorithm = JwsAlgorithm::kEs256;
    } else {
      continue;  // another algorithm (RS384, EdDSA, ...) or key type (oct)
    }
    const std::string kid = StringMember(jwk, "kid");
    if (kid.empty()) return absl::InvalidArgumentError(absl::StrCat(where, ".kid: must be set"));
    absl::StatusOr<Pkey> key =
        algorithm == JwsAlgorithm::kRs256 ? RsaKey(jwk, where) : P256Key(jwk, where);
    if (!key.ok()) return key.status();
    auto entry = std::make_shared<const Jwk>(kid, algorithm, key->release());
    if (!set->keys_.emplace(kid, std::move(entry)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".kid: \"", kid, "\" appears twice"));
    }
  }
  if (set->keys_.empty()) {
    return absl::InvalidArgumentError(
        "JWKS: no usable signing key (RSA for RS256, EC P-256 for ES256)");
  }
  return std::shared_ptr<const JwkSet>(std::move(set));
}

std::shared_ptr<const Jwk> JwkSet::Find(absl::string_view kid) const {
  auto it = keys_.find(kid);
  return it == keys_.end() ? nullptr : it->second;
}

}  // namespace jobmatch::auth
