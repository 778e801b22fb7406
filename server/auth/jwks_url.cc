#include "server/auth/jwks_url.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"

namespace jobmatch::auth {

JwksUrl::JwksUrl(JwksUrlOptions options) : options_(std::move(options)) {}

absl::StatusOr<std::unique_ptr<JwksUrl>> JwksUrl::Open(JwksUrlOptions options) {
  auto parsed = ParseHttpsUrl(options.uri, options.get.allow_loopback_http);
  if (!parsed.ok()) return parsed.status();
  std::unique_ptr<JwksUrl> source(new JwksUrl(std::move(options)));
  {
    absl::MutexLock lock(&source->mu_);
    source->keys_ = std::make_shared<const JwkSet>();
  }
  source->FetchOnce();
  source->thread_ = std::thread([s = source.get()] { s->Run(); });
  return source;
}

JwksUrl::~JwksUrl() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void JwksUrl::FetchOnce() {
  absl::StatusOr<std::string> body = HttpsGet(options_.uri, options_.get);
  absl::StatusOr<std::shared_ptr<const JwkSet>> keys =
      body.ok() ? JwkSet::Parse(*body)
                : absl::StatusOr<std::shared_ptr<const JwkSet>>(body.status());
  if (!keys.ok() && body.ok()) {
    keys = absl::InvalidArgumentError(
        absl::StrCat("JWKS from ", options_.uri, ": ", keys.status().message()));
  }
  absl::MutexLock lock(&mu_);
  if (keys.ok()) {
    keys_ = *std::move(keys);
    ++loads_;
    if (failing_) {
      std::fprintf(stderr, "jobmatchd: JWKS %s: fetched again (%zu keys)\n", options_.uri.c_str(),
                   keys_->size());
    }
    failing_ = false;
    return;
  }
  ++failures_;
  if (!failing_) {
    std::fprintf(stderr, "jobmatchd: JWKS %s; keeping the %zu keys fetched before\n",
                 std::string(keys.status().message()).c_str(), keys_->size());
  }
  failing_ = true;
}

void JwksUrl::Run() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      const absl::Duration wait = loads_ == 0 || failing_
                                      ? std::min(options_.refresh, options_.min_refetch)
                                      : options_.refresh;
      mu_.AwaitWithTimeout(absl::Condition(this, &JwksUrl::Woken), wait);
      if (stopping_) return;
      kicked_ = false;
    }
    FetchOnce();
  }
}

std::shared_ptr<const Jwk> JwksUrl::Find(absl::string_view kid, absl::Time now) {
  absl::MutexLock lock(&mu_);
  std::shared_ptr<const Jwk> key = keys_->Find(kid);
  if (key == nullptr && now - last_kick_ >= options_.min_refetch) {
    // A kid we do not know may be a key the IdP just rotated in: fetch now
    // (in the background; this token is refused, the next one may pass).
    last_kick_ = now;
    kicked_ = true;
  }
  return key;
}

int JwksUrl::loads() const {
  absl::MutexLock lock(&mu_);
  return loads_;
}

int JwksUrl::failures() const {
  absl::MutexLock lock(&mu_);
  return failures_;
}

size_t JwksUrl::key_count() const {
  absl::MutexLock lock(&mu_);
  return keys_->size();
}

}  // namespace jobmatch::auth
