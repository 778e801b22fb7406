#include "clients/cli/match_filters.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace jobmatch::cli {
namespace {

std::string Names(const google::protobuf::EnumDescriptor& e) {
  std::vector<std::string> names;
  for (int i = 1; i < e.value_count(); ++i) names.push_back(e.value(i)->name());
  return absl::StrJoin(names, ", ");
}

}  // namespace

absl::StatusOr<v1::MatchFilters> ParseMatchFilters(const std::string& kinds,
                                                   const std::string& municipalities,
                                                   const std::string& min_score) {
  v1::MatchFilters filters;
  for (absl::string_view kind : absl::StrSplit(kinds, ',', absl::SkipWhitespace())) {
    v1::VacancyKind value;
    if (!v1::VacancyKind_Parse(absl::AsciiStrToUpper(absl::StripAsciiWhitespace(kind)), &value) ||
        value == v1::VACANCY_KIND_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat("--kind: \"", kind, "\" is not one of ",
                                                     Names(*v1::VacancyKind_descriptor())));
    }
    filters.add_vacancy_kinds(value);
  }
  for (absl::string_view code : absl::StrSplit(municipalities, ',', absl::SkipWhitespace())) {
    int value = 0;
    if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(code), &value) || value < 101 || value > 999) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--municipality: \"", code, "\" is not a municipality code (kommunekode 101-999)"));
    }
    filters.add_municipalities(value);
  }
  if (!min_score.empty()) {
    double value = 0;
    if (!absl::SimpleAtod(min_score, &value) || value < 0 || value > 100) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--min_score: \"", min_score, "\" must be a score 0..1 or a percentage 1..100"));
    }
    filters.set_min_score(value > 1 ? value / 100 : value);
  }
  return filters;
}

absl::StatusOr<v1::Feedback> ParseFeedback(const std::string& seeker_id,
                                           const std::string& vacancy_id,
                                           const std::string& outcome, const std::string& reason) {
  v1::Feedback feedback;
  feedback.set_seeker_id(seeker_id);
  feedback.set_vacancy_id(vacancy_id);
  v1::FeedbackOutcome o;
  if (!v1::FeedbackOutcome_Parse(absl::AsciiStrToUpper(outcome), &o) ||
      o == v1::FEEDBACK_OUTCOME_UNSPECIFIED) {
    return absl::InvalidArgumentError(absl::StrCat("OUTCOME: \"", outcome, "\" is not one of ",
                                                   absl::AsciiStrToLower(Names(*v1::FeedbackOutcome_descriptor()))));
  }
  feedback.set_outcome(o);
  if (o == v1::FOLLOWED_UP) {
    if (reason != "1" && reason != "3" && reason != "6") {
      return absl::InvalidArgumentError("MONTHS: followed_up needs the months, 1, 3 or 6");
    }
    feedback.set_follow_up_months(std::stoi(reason));
    return feedback;
  }
  if (o == v1::ENDED) {
    v1::EndOutcome e;
    if (reason.empty() || !v1::EndOutcome_Parse(absl::AsciiStrToUpper(reason), &e) ||
        e == v1::END_OUTCOME_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          absl::StrCat("END: ended needs how it ended, one of ",
                       absl::AsciiStrToLower(Names(*v1::EndOutcome_descriptor()))));
    }
    feedback.set_end_outcome(e);
    return feedback;
  }
  if (o == v1::REJECTED) {
    v1::RejectionReason r;
    if (reason.empty() || !v1::RejectionReason_Parse(absl::AsciiStrToUpper(reason), &r) ||
        r == v1::REJECTION_REASON_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat(
          "REASON: rejected needs a reason, one of ",
          absl::AsciiStrToLower(Names(*v1::RejectionReason_descriptor()))));
    }
    feedback.set_reason(r);
  } else if (!reason.empty()) {
    return absl::InvalidArgumentError("REASON: only a rejection takes a reason");
  }
  return feedback;
}

int DropLongCommutes(double max_minutes, v1::MatchResponse* response) {
  if (max_minutes <= 0) return 0;
  auto* matches = response->mutable_matches();
  const int before = matches->size();
  for (int i = matches->size() - 1; i >= 0; --i) {
    if (matches->Get(i).explanation().commute_minutes() > max_minutes) matches->DeleteSubrange(i, 1);
  }
  return before - matches->size();
}

}  // namespace jobmatch::cli
