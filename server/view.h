// What a caller may see of seeker data: one view per role, applied at the
// edge to every response (CallContexts does it for every unary RPC), walking
// the whole message recursively. Every field of every message that carries
// seeker data has a class (view.cc, kFieldClasses); a field without one is
// removed for everybody (fail closed) and ViewTest.EveryFieldOfSeekerDataIs
// Classified fails until someone decides who may see it. docs/security.md
// states the resulting table; the field-matrix test
// (tests/e2e/field_matrix_test.cc) checks it over every RPC, role and consent
// state through gRPC.
#ifndef JOBMATCH_SERVER_VIEW_H_
#define JOBMATCH_SERVER_VIEW_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "server/access_scope.h"

namespace jobmatch {

// Who is looking, as far as seeker data goes.
enum class Audience {
  // CASE_SYSTEM, CONSULTANT, ADMIN (and every caller of a server without
  // authentication, the local demo): a seeker's record in full; in results,
  // functional needs and what is computed from them only with the seeker's
  // consent.
  kNeedToKnow,
  // VACANCY_FEED, BATCH, a caller without a role: never functional needs,
  // health-related fields, or anything computed from them.
  kNoNeeds,
  // EMPLOYER: the anonymous candidate view only.
  kEmployer,
};
std::string_view AudienceName(Audience audience);

// How a field of a message that carries seeker data is shown.
enum class FieldClass {
  kPublic,  // to every audience but employers
  // Functional needs and fields that reveal health (commute-limit reason,
  // fleksjob hours, target group): in a seeker's record to kNeedToKnow; in
  // results to kNeedToKnow with the seeker's consent.
  kHealth,
  // Computed from needs (seeker_view_total, support schemes, needs met):
  // in results to kNeedToKnow with the seeker's consent.
  kFromNeeds,
  // A score of the seeker's own list (ranked with the needs fit): as
  // kFromNeeds when the response is about one seeker's list, else public.
  kSeekerSideScore,
  // A count over the seekers of every municipality: only to callers who see
  // all municipalities (or when the counted records are vacancies).
  kAllMunicipalityCount,
  // A figure over many seekers split by functional needs (the nightly
  // report's fairness audit and placement outcomes with and without needs;
  // small counts suppressed): to kNeedToKnow only, without consent.
  kNeedsAggregate,
  // The anonymous candidate view: the only fields an employer sees.
  kEmployerVisible,
};
std::string_view FieldClassName(FieldClass field_class);

// The class of `field`, a field of a seeker-data message; nullopt if no one
// classified it (the view then removes it).
std::optional<FieldClass> ClassOf(const google::protobuf::FieldDescriptor* field);
// The message types whose every field is classified: those that carry
// seeker data.
const std::vector<const google::protobuf::Descriptor*>& SeekerDataMessages();
// True if `message` is, or (transitively) has a field of, a seeker-data type.
bool CarriesSeekerData(const google::protobuf::Descriptor* message);

// A commute part's evidence without the seeker's commute limit reason (it
// comes from their needs): every " one way, <reason>)" or " one way,
// <reason>;" written as " one way)" / " one way;"; nullopt when `text` names
// none. One pass over the text, the same result as replacing each of the ten
// patterns with absl::StrReplaceAll, which searched it once per pattern
// (docs/benchmarks.md, "Where a call's time goes, fourth pass").
std::optional<std::string> WithoutLimitReasons(std::string_view text);

class View {
 public:
  // Whether the seeker with this id consented to share needs with employers.
  using ConsentOf = std::function<bool(const std::string& seeker_id)>;

  // The view of a call's caller; nullopt scope = no authentication.
  static View Of(const std::optional<AccessScope>& scope);
  View(Audience audience, bool all_municipalities)
      : audience_(audience), all_municipalities_(all_municipalities) {}

  Audience audience() const { return audience_; }
  // May see functional needs in results about a seeker who gave (or not)
  // consent; in a seeker's own record (`in_record`) consent is not needed.
  bool ShowsNeeds(bool consent, bool in_record) const;

  // Applies the view to `response`, the reply to `request`, in place: every
  // field the audience may not see is removed, explanations say nothing
  // about needs they may not see (verdict FEASIBLE_WITH_SUPPORT reads
  // FEASIBLE, a blocker from needs reads WITHHELD, no NEEDS_FIT part, no
  // commute-limit reason), and unknown fields are dropped. The seeker a
  // result is about is the request's seeker_id, or each entry's id in a
  // vacancy's list, or the record itself.
  //
  // A MatchResponse (a match list) is walked with generated accessors
  // instead of reflection when TypedMatchWalkKnows() (view.cc,
  // kTypedMatchFields); the result is the same (ViewTypedWalkTest).
  void Apply(const google::protobuf::Message& request, google::protobuf::Message* response,
             const ConsentOf& consent) const;
  // The same by reflection for every message type (what Apply does for
  // every type but a match list); for the tests that compare the two.
  void ApplyByReflection(const google::protobuf::Message& request,
                         google::protobuf::Message* response, const ConsentOf& consent) const;

 private:
  Audience audience_;
  bool all_municipalities_;
};

// Whether the typed walk of a match list knows every field of every message
// type in a MatchResponse with the class kFieldClasses gives it; when not,
// match lists are walked by reflection.
bool TypedMatchWalkKnows();

// The blocker an explanation shows when the real one would reveal a need.
inline constexpr char kWithheldBlocker[] = "WITHHELD";

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_VIEW_H_
