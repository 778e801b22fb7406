// Seeker ids the server issues. A caller scoped to some municipalities does
// not choose the id of a seeker it creates (docs/security.md, "Seeker ids
// and existence"): were ids chosen by the caller, the answer to writing an id
// that exists in another municipality would tell that it exists.
#ifndef JOBMATCH_SERVER_SEEKER_IDS_H_
#define JOBMATCH_SERVER_SEEKER_IDS_H_

#include <string>

namespace jobmatch {

// A new opaque seeker id: "s-" and 28 lower-case letters, 131 random bits
// from OpenSSL's generator. Letters only, so that no id looks like a CPR
// number (validation.h); it says nothing of the seeker, the municipality or
// when it was made.
std::string NewSeekerId();

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_SEEKER_IDS_H_
