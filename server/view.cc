#include "server/view.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/reflection.h"
#include "jobmatch/v1/match_service.pb.h"

namespace jobmatch {
namespace {

namespace pb = google::protobuf;

// Every field of every message that carries seeker data. A new field of
// these messages is removed from every response until it is added here.
constexpr std::pair<const char*, FieldClass> kFieldClasses[] = {
    // The seeker's record (SeekerService.Get, List).
    {"jobmatch.v1.Seeker.id", FieldClass::kPublic},
    {"jobmatch.v1.Seeker.home", FieldClass::kPublic},
    {"jobmatch.v1.Seeker.transport_modes", FieldClass::kPublic},
    {"jobmatch.v1.Seeker.max_commute_minutes", FieldClass::kPublic},
    {"jobmatch.v1.Seeker.commute_limit_reason", FieldClass::kHealth},
    {"jobmatch.v1.Seeker.occupations", FieldClass::kPublic},
    {"jobmatch.v1.Seeker.skills", FieldClass::kPublic},
    {"jobmatch.v1.Seeker.education_level", FieldClass::kPublic},
    {"jobmatch.v1.Seeker.languages", FieldClass::kPublic},
    {"jobmatch.v1.Seeker.licences", FieldClass::kPublic},
    {"jobmatch.v1.Seeker.min_hours_per_week", FieldClass::kPublic},
    {"jobmatch.v1.Seeker.max_hours_per_week", FieldClass::kPublic},
    {"jobmatch.v1.Seeker.max_hours_per_day", FieldClass::kPublic},
    {"jobmatch.v1.Seeker.fleksjob_hours_per_week", FieldClass::kHealth},
    {"jobmatch.v1.Seeker.acceptable_kinds", FieldClass::kPublic},
    {"jobmatch.v1.Seeker.needs", FieldClass::kHealth},
    {"jobmatch.v1.Seeker.excluded_demands", FieldClass::kHealth},
    {"jobmatch.v1.Seeker.target_group", FieldClass::kHealth},
    {"jobmatch.v1.Seeker.available_from_micros", FieldClass::kPublic},
    {"jobmatch.v1.Seeker.status", FieldClass::kPublic},
    {"jobmatch.v1.Seeker.consent_share_needs_with_employers", FieldClass::kPublic},
    // Says whether the weekly cap is a (typically health-based) hard limit.
    {"jobmatch.v1.Seeker.max_hours_per_week_is_hard", FieldClass::kHealth},
    {"jobmatch.v1.Seeker.newly_educated", FieldClass::kPublic},
    {"jobmatch.v1.Seeker.authorisations", FieldClass::kPublic},
    {"jobmatch.v1.Seeker.taxonomy_version", FieldClass::kPublic},
    {"jobmatch.v1.Seeker.unemployed_since_micros", FieldClass::kPublic},
    {"jobmatch.v1.GetSeekerResponse.seeker", FieldClass::kPublic},
    {"jobmatch.v1.GetSeekerResponse.meta", FieldClass::kPublic},
    {"jobmatch.v1.ListSeekersResponse.seekers", FieldClass::kPublic},
    {"jobmatch.v1.ListSeekersResponse.next_page_token", FieldClass::kPublic},
    // Match results.
    {"jobmatch.v1.MatchResponse.matches", FieldClass::kPublic},
    {"jobmatch.v1.MatchResponse.next_page_token", FieldClass::kPublic},
    {"jobmatch.v1.MatchResponse.trace", FieldClass::kPublic},
    {"jobmatch.v1.MatchResponse.candidates", FieldClass::kAllMunicipalityCount},
    {"jobmatch.v1.MatchResponse.scored", FieldClass::kAllMunicipalityCount},
    {"jobmatch.v1.MatchResponse.feasible", FieldClass::kPublic},
    {"jobmatch.v1.MatchResponse.pruned", FieldClass::kAllMunicipalityCount},
    {"jobmatch.v1.MatchEntry.id", FieldClass::kPublic},
    {"jobmatch.v1.MatchEntry.rank", FieldClass::kPublic},
    {"jobmatch.v1.MatchEntry.explanation", FieldClass::kPublic},
    {"jobmatch.v1.MatchEntry.feedback_outcome", FieldClass::kPublic},
    {"jobmatch.v1.MatchEntry.openings_left", FieldClass::kPublic},
    {"jobmatch.v1.MatchEntry.priority", FieldClass::kPublic},
    // A consultant's priority order's keys: the target group is health data.
    {"jobmatch.v1.PriorityKeys.target_group", FieldClass::kHealth},
    {"jobmatch.v1.PriorityKeys.weeks_unemployed", FieldClass::kPublic},
    {"jobmatch.v1.ExplainResponse.explanation", FieldClass::kPublic},
    {"jobmatch.v1.ExplainResponse.trace", FieldClass::kPublic},
    {"jobmatch.v1.WhyNotResponse.kind", FieldClass::kPublic},
    {"jobmatch.v1.WhyNotResponse.explanation", FieldClass::kPublic},  // rewritten, see below
    {"jobmatch.v1.WhyNotResponse.rank", FieldClass::kPublic},
    {"jobmatch.v1.WhyNotResponse.cutoff", FieldClass::kSeekerSideScore},
    {"jobmatch.v1.WhyNotResponse.score", FieldClass::kPublic},
    {"jobmatch.v1.WhyNotResponse.trace", FieldClass::kPublic},
    {"jobmatch.v1.Explanation.verdict", FieldClass::kPublic},         // rewritten
    {"jobmatch.v1.Explanation.blocker", FieldClass::kPublic},         // rewritten
    {"jobmatch.v1.Explanation.blocker_detail", FieldClass::kPublic},  // rewritten
    {"jobmatch.v1.Explanation.total", FieldClass::kPublic},
    {"jobmatch.v1.Explanation.seeker_view_total", FieldClass::kFromNeeds},
    {"jobmatch.v1.Explanation.requirements_fit", FieldClass::kPublic},
    {"jobmatch.v1.Explanation.preference_fit", FieldClass::kPublic},
    {"jobmatch.v1.Explanation.parts", FieldClass::kPublic},  // NEEDS_FIT removed
    {"jobmatch.v1.Explanation.matched_skills", FieldClass::kPublic},
    {"jobmatch.v1.Explanation.missing_skills", FieldClass::kPublic},
    {"jobmatch.v1.Explanation.missing_optional_skills", FieldClass::kPublic},
    {"jobmatch.v1.Explanation.commute_minutes", FieldClass::kPublic},
    {"jobmatch.v1.Explanation.commute_mode", FieldClass::kPublic},
    {"jobmatch.v1.Explanation.commute_source", FieldClass::kPublic},
    {"jobmatch.v1.Explanation.support_schemes", FieldClass::kFromNeeds},
    {"jobmatch.v1.Explanation.needs_met", FieldClass::kHealth},
    {"jobmatch.v1.Explanation.needs_to_check", FieldClass::kHealth},
    {"jobmatch.v1.Explanation.needs_redacted", FieldClass::kPublic},  // set by the view
    {"jobmatch.v1.Explanation.fortrinsadgang", FieldClass::kPublic},
    // The placement rule follows from the seeker's target group.
    {"jobmatch.v1.Explanation.placement_rule", FieldClass::kHealth},
    {"jobmatch.v1.Explanation.development_skills", FieldClass::kPublic},
    {"jobmatch.v1.ScorePart.reason", FieldClass::kPublic},
    {"jobmatch.v1.ScorePart.value", FieldClass::kPublic},
    {"jobmatch.v1.ScorePart.weight", FieldClass::kPublic},
    {"jobmatch.v1.ScorePart.contribution", FieldClass::kPublic},
    {"jobmatch.v1.ScorePart.evidence", FieldClass::kPublic},  // commute-limit reason removed
    // Feedback (closed codes).
    {"jobmatch.v1.Feedback.seeker_id", FieldClass::kPublic},
    {"jobmatch.v1.Feedback.vacancy_id", FieldClass::kPublic},
    {"jobmatch.v1.Feedback.outcome", FieldClass::kPublic},
    {"jobmatch.v1.Feedback.reason", FieldClass::kPublic},
    {"jobmatch.v1.Feedback.decision_id", FieldClass::kPublic},
    {"jobmatch.v1.Feedback.time_micros", FieldClass::kPublic},
    {"jobmatch.v1.Feedback.follow_up_months", FieldClass::kPublic},
    {"jobmatch.v1.Feedback.end_outcome", FieldClass::kPublic},
    {"jobmatch.v1.ListFeedbackResponse.feedback", FieldClass::kPublic},
    // The nightly rematch's stored lists.
    {"jobmatch.v1.RematchMatches.run_id", FieldClass::kPublic},
    {"jobmatch.v1.RematchMatches.matches", FieldClass::kPublic},
    {"jobmatch.v1.RematchMatches.recommended", FieldClass::kPublic},
    {"jobmatch.v1.RankedId.id", FieldClass::kPublic},
    {"jobmatch.v1.RankedId.rank", FieldClass::kPublic},
    {"jobmatch.v1.RankedId.score", FieldClass::kSeekerSideScore},
    // The nightly report (counts only): what is split by needs is an aggregate of health data.
    {"jobmatch.v1.RematchReport.run_id", FieldClass::kPublic},
    {"jobmatch.v1.RematchReport.finished_micros", FieldClass::kPublic},
    {"jobmatch.v1.RematchReport.policy_version", FieldClass::kPublic},
    {"jobmatch.v1.RematchReport.seekers", FieldClass::kPublic},
    {"jobmatch.v1.RematchReport.seekers_with_match", FieldClass::kPublic},
    {"jobmatch.v1.RematchReport.vacancies", FieldClass::kPublic},
    {"jobmatch.v1.RematchReport.vacancies_without_candidate", FieldClass::kPublic},
    {"jobmatch.v1.RematchReport.by_municipality", FieldClass::kPublic},
    {"jobmatch.v1.RematchReport.by_target_group", FieldClass::kPublic},
    {"jobmatch.v1.RematchReport.best_scores", FieldClass::kPublic},
    {"jobmatch.v1.RematchReport.all_scores", FieldClass::kPublic},
    {"jobmatch.v1.RematchReport.fairness", FieldClass::kNeedsAggregate},
    {"jobmatch.v1.RematchReport.plain", FieldClass::kPublic},
    {"jobmatch.v1.RematchReport.allocated", FieldClass::kPublic},
    {"jobmatch.v1.RematchReport.k", FieldClass::kPublic},
    {"jobmatch.v1.RematchReport.skill_gaps", FieldClass::kPublic},
    {"jobmatch.v1.RematchReport.priority", FieldClass::kPublic},
    {"jobmatch.v1.RematchReport.placements", FieldClass::kPublic},
    {"jobmatch.v1.RematchReport.min_cell_people", FieldClass::kPublic},
    {"jobmatch.v1.RematchReport.scoped_to_municipalities", FieldClass::kPublic},
    {"jobmatch.v1.PlacementOutcomes.all", FieldClass::kPublic},
    {"jobmatch.v1.PlacementOutcomes.by_municipality", FieldClass::kPublic},
    {"jobmatch.v1.PlacementOutcomes.by_target_group", FieldClass::kPublic},
    {"jobmatch.v1.PlacementOutcomes.with_needs", FieldClass::kNeedsAggregate},
    {"jobmatch.v1.PlacementOutcomes.without_needs", FieldClass::kNeedsAggregate},
    // Employers' anonymous candidates.
    {"jobmatch.v1.ListShortlistedCandidatesResponse.vacancy_id", FieldClass::kEmployerVisible},
    {"jobmatch.v1.ListShortlistedCandidatesResponse.candidates", FieldClass::kEmployerVisible},
    {"jobmatch.v1.AnonymousCandidate.candidate_ref", FieldClass::kEmployerVisible},
    {"jobmatch.v1.AnonymousCandidate.skills", FieldClass::kEmployerVisible},
    {"jobmatch.v1.AnonymousCandidate.commute_band", FieldClass::kEmployerVisible},
};

constexpr const char* kSeekerDataMessages[] = {
    "jobmatch.v1.Seeker",           "jobmatch.v1.GetSeekerResponse",
    "jobmatch.v1.ListSeekersResponse", "jobmatch.v1.MatchResponse",
    "jobmatch.v1.MatchEntry",       "jobmatch.v1.ExplainResponse",
    "jobmatch.v1.WhyNotResponse",   "jobmatch.v1.Explanation",
    "jobmatch.v1.ScorePart",        "jobmatch.v1.Feedback",
    "jobmatch.v1.ListFeedbackResponse", "jobmatch.v1.RematchMatches",
    "jobmatch.v1.RankedId",         "jobmatch.v1.ListShortlistedCandidatesResponse",
    "jobmatch.v1.AnonymousCandidate", "jobmatch.v1.PriorityKeys",
    "jobmatch.v1.RematchReport",    "jobmatch.v1.PlacementOutcomes",
};

const absl::flat_hash_map<std::string, FieldClass>& Classes() {
  static const auto* classes = [] {
    auto* m = new absl::flat_hash_map<std::string, FieldClass>();
    for (const auto& [name, cls] : kFieldClasses) m->emplace(name, cls);
    return m;
  }();
  return *classes;
}

bool IsSeekerDataMessage(const pb::Descriptor* d) {
  for (const char* name : kSeekerDataMessages) {
    if (d->full_name() == name) return true;
  }
  return false;
}

constexpr char kWithheldDetail[] =
    "a functional need or limitation of the seeker rules this job out (which one is withheld: "
    "the seeker has not consented to share needs)";

constexpr char kWithheldPlacementDetail[] =
    "the placement rules for the seeker's target group rule this placement out (which rule is "
    "withheld: it follows from the target group)";

// What the walk needs to know of one message type, computed once per type
// (the walk runs for every response, so it does no name lookups and no
// string comparisons of type names on the way).
struct Plan {
  enum class Special : uint8_t { kNone, kSeeker, kMatchEntry, kExplanation, kWhyNot };
  const pb::Descriptor* descriptor = nullptr;
  bool seeker_data = false;
  Special special = Special::kNone;
  // By field index: the field's class (seeker-data types only) and, for
  // message fields, the field type's plan.
  std::vector<std::optional<FieldClass>> classes;
  std::vector<const Plan*> children;
  // No field of a message type: the walk ends here.
  bool leaf = true;
  // Seeker data whose every field is kPublic: nothing to remove except for
  // employers.
  bool all_public = false;
  // Fields the walk reads or rewrites (null where the type has none).
  const pb::FieldDescriptor* id = nullptr;       // Seeker.id, MatchEntry.id
  const pb::FieldDescriptor* consent = nullptr;  // Seeker.consent_share_needs_with_employers
  const pb::FieldDescriptor* needs_redacted = nullptr;  // Explanation
  const pb::FieldDescriptor* verdict = nullptr;
  const pb::FieldDescriptor* blocker = nullptr;
  const pb::FieldDescriptor* blocker_detail = nullptr;
  const pb::FieldDescriptor* parts = nullptr;
  const pb::FieldDescriptor* part_reason = nullptr;    // ScorePart, via Explanation.parts
  const pb::FieldDescriptor* part_evidence = nullptr;
  const pb::FieldDescriptor* explanation = nullptr;  // WhyNotResponse
  const pb::FieldDescriptor* score = nullptr;
  const pb::FieldDescriptor* score_blocker = nullptr;
  const pb::FieldDescriptor* kind = nullptr;
  // As a request: which seeker or vacancy it is about.
  const pb::FieldDescriptor* seeker_id = nullptr;     // string
  const pb::FieldDescriptor* seeker_side = nullptr;   // bool
  const pb::FieldDescriptor* vacancy_id = nullptr;    // string
};

const pb::FieldDescriptor* FieldOfType(const pb::Descriptor* d, const char* name,
                                       pb::FieldDescriptor::CppType type) {
  const pb::FieldDescriptor* f = d->FindFieldByName(name);
  if (f == nullptr || f->is_repeated() || f->cpp_type() != type) return nullptr;
  return f;
}

class Plans {
 public:
  static const Plan& Of(const pb::Descriptor* d) {
    static Plans* plans = new Plans();
    {
      absl::ReaderMutexLock lock(&plans->mu_);
      if (auto it = plans->plans_.find(d); it != plans->plans_.end()) return *it->second;
    }
    absl::MutexLock lock(&plans->mu_);
    return *plans->BuildLocked(d);
  }

