#include "server/seeker_ids.h"

#include <cstdlib>

#include "openssl/rand.h"

namespace jobmatch {

std::string NewSeekerId() {
  constexpr int kLetters = 28;  // 28 * log2(26) = 131.6 bits
  std::string id = "s-";
  unsigned char buffer[64];
  while (static_cast<int>(id.size()) < 2 + kLetters) {
    if (RAND_bytes(buffer, sizeof(buffer)) != 1) std::abort();  // no entropy: never issue a weak id
    for (unsigned char b : buffer) {
      // Unbiased: 234 = 9 * 26; larger bytes are drawn again.
      if (b >= 234) continue;
      id.push_back(static_cast<char>('a' + b % 26));
      if (static_cast<int>(id.size()) == 2 + kLetters) break;
    }
  }
  return id;
}

}  // namespace jobmatch
