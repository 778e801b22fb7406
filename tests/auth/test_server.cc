#include "test_server.h"

#include <chrono>
#include <future>

#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/health_check_service_interface.h"
#include "server/auth/api_key_hash.h"

namespace jobmatch::auth::testing {

const char* KeyOf(Role role) {
  for (const TestKey& key : kTestKeys) {
    if (key.role == role) return key.key;
  }
  return "";
}

SecurityOptions OptionsWithTestKeys() {
  SecurityOptions options;
  for (const TestKey& key : kTestKeys) {
    ApiKey api_key;
    api_key.id = std::string(RoleName(key.role)) + "-key";
    api_key.sha256_hex = Sha256Hex(key.key);
    api_key.role = key.role;
    if (key.role == Role::kCaseSystem || key.role == Role::kConsultant) {
      api_key.municipalities = {101};
    } else if (key.role == Role::kEmployer) {
      api_key.employer_ids = {"e-1"};
    } else {
      api_key.all_municipalities = true;
    }
    options.api_keys.push_back(api_key);
  }
  return options;
}

grpc::Status SeekerIntrospectionService::Get(grpc::ServerContext* context,
                                             const jobmatch::v1::GetSeekerRequest*,
                                             jobmatch::v1::GetSeekerResponse*) {
  ++get_calls_;
  std::optional<Caller> caller;
  if (authenticator_ != nullptr) caller = authenticator_->CallerOf(*context);
  if (!caller.has_value()) {
    context->AddTrailingMetadata("caller-id", "none");
    return grpc::Status::OK;
  }
  context->AddTrailingMetadata("caller-id", caller->id);
  context->AddTrailingMetadata("caller-role", std::string(RoleName(caller->role)));
  context->AddTrailingMetadata("may-access-101", caller->MayAccessMunicipality(101) ? "1" : "0");
  context->AddTrailingMetadata("may-access-147", caller->MayAccessMunicipality(147) ? "1" : "0");
  context->AddTrailingMetadata("may-see-needs", caller->MaySeeFunctionalNeeds() ? "1" : "0");
  return grpc::Status::OK;
}

grpc::Status SeekerIntrospectionService::Import(
    grpc::ServerContext* context, grpc::ServerReader<jobmatch::v1::ImportSeekerRequest>* reader,
    jobmatch::v1::ImportResponse* response) {
  jobmatch::v1::ImportSeekerRequest request;
  uint32_t read = 0;
  while (reader->Read(&request)) ++read;
  response->set_accepted(read);
  if (context->IsCancelled()) return grpc::Status::CANCELLED;
  return grpc::Status::OK;
}

absl::StatusOr<std::unique_ptr<TestServer>> TestServer::Start(const SecurityOptions& options,
                                                              const std::string& address) {
  absl::StatusOr<ServerSecurity> security = MakeServerSecurity(options, address);
  if (!security.ok()) return security.status();
  std::unique_ptr<TestServer> server(new TestServer());
  server->security_ = *std::move(security);
  server->seekers_.set_authenticator(server->security_.authenticator);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, server->security_.credentials, &server->port_);
  builder.RegisterService(&server->seekers_);
  builder.RegisterService(&server->vacancies_);
  builder.RegisterService(&server->employers_);
  builder.RegisterService(&server->matches_);
  builder.RegisterService(&server->rematch_);
  builder.RegisterService(&server->audit_);
  builder.experimental().SetInterceptorCreators(
      std::move(server->security_.interceptor_factories));
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::InternalError("test server did not start on " + address);
  }
  return server;
}

TestServer::~TestServer() {
  if (server_ != nullptr) server_->Shutdown(std::chrono::system_clock::now());
}

std::shared_ptr<grpc::Channel> TestServer::InsecureChannel() const {
  return grpc::CreateChannel(target(), grpc::InsecureChannelCredentials());
}

grpc::Status CallMethod(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                        const Metadata& metadata, const std::string& request,
                        std::multimap<std::string, std::string>* trailers,
                        std::string* response) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  for (const auto& [key, value] : metadata) context.AddMetadata(key, value);
  grpc::Slice slice(request);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request_buffer, &response_buffer,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  grpc::Status status = done.get_future().get();
  if (trailers != nullptr) {
    for (const auto& [key, value] : context.GetServerTrailingMetadata()) {
      trailers->emplace(std::string(key.data(), key.size()),
                        std::string(value.data(), value.size()));
    }
  }
  if (response != nullptr && status.ok()) {
    grpc::Slice out;
    if (response_buffer.DumpToSingleSlice(&out).ok()) {
      response->assign(reinterpret_cast<const char*>(out.begin()), out.size());
    }
  }
  return status;
}

Metadata BearerFor(Role role) { return {{"authorization", std::string("Bearer ") + KeyOf(role)}}; }

grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel, bool* serving) {
  std::string response;
  grpc::Status status =
      CallMethod(channel, "/grpc.health.v1.Health/Check", {}, "", nullptr, &response);
  // HealthCheckResponse{status: SERVING = 1} encodes as field 1, varint 1.
  *serving = status.ok() && response == std::string("\x08\x01", 2);
  return status;
}

}  // namespace jobmatch::auth::testing
