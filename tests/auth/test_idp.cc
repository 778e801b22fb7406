#include "test_idp.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace jobmatch::auth::testing {
namespace {

void Check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(absl::StrCat("test IdP: ", what, " failed"));
}

std::string BnBytes(EVP_PKEY* pkey, const char* name, int pad_to = 0) {
  BIGNUM* bn = nullptr;
  Check(EVP_PKEY_get_bn_param(pkey, name, &bn) == 1, name);
  const int size = pad_to > 0 ? pad_to : BN_num_bytes(bn);
  std::string bytes(static_cast<size_t>(size), '\0');
  Check(BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(bytes.data()), size) == size, "BN_bn2binpad");
  BN_free(bn);
  return bytes;
}

}  // namespace

std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

std::string Base64Url(const std::string& bytes) { return absl::WebSafeBase64Escape(bytes); }

std::string ClaimsJson(const Claims& claims) {
  std::vector<std::string> members;
  for (const auto& [name, value] : claims) members.push_back(JsonString(name) + ":" + value);
  return "{" + absl::StrJoin(members, ",") + "}";
}

TestIdp::TestIdp(std::string issuer) : issuer_(std::move(issuer)) {}

TestIdp::~TestIdp() {
  for (auto& [kid, key] : keys_) EVP_PKEY_free(key.pkey);
}

void TestIdp::AddKey(const std::string& kid, const std::string& alg) {
  EVP_PKEY* pkey = alg == "RS256" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048})
                                  : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  Check(pkey != nullptr, "key generation");
  RemoveKey(kid);
  keys_[kid] = Key{alg, pkey};
}

void TestIdp::RemoveKey(const std::string& kid) {
  auto it = keys_.find(kid);
  if (it == keys_.end()) return;
  EVP_PKEY_free(it->second.pkey);
  keys_.erase(it);
}

std::string TestIdp::JwksJson() const {
  std::vector<std::string> jwks;
  for (const auto& [kid, key] : keys_) {
    if (key.alg == "RS256") {
      jwks.push_back(absl::StrCat(R"({"kty":"RSA","use":"sig","alg":"RS256","kid":)", JsonString(kid),
                                  R"(,"n":")", Base64Url(BnBytes(key.pkey, OSSL_PKEY_PARAM_RSA_N)),
                                  R"(","e":")", Base64Url(BnBytes(key.pkey, OSSL_PKEY_PARAM_RSA_E)),
                                  "\"}"));
    } else {
      jwks.push_back(absl::StrCat(
          R"({"kty":"EC","use":"sig","alg":"ES256","crv":"P-256","kid":)", JsonString(kid),
          R"(,"x":")", Base64Url(BnBytes(key.pkey, OSSL_PKEY_PARAM_EC_PUB_X, 32)), R"(","y":")",
          Base64Url(BnBytes(key.pkey, OSSL_PKEY_PARAM_EC_PUB_Y, 32)), "\"}"));
    }
  }
  // An encryption key the verifier must skip, as real IdPs publish them.
  jwks.push_back(R"({"kty":"RSA","use":"enc","kid":"enc-1","n":"AQAB","e":"AQAB"})");
  return R"({"keys":[)" + absl::StrJoin(jwks, ",") + "]}";
}

void TestIdp::WriteJwks(const std::string& path) const {
  const std::string temporary = path + ".tmp";
  { std::ofstream(temporary, std::ios::binary | std::ios::trunc) << JwksJson(); }
  Check(std::rename(temporary.c_str(), path.c_str()) == 0, "rename of the JWKS file");
}

Claims TestIdp::ValidClaims(const std::string& audience, absl::Time now) const {
  const int64_t t = absl::ToUnixSeconds(now);
  return Claims{{"iss", JsonString(issuer_)},
                {"aud", JsonString(audience)},
                {"sub", JsonString("anna.consultant")},
                {"iat", absl::StrCat(t)},
                {"nbf", absl::StrCat(t - 60)},
                {"exp", absl::StrCat(t + 600)},
                {"roles", R"(["konsulent"])"},
                {"municipalities", "[101]"}};
}

std::string TestIdp::Sign(const std::string& kid, const Claims& claims) const {
  const Key& key = keys_.at(kid);
  return SignWithHeader(absl::StrCat(R"({"alg":")", key.alg, R"(","kid":)", JsonString(kid),
                                     R"(,"typ":"JWT"})"),
                        kid, claims);
}

std::string TestIdp::SignWithHeader(const std::string& header_json, const std::string& kid,
                                    const Claims& claims) const {
  const Key& key = keys_.at(kid);
  const std::string input = Base64Url(header_json) + "." + Base64Url(ClaimsJson(claims));
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t length = 0;
  Check(EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key.pkey) == 1, "DigestSignInit");
  Check(EVP_DigestSign(ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()) == 1,
        "DigestSign (size)");
  std::string signature(length, '\0');
  Check(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1,
        "DigestSign");
  EVP_MD_CTX_free(ctx);
  signature.resize(length);
  if (key.alg == "ES256") {  // DER ECDSA-Sig-Value -> r || s (RFC 7518 §3.4)
    const auto* der = reinterpret_cast<const unsigned char*>(signature.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(signature.size()));
    Check(sig != nullptr, "d2i_ECDSA_SIG");
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(sig);
    signature = raw;
  }
  return input + "." + Base64Url(signature);
}

std::string TestIdp::SignHs256(const std::string& kid, const std::string& secret,
                               const Claims& claims) const {
  const std::string input =
      Base64Url(absl::StrCat(R"({"alg":"HS256","kid":)", JsonString(kid), R"(,"typ":"JWT"})")) +
      "." + Base64Url(ClaimsJson(claims));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &length);
  return input + "." + Base64Url(std::string(reinterpret_cast<char*>(mac), length));
}

std::string TestIdp::PublicKeyPem(const std::string& kid) const {
  BIO* bio = BIO_new(BIO_s_mem());
  Check(PEM_write_bio_PUBKEY(bio, keys_.at(kid).pkey) == 1, "PEM_write_bio_PUBKEY");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(size));
  BIO_free(bio);
  return pem;
}

}  // namespace jobmatch::auth::testing
