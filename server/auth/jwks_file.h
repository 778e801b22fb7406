// An identity provider's JWKS kept in a file (fetched there by the operator's
// tooling, or written by hand for tests), reloaded when it changes: key
// rotation at the IdP needs no restart of jobmatchd. The file is looked at
// (stat: inode, size, modification time) at most once per `check_interval`,
// and at once when a token names a key id the current set lacks (at most
// once a second), so a new key is usable as soon as the file holds it and a
// removed key is refused as soon as the file no longer does.
// A changed file that does not parse keeps the previous keys in use and is
// reported on stderr once.
#ifndef JOBMATCH_SERVER_AUTH_JWKS_FILE_H_
#define JOBMATCH_SERVER_AUTH_JWKS_FILE_H_

#include <memory>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/auth/jwk_set.h"
#include "server/auth/jwks_source.h"

namespace jobmatch::auth {

class JwksFile : public JwksSource {
 public:
  // Loads `path` now. InvalidArgument (message prefixed with the path) when
  // it cannot be read or does not parse.
  static absl::StatusOr<std::unique_ptr<JwksFile>> Open(std::string path,
                                                        absl::Duration check_interval);

  // The key `kid` at time `now` (reloading first if due), or null.
  std::shared_ptr<const Jwk> Find(absl::string_view kid, absl::Time now) override
      ABSL_LOCKS_EXCLUDED(mu_);

  const std::string& path() const { return path_; }
  // How many times the file was (re)loaded successfully, the first included.
  int loads() const override ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Stamp {
    unsigned long long inode = 0;
    long long size = -1;
    long long mtime_ns = 0;
    bool operator==(const Stamp& o) const {
      return inode == o.inode && size == o.size && mtime_ns == o.mtime_ns;
    }
  };
  JwksFile(std::string path, absl::Duration check_interval);

  // Re-reads the file if its stamp changed since the last look.
  void ReloadIfChanged() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  static bool StampOf(const std::string& path, Stamp* stamp);
  static absl::StatusOr<std::shared_ptr<const JwkSet>> Load(const std::string& path);

  const std::string path_;
  const absl::Duration check_interval_;

  mutable absl::Mutex mu_;
  std::shared_ptr<const JwkSet> keys_ ABSL_GUARDED_BY(mu_);
  Stamp stamp_ ABSL_GUARDED_BY(mu_);
  Stamp failed_stamp_ ABSL_GUARDED_BY(mu_);  // last stamp that did not parse
  absl::Time last_check_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Time last_forced_check_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  int loads_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace jobmatch::auth

#endif  // JOBMATCH_SERVER_AUTH_JWKS_FILE_H_
