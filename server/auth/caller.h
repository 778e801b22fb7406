// Who is making a call, as established by the authentication layer
// (call_authenticator.h). Handlers obtain it with CallAuthenticator::CallerOf
// for municipality scope, functional-needs redaction and the "who" of audit
// records.
#ifndef JOBMATCH_SERVER_AUTH_CALLER_H_
#define JOBMATCH_SERVER_AUTH_CALLER_H_

#include <string>
#include <vector>

#include "server/auth/role.h"

namespace jobmatch::auth {

struct Caller {
  enum class Credential { kApiKey, kClientCertificate, kBearerToken };

  // The configured id of the key or certificate identity; for a bearer
  // token "<provider id>/<subject>".
  std::string id;
  Role role = Role::kConsultant;
  Credential credential = Credential::kApiKey;
  std::vector<int> municipalities;  // kommunekoder, when not all
  bool all_municipalities = false;
  // For EMPLOYER: the employers (Employer.id) whose vacancies it may see
  // shortlisted candidates for.
  std::vector<std::string> employer_ids;

  // True when the caller may read or write seekers of `kommunekode`.
  bool MayAccessMunicipality(int kommunekode) const;
  // True when the caller's role has a need to know functional needs (case
  // systems, consultants, admins). The seeker's consent is a further
  // condition the handlers apply; the matcher uses the needs regardless.
  bool MaySeeFunctionalNeeds() const;
};

}  // namespace jobmatch::auth

#endif  // JOBMATCH_SERVER_AUTH_CALLER_H_
