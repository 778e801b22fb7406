#include "server/admin_service.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "jobmatch/v1/admin_service.grpc.pb.h"
#include "server/call_context.h"

namespace jobmatch {
namespace {

namespace fs = std::filesystem;

// A plain folder name: no separators, no "..", nothing hidden.
absl::Status ValidateBackupName(const std::string& name) {
  if (name.empty() || name.size() > 64) {
    return absl::InvalidArgumentError("name: must be 1-64 characters");
  }
  if (name[0] == '.') return absl::InvalidArgumentError("name: must not start with '.'");
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return absl::InvalidArgumentError("name: only [A-Za-z0-9._-] allowed");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Backup> CreateBackup(storage::Store* store, const std::string& backup_dir,
                                        const std::string& name) {
  if (absl::Status s = ValidateBackupName(name); !s.ok()) return s;
  if (backup_dir.empty()) {
    return absl::FailedPreconditionError(
        "backups are off: set backup_dir in jobmatchd's configuration (docs/operations.md)");
  }
  std::error_code error;
  fs::create_directories(backup_dir, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("backup_dir ", backup_dir, " cannot be created: ", error.message()));
  }
  const fs::path path = fs::path(backup_dir) / name;
  if (fs::exists(path)) {
    return absl::AlreadyExistsError(absl::StrCat("backup ", name, " exists already"));
  }
  v1::Backup backup;
  backup.set_name(name);
  backup.set_path(path.string());
  backup.set_data_sequence_at_least(store->LastSequence());
  backup.set_time_micros(absl::ToUnixMicros(absl::Now()));
  if (absl::Status s = store->Checkpoint(path.string()); !s.ok()) return s;
  uint64_t bytes = 0;
  uint32_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(path, error)) {
    if (entry.is_regular_file(error)) {
      ++files;
      bytes += entry.file_size(error);
    }
  }
  backup.set_files(files);
  backup.set_bytes(bytes);
  return backup;
}

class AdminServiceImpl final : public v1::AdminService::CallbackService {
 public:
  AdminServiceImpl(storage::Store* store, std::string backup_dir, const CallContexts* calls)
      : store_(store), backup_dir_(std::move(backup_dir)), calls_(calls) {}

  grpc::ServerUnaryReactor* CreateBackup(grpc::CallbackServerContext* context,
                                         const v1::CreateBackupRequest* request,
                                         v1::Backup* response) override {
    return calls_->Unary(context, request, response, [&](CallContext&) {
      auto backup = jobmatch::CreateBackup(store_, backup_dir_, request->name());
      if (backup.ok()) *response = std::move(*backup);
      return backup.status();
    });
  }

 private:
  storage::Store* const store_;
  const std::string backup_dir_;
  const CallContexts* const calls_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeAdminService(storage::Store* store, std::string backup_dir,
                                                const CallContexts* calls) {
  return std::make_unique<AdminServiceImpl>(store, std::move(backup_dir), calls);
}

}  // namespace jobmatch
