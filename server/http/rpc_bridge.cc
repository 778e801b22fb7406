#include "server/http/rpc_bridge.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"
#include "grpcpp/impl/codegen/client_unary_call.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/impl/codegen/rpc_method.h"
#include "grpcpp/support/sync_stream.h"
#include "server/http/http_status.h"

namespace jobmatch::http {
namespace {

namespace pb = google::protobuf;

constexpr absl::string_view kPackage = "jobmatch.v1";
// A unary call that takes longer than this is cut (DEADLINE_EXCEEDED, 504).
constexpr auto kUnaryDeadline = std::chrono::seconds(120);

std::string PathOf(const pb::MethodDescriptor& method) {
  return absl::StrCat("/", method.service()->full_name(), "/", method.name());
}

JsonReply Failed(grpc::Status status) {
  JsonReply reply;
  reply.json = ErrorJson(status);
  reply.status = std::move(status);
  return reply;
}

void AddMetadata(const CallMetadata& metadata, grpc::ClientContext* context) {
  for (const auto& [key, value] : metadata) context->AddMetadata(key, value);
}

std::string RequestIdOf(const grpc::ClientContext& context) {
  const auto& received = context.GetServerInitialMetadata();
  auto it = received.find("x-request-id");
  return it == received.end() ? std::string() : std::string(it->second.data(), it->second.size());
}

}  // namespace

RpcBridge::RpcBridge(std::shared_ptr<grpc::Channel> channel, Authorize authorize)
    : channel_(std::move(channel)), authorize_(std::move(authorize)) {}

const pb::MethodDescriptor* RpcBridge::FindMethod(absl::string_view path) {
  if (!absl::ConsumePrefix(&path, "/")) return nullptr;
  std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  if (parts.size() != 2 || parts[0].substr(0, kPackage.size() + 1) != absl::StrCat(kPackage, ".")) {
    return nullptr;
  }
  const pb::ServiceDescriptor* service =
      pb::DescriptorPool::generated_pool()->FindServiceByName(std::string(parts[0]));
  return service == nullptr ? nullptr : service->FindMethodByName(std::string(parts[1]));
}

std::unique_ptr<pb::Message> RpcBridge::NewMessage(const pb::Descriptor& type) {
  const pb::Message* prototype = pb::MessageFactory::generated_factory()->GetPrototype(&type);
  return std::unique_ptr<pb::Message>(prototype->New());
}

grpc::Status RpcBridge::ParseJson(absl::string_view json, pb::Message* message) {
  if (absl::StripAsciiWhitespace(json).empty()) return grpc::Status::OK;
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = pb::util::JsonStringToMessage(pb::StringPiece(json.data(), json.size()), message,
                                              options);
  if (!status.ok()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        absl::StrCat("request body is not a valid ", message->GetTypeName(),
                                     " in JSON: ", std::string(status.message())));
  }
  return grpc::Status::OK;
}

std::string RpcBridge::ToJson(const pb::Message& message) {
  pb::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string json;
  (void)pb::util::MessageToJsonString(message, &json, options);
  return json;
}

grpc::Status RpcBridge::Authorized(const std::string& path, const CallMetadata& metadata) const {
  if (!authorize_) return grpc::Status::OK;
  std::multimap<grpc::string_ref, grpc::string_ref> input;
  for (const auto& [key, value] : metadata) input.emplace(key, value);
  return authorize_(path, input);
}

JsonReply RpcBridge::Call(const pb::MethodDescriptor& method, absl::string_view body,
                          const CallMetadata& metadata) {
  if (!method.client_streaming()) {
    std::unique_ptr<pb::Message> request = NewMessage(*method.input_type());
    if (grpc::Status s = ParseJson(body, request.get()); !s.ok()) return Failed(s);
    return CallWith(method, *request, metadata);
  }
  // Client streaming (the Import methods): one request per line
  // (newline-delimited JSON), parsed before the call starts.
  std::vector<std::unique_ptr<pb::Message>> requests;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(body, '\n')) {
    ++line_number;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    requests.push_back(NewMessage(*method.input_type()));
    if (grpc::Status s = ParseJson(line, requests.back().get()); !s.ok()) {
      return Failed(grpc::Status(s.error_code(),
                                 absl::StrCat("line ", line_number, ": ", s.error_message())));
    }
  }
  const std::string path = PathOf(method);
  if (grpc::Status s = Authorized(path, metadata); !s.ok()) return Failed(s);
  grpc::ClientContext context;
  AddMetadata(metadata, &context);
  std::unique_ptr<pb::Message> response = NewMessage(*method.output_type());
  std::unique_ptr<grpc::ClientWriter<pb::Message>> writer(
      grpc::internal::ClientWriterFactory<pb::Message>::Create(
          channel_.get(), grpc::internal::RpcMethod(path.c_str(), grpc::internal::RpcMethod::CLIENT_STREAMING),
          &context, response.get()));
  for (const auto& request : requests) {
    if (!writer->Write(*request)) break;
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  JsonReply reply = status.ok() ? JsonReply{status, ToJson(*response), ""} : Failed(status);
  reply.request_id = RequestIdOf(context);
  return reply;
}

JsonReply RpcBridge::CallWith(const pb::MethodDescriptor& method, const pb::Message& request,
                              const CallMetadata& metadata) {
  const std::string path = PathOf(method);
  if (grpc::Status s = Authorized(path, metadata); !s.ok()) return Failed(s);
  grpc::ClientContext context;
  AddMetadata(metadata, &context);
  context.set_deadline(std::chrono::system_clock::now() + kUnaryDeadline);
  std::unique_ptr<pb::Message> response = NewMessage(*method.output_type());
  grpc::Status status = grpc::internal::BlockingUnaryCall<pb::Message, pb::Message>(
      channel_.get(), grpc::internal::RpcMethod(path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC),
      &context, request, response.get());
  JsonReply reply = status.ok() ? JsonReply{status, ToJson(*response), ""} : Failed(status);
  reply.request_id = RequestIdOf(context);
  return reply;
}

JsonReply RpcBridge::CallStreaming(const pb::MethodDescriptor& method, const pb::Message& request,
                                   const CallMetadata& metadata,
                                   const std::function<bool(const std::string& json)>& on_message) {
  const std::string path = PathOf(method);
  if (grpc::Status s = Authorized(path, metadata); !s.ok()) return Failed(s);
  grpc::ClientContext context;
  AddMetadata(metadata, &context);
  std::unique_ptr<grpc::ClientReader<pb::Message>> reader(
      grpc::internal::ClientReaderFactory<pb::Message>::Create(
          channel_.get(), grpc::internal::RpcMethod(path.c_str(), grpc::internal::RpcMethod::SERVER_STREAMING),
          &context, request));
  std::unique_ptr<pb::Message> message = NewMessage(*method.output_type());
  while (reader->Read(message.get())) {
    if (!on_message(ToJson(*message))) {
      context.TryCancel();
      break;
    }
    message->Clear();
  }
  grpc::Status status = reader->Finish();
  JsonReply reply = status.ok() ? JsonReply{status, "", ""} : Failed(status);
  reply.request_id = RequestIdOf(context);
  return reply;
}

}  // namespace jobmatch::http
