#include "clients/cli/connection.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, address, "",
          "Server address host:port (default $JOBMATCH_ADDRESS, then 127.0.0.1:50051).");
ABSL_FLAG(std::string, addr, "", "Old spelling of --address.");
ABSL_FLAG(bool, tls, false,
          "Use TLS, trusting the system's CAs unless --tls_ca_file is given ($JOBMATCH_TLS=1).");
ABSL_FLAG(std::string, tls_ca_file, "",
          "PEM file of the CA that signed the server's certificate; turns TLS on "
          "($JOBMATCH_TLS_CA_FILE).");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM client certificate for mutual TLS, with --tls_key_file ($JOBMATCH_TLS_CERT_FILE).");
ABSL_FLAG(std::string, tls_key_file, "",
          "PEM private key of --tls_cert_file ($JOBMATCH_TLS_KEY_FILE).");
ABSL_FLAG(std::string, tls_server_name, "",
          "Name to verify the server's certificate for, when it differs from the address's host "
          "($JOBMATCH_TLS_SERVER_NAME).");
ABSL_FLAG(std::string, api_key_file, "",
          "File holding the API key (one line); otherwise $JOBMATCH_API_KEY_FILE or "
          "$JOBMATCH_API_KEY. A key is never taken on the command line, where `ps` shows it.");
ABSL_FLAG(std::string, bearer_token_file, "",
          "File holding an OpenID Connect bearer token (a JWT from your identity provider); "
          "otherwise $JOBMATCH_BEARER_TOKEN_FILE or $JOBMATCH_BEARER_TOKEN. Never taken on the "
          "command line.");

