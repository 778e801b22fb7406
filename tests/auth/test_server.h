// A real gRPC server on 127.0.0.1 port 0 secured by server/auth/, serving
// every jobmatch.v1 service with the generated default handlers (which
// answer UNIMPLEMENTED, so a call that passes authorisation is told apart
// from one refused by it), plus health and two handlers that report what
// they learn: SeekerService.Get (the caller, via CallerOf) and
// SeekerService.Import (how many messages it read).
#ifndef JOBMATCH_TESTS_AUTH_TEST_SERVER_H_
#define JOBMATCH_TESTS_AUTH_TEST_SERVER_H_

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"
#include "jobmatch/v1/audit_service.grpc.pb.h"
#include "jobmatch/v1/match_service.grpc.pb.h"
#include "jobmatch/v1/records_service.grpc.pb.h"
#include "jobmatch/v1/rematch_service.grpc.pb.h"
#include "server/auth/server_security.h"

namespace jobmatch::auth::testing {

// One API key per role; the consultant and case system see municipality
// 101 (København) only, the employer none (it has employer "e-1"), the
// others all municipalities.
struct TestKey {
  const char* key;
  Role role;
};
inline constexpr TestKey kTestKeys[] = {
    {"case-system-secret", Role::kCaseSystem}, {"vacancy-feed-secret", Role::kVacancyFeed},
    {"consultant-secret", Role::kConsultant},  {"batch-secret", Role::kBatch},
    {"admin-secret", Role::kAdmin},            {"employer-secret", Role::kEmployer},
};
const char* KeyOf(Role role);

// Options with the five test keys (and nothing else) configured.
SecurityOptions OptionsWithTestKeys();

class SeekerIntrospectionService : public jobmatch::v1::SeekerService::Service {
 public:
  void set_authenticator(std::shared_ptr<CallAuthenticator> authenticator) {
    authenticator_ = std::move(authenticator);
  }
  // Trailing metadata: caller-id, caller-role, may-access-101, may-access-147,
  // may-see-needs (or caller-id "none").
  grpc::Status Get(grpc::ServerContext* context, const jobmatch::v1::GetSeekerRequest* request,
                   jobmatch::v1::GetSeekerResponse* response) override;
  // How many calls reached Get.
  int get_calls() const { return get_calls_.load(); }
  // Reads the whole stream; accepted = messages read.
  grpc::Status Import(grpc::ServerContext* context,
                      grpc::ServerReader<jobmatch::v1::ImportSeekerRequest>* reader,
                      jobmatch::v1::ImportResponse* response) override;

 private:
  std::shared_ptr<CallAuthenticator> authenticator_;
  std::atomic<int> get_calls_{0};
};

class TestServer {
 public:
  static absl::StatusOr<std::unique_ptr<TestServer>> Start(const SecurityOptions& options,
                                                           const std::string& address =
                                                               "127.0.0.1:0");
  ~TestServer();

  int port() const { return port_; }
  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }
  const ServerSecurity& security() const { return security_; }
  const SeekerIntrospectionService& seekers() const { return seekers_; }
  // A plaintext channel to the server.
  std::shared_ptr<grpc::Channel> InsecureChannel() const;

 private:
  TestServer() = default;

  ServerSecurity security_;
  SeekerIntrospectionService seekers_;
  jobmatch::v1::VacancyService::Service vacancies_;
  jobmatch::v1::EmployerService::Service employers_;
  jobmatch::v1::MatchService::Service matches_;
  jobmatch::v1::RematchService::Service rematch_;
  jobmatch::v1::AuditService::Service audit_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

using Metadata = std::vector<std::pair<std::string, std::string>>;

// Calls `method` ("/pkg.Service/Method") as a unary call with raw request
// bytes (empty by default) and waits up to 10 s.
grpc::Status CallMethod(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                        const Metadata& metadata, const std::string& request = "",
                        std::multimap<std::string, std::string>* trailers = nullptr,
                        std::string* response = nullptr);

// "authorization: Bearer <key of role>".
Metadata BearerFor(Role role);

// Health check of the whole server ("" service): SERVING?
grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel, bool* serving);

}  // namespace jobmatch::auth::testing

#endif  // JOBMATCH_TESTS_AUTH_TEST_SERVER_H_
