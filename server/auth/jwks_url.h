// An identity provider's JWKS read from its jwks_uri over HTTPS (https_get.h:
// the system's CA store or a configured CA file, a timeout, a size limit),
// refreshed in the background every `refresh` and at once (at most every
// `min_refetch`) when a token names a key id the current set lacks, so a key
// the IdP rotates in is usable within moments and a retired one is refused
// after the next refresh. A fetch that fails or does not parse keeps the last
// good key set (reported on stderr once per failure streak); a first fetch
// that fails leaves no keys (every token refused) and is retried every
// `min_refetch`, so an IdP that is down when jobmatchd starts does not stop
// it.
#ifndef JOBMATCH_SERVER_AUTH_JWKS_URL_H_
#define JOBMATCH_SERVER_AUTH_JWKS_URL_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/auth/https_get.h"
#include "server/auth/jwk_set.h"
#include "server/auth/jwks_source.h"

namespace jobmatch::auth {

struct JwksUrlOptions {
  std::string uri;  // https://...
  HttpsGetOptions get;
  absl::Duration refresh = absl::Minutes(5);
  absl::Duration min_refetch = absl::Seconds(10);
};

class JwksUrl : public JwksSource {
 public:
  // InvalidArgument for a URI that is not https:// (or not loopback http://
  // when options.get.allow_loopback_http). Fetches once before returning.
  static absl::StatusOr<std::unique_ptr<JwksUrl>> Open(JwksUrlOptions options);
  ~JwksUrl() override;

  std::shared_ptr<const Jwk> Find(absl::string_view kid, absl::Time now) override
      ABSL_LOCKS_EXCLUDED(mu_);
  int loads() const override ABSL_LOCKS_EXCLUDED(mu_);
  // Fetches that failed (or did not parse) so far.
  int failures() const ABSL_LOCKS_EXCLUDED(mu_);
  // The keys now (empty before the first good fetch).
  size_t key_count() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  explicit JwksUrl(JwksUrlOptions options);
  // Fetches and installs a key set (or counts a failure).
  void FetchOnce() ABSL_LOCKS_EXCLUDED(mu_);
  void Run() ABSL_LOCKS_EXCLUDED(mu_);
  bool Woken() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_ || kicked_; }

  const JwksUrlOptions options_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const JwkSet> keys_ ABSL_GUARDED_BY(mu_);
  int loads_ ABSL_GUARDED_BY(mu_) = 0;
  int failures_ ABSL_GUARDED_BY(mu_) = 0;
  bool failing_ ABSL_GUARDED_BY(mu_) = false;
  bool kicked_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time last_kick_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  std::thread thread_;
};

}  // namespace jobmatch::auth

#endif  // JOBMATCH_SERVER_AUTH_JWKS_URL_H_
