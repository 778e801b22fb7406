// How the jobmatch CLI reaches jobmatchd: address, TLS (optionally mutual)
// and API key from flags or the environment, the channel built from them,
// the key attached to every call, and failed calls explained in words a
// person can act on (unreachable server, TLS handshake, key not accepted,
// permission denied).
//
// Flags win over the environment:
//   --address          JOBMATCH_ADDRESS (or JOBMATCH_ADDR)   default 127.0.0.1:50051
//   --tls_ca_file      JOBMATCH_TLS_CA_FILE      CA that signed the server's certificate
//   --tls_cert_file    JOBMATCH_TLS_CERT_FILE    client certificate (mutual TLS) ...
//   --tls_key_file     JOBMATCH_TLS_KEY_FILE     ... and its key
//   --tls_server_name  JOBMATCH_TLS_SERVER_NAME  name to verify the certificate for
//   --tls              JOBMATCH_TLS=1            TLS with the system's CAs
//   --api_key_file     JOBMATCH_API_KEY_FILE     file holding the API key
//                      JOBMATCH_API_KEY          the API key itself
//   --bearer_token_file  JOBMATCH_BEARER_TOKEN_FILE  file holding an OIDC token (JWT)
//                      JOBMATCH_BEARER_TOKEN     the token itself
// An API key and a bearer token are alternatives: giving both is an error.
// Both travel as "authorization: Bearer <key or token>". There is
// deliberately no flag that takes a key or token itself: a command line is
// visible to every user in `ps`.
#ifndef JOBMATCH_CLIENTS_CLI_CONNECTION_H_
#define JOBMATCH_CLIENTS_CLI_CONNECTION_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"

namespace jobmatch::cli {

struct ConnectionOptions {
  std::string address;
  bool tls = false;  // set by --tls or by any tls_* option
  std::string tls_ca_file;
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_server_name;
  std::string api_key;  // "" = none
  // Where the key came from, for messages ("--api_key_file=/path", "JOBMATCH_API_KEY").
  std::string api_key_source;
  std::string bearer_token;  // an OIDC token (JWT); "" = none
  std::string bearer_token_source;
};

// The options from the flags and the environment, with files read. An
// InvalidArgument names the flag (an unreadable file, a certificate without
// its key, an empty key file).
absl::StatusOr<ConnectionOptions> ConnectionOptionsFromFlags();

// A channel as the options ask: TLS credentials when tls is set, plaintext
// otherwise. Never fails to build; connection problems show on the first call.
std::shared_ptr<grpc::Channel> OpenChannel(const ConnectionOptions& options);

// Adds the API key or bearer token (if any) to a call's metadata.
void Authorize(const ConnectionOptions& options, grpc::ClientContext* context);

// Prints a failed call to stderr and returns the exit code:
//   3  the server cannot be reached, or the TLS handshake failed
//   4  UNAUTHENTICATED (no key, or the key was not accepted) or PERMISSION_DENIED
//   65 INVALID_ARGUMENT
//   1  anything else
int ReportFailure(const grpc::Status& status, const ConnectionOptions& options);

}  // namespace jobmatch::cli

#endif  // JOBMATCH_CLIENTS_CLI_CONNECTION_H_
