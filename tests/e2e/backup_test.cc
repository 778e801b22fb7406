// Online backups: CreateBackup writes an openable copy of the data folder
// while the service serves; a service started on the copy has exactly the
// records written before the backup.
#include <filesystem>
#include <vector>

#include "jobmatch/v1/admin_service.grpc.pb.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

class BackupFixture : public ServiceFixture {
 protected:
  void SetUp() override {
    options_.backup_dir = dir_.path() + "/backups";
    Start();
    admin_ = v1::AdminService::NewStub(channel_);
  }
  grpc::Status Backup(const std::string& name, v1::Backup* backup) {
    v1::CreateBackupRequest request;
    request.set_name(name);
    return admin_->CreateBackup(Context().get(), request, backup);
  }
  std::unique_ptr<v1::AdminService::Stub> admin_;
};

TEST_F(BackupFixture, ServiceStartedOnTheBackupHasTheRecordsWrittenBeforeIt) {
  ASSERT_TRUE(PutSeeker(ValidSeeker("before", 8200)).ok());
  ASSERT_TRUE(PutVacancy(ValidVacancy("v-before", 8000)).ok());
  v1::Backup backup;
  grpc::Status status = Backup("nightly-2026-12-01", &backup);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(backup.path(), options_.backup_dir + "/nightly-2026-12-01");
  EXPECT_EQ(backup.data_sequence_at_least(), 2u);
  EXPECT_GT(backup.files(), 0u);
  EXPECT_GT(backup.bytes(), 0u);
  ASSERT_TRUE(PutSeeker(ValidSeeker("after", 8200)).ok());

  // Restore = start on the copy (docs/operations.md).
  ServiceOptions restored;
  restored.server.listen_address = "127.0.0.1:0";
  restored.data_dir = backup.path();
  restored.reference_data_dir = matcher::ReferenceData::SourceTreeDataDir();
  auto service = JobmatchService::Start(restored);
  ASSERT_TRUE(service.ok()) << service.status();
  EXPECT_EQ((*service)->rebuild_stats().seekers, 1u);
  EXPECT_EQ((*service)->rebuild_stats().vacancies, 1u);
  EXPECT_TRUE((*service)->index().GetSeeker("before").has_value());
  EXPECT_FALSE((*service)->index().GetSeeker("after").has_value());
}

TEST_F(BackupFixture, BadOrTakenNamesAreRefusedAndNothingIsWritten) {
  v1::Backup backup;
  const std::vector<std::string> bad = {"", "../escape", "a/b", ".hidden", std::string(65, 'x'),
                                       "sp ace"};
  for (const std::string& name : bad) {
    grpc::Status status = Backup(name, &backup);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << name;
    EXPECT_EQ(status.error_message().rfind("name: ", 0), 0u) << status.error_message();
  }
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/escape"));
  ASSERT_TRUE(Backup("one", &backup).ok());
  EXPECT_EQ(Backup("one", &backup).error_code(), grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(ServiceFixture, BackupWithoutABackupFolderIsAFailedPrecondition) {
  auto admin = v1::AdminService::NewStub(channel_);
  v1::CreateBackupRequest request;
  request.set_name("x");
  v1::Backup backup;
  grpc::Status status = admin->CreateBackup(Context().get(), request, &backup);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("backup_dir"), std::string::npos);
}

}  // namespace
}  // namespace jobmatch::testing
