// ToGrpcStatus: codes pass through 1:1, internal details never reach the
// caller, messages are capped.
#include "server/grpc_status.h"

#include <string>

#include "gtest/gtest.h"

namespace jobmatch {
namespace {

TEST(GrpcStatusTest, CallerErrorsKeepCodeAndMessage) {
  grpc::Status s = ToGrpcStatus(absl::InvalidArgumentError("seeker.home.lat: must be within [54.5, 57.8]"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "seeker.home.lat: must be within [54.5, 57.8]");
  EXPECT_EQ(ToGrpcStatus(absl::NotFoundError("x")).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ToGrpcStatus(absl::AbortedError("x")).error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(ToGrpcStatus(absl::DeadlineExceededError("x")).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST(GrpcStatusTest, InternalDetailsAreReplacedByAnIncidentId) {
  for (const absl::Status& internal :
       {absl::InternalError("/var/lib/jobmatch/db/000123.sst: record seeker/s-42 corrupt"),
        absl::DataLossError("/var/lib/jobmatch/db/000123.sst: record seeker/s-42 corrupt"),
        absl::UnknownError("/var/lib/jobmatch/db/000123.sst: record seeker/s-42 corrupt")}) {
    grpc::Status s = ToGrpcStatus(internal);
    EXPECT_EQ(static_cast<int>(s.error_code()), static_cast<int>(internal.code()));
    EXPECT_EQ(s.error_message().find("s-42"), std::string::npos) << s.error_message();
    EXPECT_EQ(s.error_message().find("/var/lib"), std::string::npos) << s.error_message();
    EXPECT_NE(s.error_message().find("incident "), std::string::npos) << s.error_message();
  }
  EXPECT_NE(ToGrpcStatus(absl::InternalError("a")).error_message(),
            ToGrpcStatus(absl::InternalError("a")).error_message())
      << "each incident has its own id";
}

TEST(GrpcStatusTest, LongMessagesAreCapped) {
  grpc::Status s = ToGrpcStatus(absl::InvalidArgumentError(std::string(5000, 'x')));
  EXPECT_EQ(s.error_message().size(), 1024u);
}

}  // namespace
}  // namespace jobmatch