 private:
  const Plan* BuildLocked(const pb::Descriptor* d) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (auto it = plans_.find(d); it != plans_.end()) return it->second.get();
    auto owned = std::make_unique<Plan>();
    Plan* plan = owned.get();
    plans_.emplace(d, std::move(owned));  // before the fields: types may recurse
    using CT = pb::FieldDescriptor::CppType;
    plan->descriptor = d;
    plan->seeker_data = IsSeekerDataMessage(d);
    const std::string& name = d->full_name();
    if (name == "jobmatch.v1.Seeker") {
      plan->special = Plan::Special::kSeeker;
      plan->id = FieldOfType(d, "id", CT::CPPTYPE_STRING);
      plan->consent = FieldOfType(d, "consent_share_needs_with_employers", CT::CPPTYPE_BOOL);
    } else if (name == "jobmatch.v1.MatchEntry") {
      plan->special = Plan::Special::kMatchEntry;
      plan->id = FieldOfType(d, "id", CT::CPPTYPE_STRING);
    } else if (name == "jobmatch.v1.Explanation") {
      plan->special = Plan::Special::kExplanation;
      plan->needs_redacted = FieldOfType(d, "needs_redacted", CT::CPPTYPE_BOOL);
      plan->verdict = FieldOfType(d, "verdict", CT::CPPTYPE_STRING);
      plan->blocker = FieldOfType(d, "blocker", CT::CPPTYPE_STRING);
      plan->blocker_detail = FieldOfType(d, "blocker_detail", CT::CPPTYPE_STRING);
      plan->parts = d->FindFieldByName("parts");
      const pb::Descriptor* part = plan->parts->message_type();
      plan->part_reason = FieldOfType(part, "reason", CT::CPPTYPE_STRING);
      plan->part_evidence = FieldOfType(part, "evidence", CT::CPPTYPE_STRING);
    } else if (name == "jobmatch.v1.WhyNotResponse") {
      plan->special = Plan::Special::kWhyNot;
      plan->explanation = FieldOfType(d, "explanation", CT::CPPTYPE_STRING);
      plan->score = FieldOfType(d, "score", CT::CPPTYPE_MESSAGE);
      plan->score_blocker = FieldOfType(plan->score->message_type(), "blocker", CT::CPPTYPE_STRING);
      plan->kind = FieldOfType(d, "kind", CT::CPPTYPE_STRING);
    }
    plan->seeker_id = FieldOfType(d, "seeker_id", CT::CPPTYPE_STRING);
    plan->seeker_side = FieldOfType(d, "seeker_side", CT::CPPTYPE_BOOL);
    plan->vacancy_id = FieldOfType(d, "vacancy_id", CT::CPPTYPE_STRING);
    plan->classes.resize(d->field_count());
    plan->children.resize(d->field_count(), nullptr);
    plan->all_public = plan->seeker_data;
    for (int i = 0; i < d->field_count(); ++i) {
      const pb::FieldDescriptor* f = d->field(i);
      if (plan->seeker_data) {
        plan->classes[i] = ClassOf(f);
        if (plan->classes[i] != FieldClass::kPublic) plan->all_public = false;
      }
      if (f->cpp_type() == CT::CPPTYPE_MESSAGE) {
        plan->leaf = false;
        plan->children[i] = BuildLocked(f->message_type());
      }
    }
    return plan;
  }

