// One RPC of jobmatch.v1 called with JSON: the request parsed with
// protobuf's JSON mapping, the call made on a gRPC channel to the same
// server (in-process: the same handlers, interceptors, metrics and audit),
// the reply or the status turned back into JSON. The caller's credentials
// and request id travel as the gRPC metadata a gRPC client would send.
#ifndef JOBMATCH_SERVER_HTTP_RPC_BRIDGE_H_
#define JOBMATCH_SERVER_HTTP_RPC_BRIDGE_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"
#include <utility>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/status.h"
#include "grpcpp/support/string_ref.h"

namespace jobmatch::http {

// What an HTTP caller sent that matters to the call, as gRPC metadata
// (lower-case keys: "x-api-key", "authorization", "x-request-id").
using CallMetadata = std::vector<std::pair<std::string, std::string>>;

// Decides whether a call of `method` ("/jobmatch.v1.S/M") with `metadata`
// may proceed, exactly as the gRPC port's authenticator does (identity,
// rate limit, role); null when calls are not authenticated.
using Authorize = std::function<grpc::Status(
    std::string_view method, const std::multimap<grpc::string_ref, grpc::string_ref>& metadata)>;

struct JsonReply {
  grpc::Status status;
  std::string json;        // the response message (status OK) or the error body
  std::string request_id;  // the server's x-request-id for the call ("" if none)
};

class RpcBridge {
 public:
  RpcBridge(std::shared_ptr<grpc::Channel> channel, Authorize authorize);

  // The jobmatch.v1 method for an HTTP path "/jobmatch.v1.Service/Method";
  // null if there is none.
  static const google::protobuf::MethodDescriptor* FindMethod(absl::string_view path);

  // Parses `body` as the method's request (a JSON array of requests for a
  // client-streaming method) and calls it. Server-streaming methods go
  // through CallStreaming. An empty body is the empty request.
  JsonReply Call(const google::protobuf::MethodDescriptor& method, absl::string_view body,
                 const CallMetadata& metadata);

  // Calls `method` with `request` (of its input type).
  JsonReply CallWith(const google::protobuf::MethodDescriptor& method,
                     const google::protobuf::Message& request, const CallMetadata& metadata);

  // A server-streaming method: `on_message` gets each reply as JSON and
  // returns false to stop (the client went away). Returns the final status
  // (with the error body in json).
  JsonReply CallStreaming(const google::protobuf::MethodDescriptor& method,
                          const google::protobuf::Message& request, const CallMetadata& metadata,
                          const std::function<bool(const std::string& json)>& on_message);

  // A new, empty message of `type` (a generated jobmatch.v1 type).
  static std::unique_ptr<google::protobuf::Message> NewMessage(
      const google::protobuf::Descriptor& type);
  // Parses `json` into `message`: InvalidArgument naming the field.
  static grpc::Status ParseJson(absl::string_view json, google::protobuf::Message* message);
  static std::string ToJson(const google::protobuf::Message& message);

 private:
  grpc::Status Authorized(const std::string& path, const CallMetadata& metadata) const;

  std::shared_ptr<grpc::Channel> channel_;
  Authorize authorize_;
};

}  // namespace jobmatch::http

#endif  // JOBMATCH_SERVER_HTTP_RPC_BRIDGE_H_
