#include "server/auth/jwks_file.h"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"

namespace jobmatch::auth {

JwksFile::JwksFile(std::string path, absl::Duration check_interval)
    : path_(std::move(path)), check_interval_(check_interval) {}

absl::StatusOr<std::unique_ptr<JwksFile>> JwksFile::Open(std::string path,
                                                         absl::Duration check_interval) {
  std::unique_ptr<JwksFile> file(new JwksFile(std::move(path), check_interval));
  Stamp stamp;
  StampOf(file->path_, &stamp);  // before reading: a change during the read shows next time
  absl::StatusOr<std::shared_ptr<const JwkSet>> keys = Load(file->path_);
  if (!keys.ok()) return keys.status();
  absl::MutexLock lock(&file->mu_);
  file->keys_ = *std::move(keys);
  file->stamp_ = stamp;
  file->loads_ = 1;
  return file;
}

bool JwksFile::StampOf(const std::string& path, Stamp* stamp) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  stamp->inode = static_cast<unsigned long long>(st.st_ino);
  stamp->size = static_cast<long long>(st.st_size);
  stamp->mtime_ns = static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL +
                    static_cast<long long>(st.st_mtim.tv_nsec);
  return true;
}

absl::StatusOr<std::shared_ptr<const JwkSet>> JwksFile::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("\"", path, "\": cannot read"));
  std::ostringstream contents;
  contents << in.rdbuf();
  absl::StatusOr<std::shared_ptr<const JwkSet>> keys = JwkSet::Parse(contents.str());
  if (!keys.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("\"", path, "\": ", keys.status().message()));
  }
  return keys;
}

void JwksFile::ReloadIfChanged() {
  Stamp now;
  if (!StampOf(path_, &now) || now == stamp_ || now == failed_stamp_) return;
  absl::StatusOr<std::shared_ptr<const JwkSet>> keys = Load(path_);
  if (!keys.ok()) {
    failed_stamp_ = now;
    std::fprintf(stderr, "jobmatchd: JWKS %s; keeping the %zu keys loaded before\n",
                 std::string(keys.status().message()).c_str(), keys_->size());
    return;
  }
  keys_ = *std::move(keys);
  stamp_ = now;
  ++loads_;
}

std::shared_ptr<const Jwk> JwksFile::Find(absl::string_view kid, absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (now - last_check_ >= check_interval_) {
    last_check_ = now;
    ReloadIfChanged();
  }
  std::shared_ptr<const Jwk> key = keys_->Find(kid);
  if (key == nullptr && now - last_forced_check_ >= absl::Seconds(1)) {
    // A kid we do not know may be a key the IdP just rotated in.
    last_forced_check_ = now;
    last_check_ = now;
    ReloadIfChanged();
    key = keys_->Find(kid);
  }
  return key;
}

int JwksFile::loads() const {
  absl::MutexLock lock(&mu_);
  return loads_;
}

}  // namespace jobmatch::auth