  absl::Mutex mu_;
  absl::flat_hash_map<const pb::Descriptor*, std::unique_ptr<Plan>> plans_ ABSL_GUARDED_BY(mu_);
};

std::string StringOf(const pb::Message& m, const pb::FieldDescriptor* f) {
  return f == nullptr ? std::string() : m.GetReflection()->GetString(m, f);
}

class Walker {
 public:
  Walker(const View& view, bool all_municipalities, const View::ConsentOf& consent,
         const pb::Message& request)
      : view_(view), all_municipalities_(all_municipalities), consent_(consent),
        employer_(view.audience() == Audience::kEmployer) {
    const Plan& plan = Plans::Of(request.GetDescriptor());
    const pb::Reflection* r = request.GetReflection();
    request_seeker_ = StringOf(request, plan.seeker_id);
    const bool vacancy_side = plan.seeker_side != nullptr && !r->GetBool(request, plan.seeker_side);
    seeker_list_ = !request_seeker_.empty() && !vacancy_side;
    entries_are_seekers_ =
        request_seeker_.empty() && plan.vacancy_id != nullptr &&
        !r->GetStringReference(request, plan.vacancy_id, &scratch_).empty();
  }

  struct Subject {
    std::string seeker_id;
    std::optional<bool> consent;  // known from the record itself
    bool in_record = false;
  };