namespace jobmatch::cli {
namespace {

// The flag's value, else the first environment variable set, else "".
std::string FlagOrEnv(const std::string& flag, std::initializer_list<const char*> env) {
  if (!flag.empty()) return flag;
  for (const char* name : env) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return "";
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path, const char* flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat(flag, ": cannot read ", path));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool LooksLikeTlsFailure(const std::string& message) {
  const std::string m = absl::AsciiStrToLower(message);
  for (const char* word : {"handshake", "ssl", "certificate", "tls"}) {
    if (absl::StrContains(m, word)) return true;
  }
  return false;
}

// A secret from `flag` (a file) or its file variable, else from `env`:
// `value` and `source` stay empty when none is given.
absl::Status SecretFromFileOrEnv(const std::string& flag_value, const char* flag,
                                 const char* file_env, const char* env, const char* what,
                                 std::string* value, std::string* source) {
  const std::string file = FlagOrEnv(flag_value, {file_env});
  if (!file.empty()) {
    auto contents = ReadWholeFile(file, flag);
    if (!contents.ok()) return contents.status();
    *value = std::string(absl::StripAsciiWhitespace(*contents));
    *source = absl::StrCat(flag, "=", file);
    if (value->empty()) return absl::InvalidArgumentError(absl::StrCat(flag, ": ", file, " is empty"));
  } else if (const char* text = std::getenv(env); text != nullptr && *text != '\0') {
    *value = std::string(absl::StripAsciiWhitespace(text));
    *source = env;
  }
  for (char c : *value) {
    if (c < 0x21 || c > 0x7e) {
      return absl::InvalidArgumentError(
          absl::StrCat(*source, ": the ", what, " must be printable ASCII without spaces"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ConnectionOptions> ConnectionOptionsFromFlags() {
  ConnectionOptions o;
  o.address = FlagOrEnv(absl::GetFlag(FLAGS_address), {"JOBMATCH_ADDRESS"});
  if (o.address.empty()) o.address = FlagOrEnv(absl::GetFlag(FLAGS_addr), {"JOBMATCH_ADDR"});
  if (o.address.empty()) o.address = "127.0.0.1:50051";
  o.tls_ca_file = FlagOrEnv(absl::GetFlag(FLAGS_tls_ca_file), {"JOBMATCH_TLS_CA_FILE"});
  o.tls_cert_file = FlagOrEnv(absl::GetFlag(FLAGS_tls_cert_file), {"JOBMATCH_TLS_CERT_FILE"});
  o.tls_key_file = FlagOrEnv(absl::GetFlag(FLAGS_tls_key_file), {"JOBMATCH_TLS_KEY_FILE"});
  o.tls_server_name =
      FlagOrEnv(absl::GetFlag(FLAGS_tls_server_name), {"JOBMATCH_TLS_SERVER_NAME"});
  const std::string tls_env = FlagOrEnv("", {"JOBMATCH_TLS"});
  o.tls = absl::GetFlag(FLAGS_tls) || tls_env == "1" || tls_env == "true" ||
          !o.tls_ca_file.empty() || !o.tls_cert_file.empty() || !o.tls_server_name.empty();
  if (o.tls_cert_file.empty() != o.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_cert_file and --tls_key_file: give both (mutual TLS) or neither");
  }
  for (auto [path, flag] : {std::pair<const std::string&, const char*>{o.tls_ca_file, "--tls_ca_file"},
                            {o.tls_cert_file, "--tls_cert_file"},
                            {o.tls_key_file, "--tls_key_file"}}) {
    if (path.empty()) continue;
    auto contents = ReadWholeFile(path, flag);
    if (!contents.ok()) return contents.status();
  }

  if (absl::Status s = SecretFromFileOrEnv(absl::GetFlag(FLAGS_api_key_file), "--api_key_file",
                                           "JOBMATCH_API_KEY_FILE", "JOBMATCH_API_KEY", "API key",
                                           &o.api_key, &o.api_key_source);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = SecretFromFileOrEnv(
          absl::GetFlag(FLAGS_bearer_token_file), "--bearer_token_file",
          "JOBMATCH_BEARER_TOKEN_FILE", "JOBMATCH_BEARER_TOKEN", "bearer token", &o.bearer_token,
          &o.bearer_token_source);
      !s.ok()) {
    return s;
  }
  if (!o.api_key.empty() && !o.bearer_token.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        o.api_key_source, " and ", o.bearer_token_source,
        ": give an API key or a bearer token, not both"));
  }
  return o;
}

std::shared_ptr<grpc::Channel> OpenChannel(const ConnectionOptions& options) {
  if (!options.tls) return grpc::CreateChannel(options.address, grpc::InsecureChannelCredentials());
  grpc::SslCredentialsOptions ssl;
  // Files were checked readable by ConnectionOptionsFromFlags.
  auto read = [](const std::string& path) {
    return path.empty() ? std::string() : *ReadWholeFile(path, "");
  };
  ssl.pem_root_certs = read(options.tls_ca_file);  // "" = the system's roots
  ssl.pem_cert_chain = read(options.tls_cert_file);
  ssl.pem_private_key = read(options.tls_key_file);
  grpc::ChannelArguments args;
  if (!options.tls_server_name.empty()) args.SetSslTargetNameOverride(options.tls_server_name);
  return grpc::CreateCustomChannel(options.address, grpc::SslCredentials(ssl), args);
}

void Authorize(const ConnectionOptions& options, grpc::ClientContext* context) {
  if (!options.api_key.empty()) context->AddMetadata("authorization", "Bearer " + options.api_key);
  if (!options.bearer_token.empty()) {
    context->AddMetadata("authorization", "Bearer " + options.bearer_token);
  }
}

int ReportFailure(const grpc::Status& status, const ConnectionOptions& options) {
  const std::string& detail = status.error_message();
  const char* address = options.address.c_str();
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      if (LooksLikeTlsFailure(detail)) {
        std::fprintf(stderr,
                     "jobmatch: the TLS handshake with %s failed (%s).\n"
                     "  Check --tls_ca_file (the CA that signed the server's certificate), "
                     "--tls_server_name (the name in it)%s.\n",
                     address, detail.c_str(),
                     options.tls ? ", and for mutual TLS --tls_cert_file/--tls_key_file"
                                 : "; the server may expect TLS: pass --tls_ca_file");
      } else {
        std::fprintf(stderr,
                     "jobmatch: cannot reach the server at %s (%s). Is jobmatchd running?\n"
                     "  The address comes from --address or JOBMATCH_ADDRESS%s.\n",
                     address, detail.c_str(),
                     options.tls ? "" : "; if the server uses TLS, pass --tls_ca_file");
      }
      return 3;
    case grpc::StatusCode::UNAUTHENTICATED:
      if (!options.bearer_token.empty()) {
        std::fprintf(stderr,
                     "jobmatch: the bearer token was not accepted by the server at %s (%s).\n"
                     "  The token came from %s; if it has expired, sign in to your identity "
                     "provider again for a new one.\n",
                     address, detail.c_str(), options.bearer_token_source.c_str());
      } else if (options.api_key.empty()) {
        std::fprintf(stderr,
                     "jobmatch: the server at %s requires credentials (%s).\n"
                     "  Give an API key with --api_key_file or JOBMATCH_API_KEY, a bearer token "
                     "with --bearer_token_file or JOBMATCH_BEARER_TOKEN, or a client "
                     "certificate with --tls_cert_file/--tls_key_file.\n",
                     address, detail.c_str());
      } else {
        std::fprintf(stderr,
                     "jobmatch: the API key was not accepted by the server at %s (%s).\n"
                     "  The key came from %s; check that it is the one configured for you.\n",
                     address, detail.c_str(), options.api_key_source.c_str());
      }
      return 4;
    case grpc::StatusCode::PERMISSION_DENIED:
      std::fprintf(stderr, "jobmatch: permission denied: %s\n", detail.c_str());
      return 4;
    case grpc::StatusCode::INVALID_ARGUMENT:
      std::fprintf(stderr, "jobmatch: invalid input: %s\n", detail.c_str());
      return 65;
    default:
      std::fprintf(stderr, "jobmatch: %s: %s\n",
                   absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())).c_str(),
                   detail.c_str());
      return 1;
  }
}

}  // namespace jobmatch::cli
