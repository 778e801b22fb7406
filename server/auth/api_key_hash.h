// SHA-256 of an API key, as configured: keys are stored only as digests so a
// leaked configuration file does not leak credentials.
#ifndef JOBMATCH_SERVER_AUTH_API_KEY_HASH_H_
#define JOBMATCH_SERVER_AUTH_API_KEY_HASH_H_

#include <string>
#include <string_view>

namespace jobmatch::auth {

// 64 lower-case hex digits of SHA-256(`key`).
std::string Sha256Hex(std::string_view key);

}  // namespace jobmatch::auth

#endif  // JOBMATCH_SERVER_AUTH_API_KEY_HASH_H_