  // The seeker a response is about unless its parts name another.
  Subject RequestSubject() const { return Subject{request_seeker_, std::nullopt, false}; }

  // The seeker a match list's entry is about: the entry's own id in a list
  // of seekers (filled into *own), else the parent's.
  const Subject* EntrySubject(const std::string& entry_id, const Subject& parent,
                              Subject* own) const {
    if (!entries_are_seekers_) return &parent;
    own->seeker_id = entry_id;
    own->in_record = parent.in_record;
    return own;
  }

  // Whether the caller may see `subject`'s needs, asked only when a field
  // depends on it and then once (it may look up consent). `subject` must
  // outlive the returned function.
  auto LazyShowsNeeds(const Subject* subject) {
    return [this, subject, shows_needs = std::optional<bool>()]() mutable {
      if (!shows_needs) shows_needs = ShowsNeeds(*subject);
      return *shows_needs;
    };
  }

  void Walk(pb::Message* m, const Plan& plan, const Subject& parent) {
    const pb::Reflection* r = m->GetReflection();
    if (!r->GetUnknownFields(*m).empty()) r->MutableUnknownFields(m)->Clear();
    // Nothing of this message can be removed, and nothing below it.
    if (plan.leaf && plan.special == Plan::Special::kNone &&
        (!plan.seeker_data || (plan.all_public && !employer_))) {
      return;
    }
    const Subject* subject = &parent;
    Subject own;
    if (plan.special == Plan::Special::kSeeker) {
      own.seeker_id = StringOf(*m, plan.id);
      own.consent = plan.consent != nullptr && r->GetBool(*m, plan.consent);
      own.in_record = true;
      subject = &own;
    } else if (plan.special == Plan::Special::kMatchEntry && entries_are_seekers_) {
      subject = EntrySubject(StringOf(*m, plan.id), parent, &own);
    }
    auto shows = LazyShowsNeeds(subject);
    std::vector<const pb::FieldDescriptor*> fields;
    r->ListFields(*m, &fields);
    for (const pb::FieldDescriptor* f : fields) {
      if (plan.seeker_data) {
        const std::optional<FieldClass>& cls = plan.classes[f->index()];
        if (!cls || !Shows(*cls, shows)) {
          r->ClearField(m, f);
          continue;
        }
      }
      const Plan* child = plan.children[f->index()];
      if (child == nullptr) continue;
      if (f->is_repeated()) {
        const int n = r->FieldSize(*m, f);
        for (int i = 0; i < n; ++i) Walk(r->MutableRepeatedMessage(m, f, i), *child, *subject);
      } else {
        Walk(r->MutableMessage(m, f), *child, *subject);
      }
    }
    if (plan.special == Plan::Special::kExplanation) FixExplanation(m, plan, shows());
    if (plan.special == Plan::Special::kWhyNot) FixWhyNot(m, plan, shows());
  }

