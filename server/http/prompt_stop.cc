#include "server/http/prompt_stop.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "server/auth/server_security.h"

namespace jobmatch::http {
namespace {

// The address to knock on: the loopback host of `listen_address` with
// `port`, or null (for another host, where a knock could reach some other
// server listening on loopback).
addrinfo* KnockTarget(const std::string& listen_address, int port) {
  if (port <= 0 || !auth::IsLoopbackAddress(listen_address)) return nullptr;
  absl::string_view host(listen_address);
  host = host.substr(0, host.rfind(':'));
  absl::ConsumePrefix(&host, "[");
  absl::ConsumeSuffix(&host, "]");
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* target = nullptr;
  if (getaddrinfo(std::string(host).c_str(), absl::StrCat(port).c_str(), &hints, &target) != 0) {
    return nullptr;
  }
  return target;
}

// Opens and closes a connection to `target`.
void Knock(const addrinfo& target) {
  const int fd = socket(target.ai_family, target.ai_socktype, target.ai_protocol);
  if (fd < 0) return;
  (void)connect(fd, target.ai_addr, target.ai_addrlen);
  close(fd);
}

}  // namespace

void StopPromptly(const std::string& listen_address, int port, absl::FunctionRef<void()> stop) {
  addrinfo* const target = KnockTarget(listen_address, port);
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    stop();
    stopped.store(true);
  });
  while (!stopped.load()) {
    if (target != nullptr) Knock(*target);
    absl::SleepFor(absl::Milliseconds(20));
  }
  stopper.join();
  if (target != nullptr) freeaddrinfo(target);
}

}  // namespace jobmatch::http
