#include "server/view.h"

#include <map>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/reflection.h"

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

std::string StringField(const pb::Message& m, const char* name) {
  const pb::FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(name);
  if (f == nullptr || f->is_repeated() || f->cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING) {
    return "";
  }
  return m.GetReflection()->GetString(m, f);
}

class Walker {
 public:
  Walker(const View& view, bool all_municipalities, const View::ConsentOf& consent,
         const pb::Message& request)
      : view_(view), all_municipalities_(all_municipalities), consent_(consent) {
    request_seeker_ = StringField(request, "seeker_id");
    const pb::FieldDescriptor* side = request.GetDescriptor()->FindFieldByName("seeker_side");
    const bool vacancy_side = side != nullptr && side->cpp_type() == pb::FieldDescriptor::CPPTYPE_BOOL &&
                              !request.GetReflection()->GetBool(request, side);
    seeker_list_ = !request_seeker_.empty() && !vacancy_side;
    entries_are_seekers_ = request_seeker_.empty() && !StringField(request, "vacancy_id").empty();
  }

  struct Subject {
    std::string seeker_id;
    std::optional<bool> consent;  // known from the record itself
    bool in_record = false;
  };

  // The seeker a response is about unless its parts name another.
  Subject RequestSubject() const { return Subject{request_seeker_, std::nullopt, false}; }

  void Walk(pb::Message* m, Subject subject) {
    const pb::Descriptor* d = m->GetDescriptor();
    const pb::Reflection* r = m->GetReflection();
    r->MutableUnknownFields(m)->Clear();
    const bool seeker_data = IsSeekerDataMessage(d);
    if (d->full_name() == "jobmatch.v1.Seeker") {
      subject.seeker_id = StringField(*m, "id");
      subject.consent = r->GetBool(*m, d->FindFieldByName("consent_share_needs_with_employers"));
      subject.in_record = true;
    } else if (d->full_name() == "jobmatch.v1.MatchEntry" && entries_are_seekers_) {
      subject.seeker_id = StringField(*m, "id");
      subject.consent.reset();
    }
    const bool shows_needs = ShowsNeeds(subject);
    std::vector<const pb::FieldDescriptor*> fields;
    r->ListFields(*m, &fields);
    for (const pb::FieldDescriptor* f : fields) {
      if (seeker_data) {
        std::optional<FieldClass> cls = ClassOf(f);
        if (!cls || !Shows(*cls, shows_needs)) {
          r->ClearField(m, f);
          continue;
        }
      }
      if (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) continue;
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(*m, f); ++i) Walk(r->MutableRepeatedMessage(m, f, i), subject);
      } else {
        Walk(r->MutableMessage(m, f), subject);
      }
    }
    if (d->full_name() == "jobmatch.v1.Explanation") FixExplanation(m, shows_needs);
    if (d->full_name() == "jobmatch.v1.WhyNotResponse") FixWhyNot(m, shows_needs);
  }

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

  bool Shows(FieldClass cls, bool shows_needs) const {
    const bool employer = view_.audience() == Audience::kEmployer;
    switch (cls) {
      case FieldClass::kPublic:
        return !employer;
      case FieldClass::kHealth:
      case FieldClass::kFromNeeds:
        return !employer && shows_needs;
      case FieldClass::kSeekerSideScore:
        return !employer && (!seeker_list_ || shows_needs);
      case FieldClass::kAllMunicipalityCount:
        return !employer && (all_municipalities_ || !entries_are_seekers_);
      case FieldClass::kEmployerVisible:
        return true;
    }
    return false;
  }

  static void FixExplanation(pb::Message* m, bool shows_needs) {
    const pb::Descriptor* d = m->GetDescriptor();
    const pb::Reflection* r = m->GetReflection();
    const pb::FieldDescriptor* redacted = d->FindFieldByName("needs_redacted");
    if (shows_needs) {
      r->ClearField(m, redacted);
      return;
    }
    // The same for every seeker the viewer may not see needs of, so that
    // it says nothing about whether there are any.
    r->SetBool(m, redacted, true);
    const pb::FieldDescriptor* verdict = d->FindFieldByName("verdict");
    if (r->GetString(*m, verdict) == "FEASIBLE_WITH_SUPPORT") r->SetString(m, verdict, "FEASIBLE");
    const pb::FieldDescriptor* blocker = d->FindFieldByName("blocker");
    const std::string b = r->GetString(*m, blocker);
    if (b == "HARD_NEED_UNMET" || b == "DEMAND_EXCLUDED") {
      r->SetString(m, blocker, kWithheldBlocker);
      r->SetString(m, d->FindFieldByName("blocker_detail"), kWithheldDetail);
    }
    // No part computed from needs; the commute part names no limit reason.
    const pb::FieldDescriptor* parts = d->FindFieldByName("parts");
    int kept = 0;  // stable compaction: kept parts keep their order
    const int n = r->FieldSize(*m, parts);
    for (int i = 0; i < n; ++i) {
      pb::Message* part = r->MutableRepeatedMessage(m, parts, i);
      const pb::Descriptor* pd = part->GetDescriptor();
      const pb::Reflection* pr = part->GetReflection();
      const std::string reason = pr->GetString(*part, pd->FindFieldByName("reason"));
      if (reason == "NEEDS_FIT") continue;
      if (reason == "COMMUTE") {
        const pb::FieldDescriptor* evidence = pd->FindFieldByName("evidence");
        std::string text = pr->GetString(*part, evidence);
        for (const char* name : {"STANDARD_RULE", "HEALTH", "CARE_OBLIGATIONS", "OTHER",
                                 "UNSPECIFIED"}) {
          text = absl::StrReplaceAll(text, {{absl::StrCat(" one way, ", name, ")"), " one way)"},
                                            {absl::StrCat(" one way, ", name, ";"), " one way;"}});
        }
        pr->SetString(part, evidence, text);
      }
      if (kept != i) r->SwapElements(m, parts, kept, i);
      ++kept;
    }
    while (r->FieldSize(*m, parts) > kept) r->RemoveLast(m, parts);
  }

  void FixWhyNot(pb::Message* m, bool shows_needs) const {
    if (shows_needs) return;
    const pb::Descriptor* d = m->GetDescriptor();
    const pb::Reflection* r = m->GetReflection();
    const pb::FieldDescriptor* explanation = d->FindFieldByName("explanation");
    const pb::Message& score = r->GetMessage(*m, d->FindFieldByName("score"));
    if (StringField(score, "blocker") == kWithheldBlocker) {
      r->SetString(m, explanation, absl::StrCat(kWithheldBlocker, ": ", kWithheldDetail));
    } else if (seeker_list_ && StringField(*m, "kind") == "BELOW_CUTOFF") {
      r->SetString(m, explanation,
                   "feasible, but below the cut-off of the seeker's own list (its scores are "
                   "withheld: they are computed with the seeker's functional needs)");
    }
  }

  const View& view_;
  const bool all_municipalities_;
  const View::ConsentOf& consent_;
  std::string request_seeker_;
  bool seeker_list_ = false;
  bool entries_are_seekers_ = false;
  std::map<std::string, bool> consents_;
};

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

void View::Apply(const pb::Message& request, pb::Message* response,
                 const ConsentOf& consent) const {
  Walker walker(*this, all_municipalities_, consent, request);
  walker.Walk(response, walker.RequestSubject());
}

}  // namespace jobmatch