  // The same walk over a match list, without reflection: generated
  // accessors, the classes of kFieldClasses written out field by field. Only
  // for audiences other than employers, and only while TypedMatchWalkKnows()
  // confirms that the types have exactly the fields, and the fields the
  // classes, written out here (else Apply walks by reflection);
  // ViewTypedWalkTest proves it equal to Walk over generated responses for
  // every audience.
  void WalkMatchResponse(v1::MatchResponse* m) {
    DropUnknown(m);
    const Subject subject = RequestSubject();
    for (v1::MatchEntry& entry : *m->mutable_matches()) WalkMatchEntry(&entry, subject);
    if (m->has_trace()) DropUnknown(m->mutable_trace());
    // kAllMunicipalityCount
    if (!(all_municipalities_ || !entries_are_seekers_)) {
      m->clear_candidates();
      m->clear_scored();
      m->clear_pruned();
    }
  }

 private:
  // As Walk does for every message it visits (reading the unknown-field set
  // is a pointer test, no walk of the fields).
  static void DropUnknown(pb::Message* m) {
    const pb::Reflection* r = m->GetReflection();
    if (!r->GetUnknownFields(*m).empty()) r->MutableUnknownFields(m)->Clear();
  }

  void WalkMatchEntry(v1::MatchEntry* m, const Subject& parent) {
    DropUnknown(m);
    Subject own;
    auto shows = LazyShowsNeeds(EntrySubject(m->id(), parent, &own));
    if (m->has_explanation()) WalkExplanation(m->mutable_explanation(), shows);
    if (m->has_priority()) {
      v1::PriorityKeys* keys = m->mutable_priority();
      DropUnknown(keys);
      if (!keys->target_group().empty() && !shows()) keys->clear_target_group();  // kHealth
    }
  }

  template <typename ShowsNeedsFn>
  void WalkExplanation(v1::Explanation* e, ShowsNeedsFn& shows) {
    DropUnknown(e);
    // kFromNeeds and kHealth fields (FixExplanation asks shows() anyway).
    if (!shows()) {
      e->clear_seeker_view_total();
      e->clear_support_schemes();
      e->clear_needs_met();
      e->clear_needs_to_check();
      e->clear_placement_rule();
    }
    for (v1::ScorePart& part : *e->mutable_parts()) DropUnknown(&part);
    for (v1::MatchedSkill& skill : *e->mutable_matched_skills()) {
      DropUnknown(&skill);
      if (skill.has_skill()) DropUnknown(skill.mutable_skill());
      if (skill.has_via()) DropUnknown(skill.mutable_via());
    }
    for (v1::SkillRef& skill : *e->mutable_missing_skills()) DropUnknown(&skill);
    for (v1::SkillRef& skill : *e->mutable_missing_optional_skills()) DropUnknown(&skill);
    for (v1::SkillRef& skill : *e->mutable_development_skills()) DropUnknown(&skill);
    if (e->has_placement_rule()) DropUnknown(e->mutable_placement_rule());
    FixExplanation(e, shows());
  }

