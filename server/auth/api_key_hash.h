// SHA-256 of an API key, as configured: keys are stored only as digests so a
// leaked configuration file does not leak credentials.
#ifndef JOBMATCH_SERVER_AUTH_API_KEY_HASH_H_
#define JOBMATCH_SERVER_AUTH_API_KEY_HASH_H_

#include <string>
#include <string_view>

namespace jobmatch::auth {

// 64 lower-case hex digits of SHA-256(`key`).
std::string Sha256Hex(std::string_view key);

// The same digest, remembered per thread for the last key this thread
// hashed: a client sends the same key with every call, and each call's key
// is checked twice (the auth processor, then the handler's caller), so most
// checks hash nothing (docs/benchmarks.md, "fourth pass"). The key is
// compared in constant time; keys longer than 256 bytes are not remembered.
// The reference is valid until the thread's next call.
const std::string& CachedSha256Hex(std::string_view key);

}  // namespace jobmatch::auth

#endif  // JOBMATCH_SERVER_AUTH_API_KEY_HASH_H_
