#include "server/http/prompt_stop.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "absl/strings/match.h"
#include "absl/time/clock.h"

namespace jobmatch::http {
namespace {

// Opens and closes a connection to a loopback port.
void Knock(bool ipv6, int port) {
  const int fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return;
  if (ipv6) {
    sockaddr_in6 address{};
    address.sin6_family = AF_INET6;
    address.sin6_port = htons(static_cast<uint16_t>(port));
    address.sin6_addr = in6addr_loopback;
    (void)connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
  } else {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    (void)connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
  }
  close(fd);
}

}  // namespace

void StopPromptly(const std::string& listen_address, int port, absl::FunctionRef<void()> stop) {
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    stop();
    stopped.store(true);
  });
  const bool ipv6 = absl::StartsWith(listen_address, "[");
  while (!stopped.load()) {
    if (port > 0) Knock(ipv6, port);
    absl::SleepFor(absl::Milliseconds(20));
  }
  stopper.join();
}

}  // namespace jobmatch::http