  // FixExplanation over generated accessors.
  void FixExplanation(v1::Explanation* e, bool shows_needs) {
    if (shows_needs) {
      e->clear_needs_redacted();
      return;
    }
    e->set_needs_redacted(true);
    if (e->verdict() == "FEASIBLE_WITH_SUPPORT") e->set_verdict("FEASIBLE");
    if (e->blocker() == "HARD_NEED_UNMET" || e->blocker() == "DEMAND_EXCLUDED") {
      e->set_blocker(kWithheldBlocker);
      e->set_blocker_detail(kWithheldDetail);
    }
    if (e->blocker() == "PLACEMENT_NOT_ELIGIBLE" || e->blocker() == "PLACEMENT_TOO_LONG") {
      e->set_blocker_detail(kWithheldPlacementDetail);
    }
    auto* parts = e->mutable_parts();
    int kept = 0;
    const int n = parts->size();
    for (int i = 0; i < n; ++i) {
      v1::ScorePart* part = parts->Mutable(i);
      if (part->reason() == "NEEDS_FIT") continue;
      if (part->reason() == "COMMUTE") {
        if (std::optional<std::string> without = WithoutLimitReasons(part->evidence())) {
          part->set_evidence(*std::move(without));
        }
      }
      if (kept != i) parts->SwapElements(kept, i);
      ++kept;
    }
    while (parts->size() > kept) parts->RemoveLast();
  }

 public:

 private:
  bool ShowsNeeds(const Subject& subject) {
    if (view_.audience() != Audience::kNeedToKnow) return false;
    if (subject.in_record) return true;
    if (subject.consent) return *subject.consent;
    if (subject.seeker_id.empty()) return false;
    auto [it, fresh] = consents_.try_emplace(subject.seeker_id, false);
    if (fresh) it->second = consent_ && consent_(subject.seeker_id);
    return it->second;
  }

  template <typename ShowsNeedsFn>
  bool Shows(FieldClass cls, ShowsNeedsFn& shows_needs) const {
    switch (cls) {
      case FieldClass::kPublic:
        return !employer_;
      case FieldClass::kHealth:
      case FieldClass::kFromNeeds:
        return !employer_ && shows_needs();
      case FieldClass::kSeekerSideScore:
        return !employer_ && (!seeker_list_ || shows_needs());
      case FieldClass::kAllMunicipalityCount:
        return !employer_ && (all_municipalities_ || !entries_are_seekers_);
      case FieldClass::kNeedsAggregate:
        return view_.audience() == Audience::kNeedToKnow;
      case FieldClass::kEmployerVisible:
        return true;
    }
    return false;
  }

  void FixExplanation(pb::Message* m, const Plan& plan, bool shows_needs) {
    const pb::Reflection* r = m->GetReflection();
    if (shows_needs) {
      r->ClearField(m, plan.needs_redacted);
      return;
    }
    // The same for every seeker the viewer may not see needs of, so that
    // it says nothing about whether there are any.
    r->SetBool(m, plan.needs_redacted, true);
    if (r->GetStringReference(*m, plan.verdict, &scratch_) == "FEASIBLE_WITH_SUPPORT") {
      r->SetString(m, plan.verdict, "FEASIBLE");
    }
    const std::string& b = r->GetStringReference(*m, plan.blocker, &scratch_);
    if (b == "HARD_NEED_UNMET" || b == "DEMAND_EXCLUDED") {
      r->SetString(m, plan.blocker, kWithheldBlocker);
      r->SetString(m, plan.blocker_detail, kWithheldDetail);
    }
    // The rule named follows from the target group.
    if (b == "PLACEMENT_NOT_ELIGIBLE" || b == "PLACEMENT_TOO_LONG") {
      r->SetString(m, plan.blocker_detail, kWithheldPlacementDetail);
    }
    // No part computed from needs; the commute part names no limit reason.
    int kept = 0;  // stable compaction: kept parts keep their order
    const int n = r->FieldSize(*m, plan.parts);
    for (int i = 0; i < n; ++i) {
      pb::Message* part = r->MutableRepeatedMessage(m, plan.parts, i);
      const pb::Reflection* pr = part->GetReflection();
      const std::string& reason = pr->GetStringReference(*part, plan.part_reason, &scratch_);
      if (reason == "NEEDS_FIT") continue;
      if (reason == "COMMUTE") {
        const std::string& text = pr->GetStringReference(*part, plan.part_evidence, &scratch_);
        if (std::optional<std::string> without = WithoutLimitReasons(text)) {
          pr->SetString(part, plan.part_evidence, *std::move(without));
        }
      }
      if (kept != i) r->SwapElements(m, plan.parts, kept, i);
      ++kept;
    }
    while (r->FieldSize(*m, plan.parts) > kept) r->RemoveLast(m, plan.parts);
  }

  void FixWhyNot(pb::Message* m, const Plan& plan, bool shows_needs) const {
    if (shows_needs) return;
    const pb::Reflection* r = m->GetReflection();
    const pb::Message& score = r->GetMessage(*m, plan.score);
    if (StringOf(score, plan.score_blocker) == kWithheldBlocker) {
      r->SetString(m, plan.explanation, absl::StrCat(kWithheldBlocker, ": ", kWithheldDetail));
    } else if (seeker_list_ && StringOf(*m, plan.kind) == "BELOW_CUTOFF") {
      r->SetString(m, plan.explanation,
                   "feasible, but below the cut-off of the seeker's own list (its scores are "
                   "withheld: they are computed with the seeker's functional needs)");
    }
  }

  const View& view_;
  const bool all_municipalities_;
  const View::ConsentOf& consent_;
  const bool employer_;
  std::string request_seeker_;
  bool seeker_list_ = false;
  bool entries_are_seekers_ = false;
  std::map<std::string, bool> consents_;
  std::string scratch_;
};

// What the typed walk of a match list (Walker::WalkMatchResponse) is
// written for: every field of every message type in a MatchResponse, with
// the class it treats the field as (kNotSeekerData: a type that carries no
// seeker data, whose fields are never removed). If a type gains a field, or
// kFieldClasses changes a class, TypedMatchWalkKnows() is false and match
// lists are walked by reflection (fail closed; ViewTypedWalkTest fails
// until this table and the typed walk are brought up to date).
constexpr int kNotSeekerData = -1;
constexpr std::pair<const char*, int> kTypedMatchFields[] = {
    {"jobmatch.v1.MatchResponse.matches", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.MatchResponse.next_page_token", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.MatchResponse.trace", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.MatchResponse.candidates", static_cast<int>(FieldClass::kAllMunicipalityCount)},
    {"jobmatch.v1.MatchResponse.scored", static_cast<int>(FieldClass::kAllMunicipalityCount)},
    {"jobmatch.v1.MatchResponse.feasible", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.MatchResponse.pruned", static_cast<int>(FieldClass::kAllMunicipalityCount)},
    {"jobmatch.v1.MatchEntry.id", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.MatchEntry.rank", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.MatchEntry.explanation", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.MatchEntry.feedback_outcome", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.MatchEntry.openings_left", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.MatchEntry.priority", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.PriorityKeys.target_group", static_cast<int>(FieldClass::kHealth)},
    {"jobmatch.v1.PriorityKeys.weeks_unemployed", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.Explanation.verdict", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.Explanation.blocker", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.Explanation.blocker_detail", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.Explanation.total", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.Explanation.seeker_view_total", static_cast<int>(FieldClass::kFromNeeds)},
    {"jobmatch.v1.Explanation.requirements_fit", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.Explanation.preference_fit", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.Explanation.parts", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.Explanation.matched_skills", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.Explanation.missing_skills", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.Explanation.missing_optional_skills", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.Explanation.commute_minutes", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.Explanation.commute_mode", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.Explanation.commute_source", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.Explanation.support_schemes", static_cast<int>(FieldClass::kFromNeeds)},
    {"jobmatch.v1.Explanation.needs_met", static_cast<int>(FieldClass::kHealth)},
    {"jobmatch.v1.Explanation.needs_to_check", static_cast<int>(FieldClass::kHealth)},
    {"jobmatch.v1.Explanation.needs_redacted", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.Explanation.fortrinsadgang", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.Explanation.placement_rule", static_cast<int>(FieldClass::kHealth)},
    {"jobmatch.v1.Explanation.development_skills", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.ScorePart.reason", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.ScorePart.value", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.ScorePart.weight", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.ScorePart.contribution", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.ScorePart.evidence", static_cast<int>(FieldClass::kPublic)},
    {"jobmatch.v1.DecisionTrace.decision_id", kNotSeekerData},
    {"jobmatch.v1.DecisionTrace.policy_version", kNotSeekerData},
    {"jobmatch.v1.DecisionTrace.data_sequence", kNotSeekerData},
    {"jobmatch.v1.DecisionTrace.reference_data_version", kNotSeekerData},
    {"jobmatch.v1.DecisionTrace.computed_at_micros", kNotSeekerData},
    {"jobmatch.v1.MatchedSkill.skill", kNotSeekerData},
    {"jobmatch.v1.MatchedSkill.via", kNotSeekerData},
    {"jobmatch.v1.MatchedSkill.credit", kNotSeekerData},
    {"jobmatch.v1.SkillRef.esco_uri", kNotSeekerData},
    {"jobmatch.v1.SkillRef.label", kNotSeekerData},
    {"jobmatch.v1.PlacementRuleRef.rule_id", kNotSeekerData},
    {"jobmatch.v1.PlacementRuleRef.rule_version", kNotSeekerData},
    {"jobmatch.v1.PlacementRuleRef.table_version", kNotSeekerData},
    {"jobmatch.v1.PlacementRuleRef.kind", kNotSeekerData},
    {"jobmatch.v1.PlacementRuleRef.target_groups", kNotSeekerData},
    {"jobmatch.v1.PlacementRuleRef.max_weeks", kNotSeekerData},
    {"jobmatch.v1.PlacementRuleRef.valid_from", kNotSeekerData},
    {"jobmatch.v1.PlacementRuleRef.valid_to", kNotSeekerData},
    {"jobmatch.v1.PlacementRuleRef.source", kNotSeekerData},
};

// True when every message type reachable from MatchResponse has exactly the
// fields of kTypedMatchFields, each of the class given there.
bool ComputeTypedMatchWalkKnows() {
  absl::flat_hash_map<std::string, int> known;
  for (const auto& [name, cls] : kTypedMatchFields) known.emplace(name, cls);
  std::set<const pb::Descriptor*> seen;
  std::vector<const pb::Descriptor*> todo = {v1::MatchResponse::descriptor()};
  size_t fields = 0;
  while (!todo.empty()) {
    const pb::Descriptor* d = todo.back();
    todo.pop_back();
    if (!seen.insert(d).second) continue;
    const bool seeker_data = IsSeekerDataMessage(d);
    for (int i = 0; i < d->field_count(); ++i) {
      const pb::FieldDescriptor* f = d->field(i);
      auto it = known.find(f->full_name());
      if (it == known.end()) return false;
      ++fields;
      if (seeker_data) {
        const std::optional<FieldClass> cls = ClassOf(f);
        if (!cls || static_cast<int>(*cls) != it->second) return false;
      } else if (it->second != kNotSeekerData) {
        return false;
      }
      if (f->message_type() != nullptr) todo.push_back(f->message_type());
    }
  }
  return fields == known.size();
}

bool Reaches(const pb::Descriptor* d, std::set<const pb::Descriptor*>* seen) {
  if (!seen->insert(d).second) return false;
  if (IsSeekerDataMessage(d)) return true;
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::Descriptor* sub = d->field(i)->message_type();
    if (sub != nullptr && Reaches(sub, seen)) return true;
  }
  return false;
}

}  // namespace

std::string_view AudienceName(Audience audience) {
  switch (audience) {
    case Audience::kNeedToKnow: return "NEED_TO_KNOW";
    case Audience::kNoNeeds: return "NO_NEEDS";
    case Audience::kEmployer: return "EMPLOYER";
  }
  return "NO_NEEDS";
}

std::string_view FieldClassName(FieldClass field_class) {
  switch (field_class) {
    case FieldClass::kPublic: return "public";
    case FieldClass::kHealth: return "health";
    case FieldClass::kFromNeeds: return "from-needs";
    case FieldClass::kSeekerSideScore: return "seeker-side-score";
    case FieldClass::kAllMunicipalityCount: return "all-municipality-count";
    case FieldClass::kNeedsAggregate: return "needs-aggregate";
    case FieldClass::kEmployerVisible: return "employer-visible";
  }
  return "public";
}

std::optional<FieldClass> ClassOf(const pb::FieldDescriptor* field) {
  auto it = Classes().find(field->full_name());
  if (it == Classes().end()) return std::nullopt;
  return it->second;
}

const std::vector<const pb::Descriptor*>& SeekerDataMessages() {
  static const auto* messages = [] {
    auto* v = new std::vector<const pb::Descriptor*>();
    for (const char* name : kSeekerDataMessages) {
      if (const pb::Descriptor* d = pb::DescriptorPool::generated_pool()->FindMessageTypeByName(name)) {
        v->push_back(d);
      }
    }
    return v;
  }();
  return *messages;
}

std::optional<std::string> WithoutLimitReasons(std::string_view text) {
  static constexpr std::string_view kLead = " one way, ";
  static constexpr std::string_view kReasons[] = {"STANDARD_RULE", "HEALTH", "CARE_OBLIGATIONS",
                                                   "OTHER", "UNSPECIFIED"};
  std::optional<std::string> out;
  size_t copied = 0;  // text[0, copied) is in *out
  for (size_t at = text.find(kLead); at != std::string_view::npos; at = text.find(kLead, at + 1)) {
    const size_t name_at = at + kLead.size();
    for (std::string_view reason : kReasons) {
      const size_t end = name_at + reason.size();
      if (end < text.size() && (text[end] == ')' || text[end] == ';') &&
          text.compare(name_at, reason.size(), reason) == 0) {
        if (!out) out.emplace();
        out->append(text.substr(copied, at - copied));
        out->append(" one way");
        out->push_back(text[end]);
        copied = end + 1;
        at = end;  // the next match starts after this one (find from end + 1)
        break;
      }
    }
  }
  if (out) out->append(text.substr(copied));
  return out;
}

bool CarriesSeekerData(const pb::Descriptor* message) {
  std::set<const pb::Descriptor*> seen;
  return Reaches(message, &seen);
}

View View::Of(const std::optional<AccessScope>& scope) {
  if (!scope) return View(Audience::kNeedToKnow, true);
  if (scope->role == "EMPLOYER") return View(Audience::kEmployer, false);
  return View(scope->may_see_needs ? Audience::kNeedToKnow : Audience::kNoNeeds,
              scope->all_municipalities);
}

bool View::ShowsNeeds(bool consent, bool in_record) const {
  return audience_ == Audience::kNeedToKnow && (in_record || consent);
}

bool TypedMatchWalkKnows() {
  static const bool knows = ComputeTypedMatchWalkKnows();
  return knows;
}

void View::Apply(const pb::Message& request, pb::Message* response,
                 const ConsentOf& consent) const {
  if (audience_ != Audience::kEmployer &&
      response->GetDescriptor() == v1::MatchResponse::descriptor() && TypedMatchWalkKnows()) {
    if (auto* matches = dynamic_cast<v1::MatchResponse*>(response)) {
      Walker walker(*this, all_municipalities_, consent, request);
      walker.WalkMatchResponse(matches);
      return;
    }
  }
  ApplyByReflection(request, response, consent);
}

void View::ApplyByReflection(const pb::Message& request, pb::Message* response,
                             const ConsentOf& consent) const {
  Walker walker(*this, all_municipalities_, consent, request);
  walker.Walk(response, Plans::Of(response->GetDescriptor()), walker.RequestSubject());
}

}  // namespace jobmatch
