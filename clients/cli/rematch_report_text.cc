#include "clients/cli/rematch_report_text.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "clients/cli/upskilling_report.h"

namespace jobmatch::cli {
namespace {

void Distribution(const char* title, const v1::ScoreDistribution& d, std::string* out) {
  absl::StrAppendFormat(out, "\n%s (n=%u, mean %.3f)\n", title, d.count(), d.mean());
  if (d.count() == 0) {
    absl::StrAppend(out, "  no scores\n");
    return;
  }
  if (d.deciles_size() == 11) {
    absl::StrAppend(out, "  deciles:");
    for (int i = 0; i <= 10; ++i) absl::StrAppendFormat(out, " p%d %.2f", i * 10, d.deciles(i));
    absl::StrAppend(out, "\n");
  }
  uint64_t most = 1;
  for (uint64_t c : d.histogram()) most = std::max(most, c);
  const double width = 1.0 / std::max(1, d.histogram_size());
  for (int i = 0; i < d.histogram_size(); ++i) {
    if (d.histogram(i) == 0) continue;
    const int bar = static_cast<int>(40.0 * d.histogram(i) / most + 0.5);
    absl::StrAppendFormat(out, "  %.2f-%.2f %9u %s\n", i * width, (i + 1) * width, d.histogram(i),
                          std::string(std::max(bar, 1), '#'));
  }
}

// `text` padded with spaces to `width` characters (UTF-8 code points, so
// that æ, ø and å take one column).
std::string Pad(const std::string& text, size_t width) {
  size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
  return chars >= width ? text : text + std::string(width - chars, ' ');
}

void Coverage(const char* title, const char* key_title,
              const google::protobuf::RepeatedPtrField<v1::CoverageRow>& rows, bool municipality,
              std::string* out) {
  absl::StrAppendFormat(out, "\n%s\n  %-28s %9s %11s %8s %12s\n", title, key_title, "seekers",
                        "with match", "share", "median best");
  for (const auto& row : rows) {
    if (row.suppressed()) {
      absl::StrAppendFormat(out, "  %s %9s\n",
                            Pad(municipality ? MunicipalityLabel(row) : row.key(), 28),
                            "suppressed (small count)");
      continue;
    }
    absl::StrAppendFormat(out, "  %s %9u %11u %8s %12.3f\n",
                          Pad(municipality ? MunicipalityLabel(row) : row.key(), 28), row.seekers(),
                          row.with_match(), Pct(row.share_with_match()), row.median_best_score());
  }
}

void PlacementRow(const std::string& label, const v1::PlacementOutcomeRow& row, uint32_t min,
                  std::string* out) {
  if (row.suppressed()) {
    absl::StrAppendFormat(out, "  %s %8s\n", Pad(label, 24),
                          absl::StrCat("suppressed (fewer than ", min, " people, or to protect one)"));
    return;
  }
  const uint64_t enough = std::max<uint64_t>(1, min);
  absl::StrAppendFormat(out, "  %s %8u %6u %6u %6u   %6u %6u %6u   %s\n", Pad(label, 24),
                        row.started(), row.in_work_1_month(), row.in_work_3_months(),
                        row.in_work_6_months(), row.ended_employment(), row.ended_education(),
                        row.ended_back_to_benefits(),
                        row.with_start_time() >= enough
                            ? absl::StrFormat("%.1f (n=%u)", row.median_days_to_start(),
                                              row.with_start_time())
                        : row.with_start_time() > 0
                            ? absl::StrFormat("- (n=%u, too few)", row.with_start_time())
                            : std::string("-"));
}

void Placements(const v1::PlacementOutcomes& p, uint32_t min, std::string* out) {
  absl::StrAppendFormat(out,
                        "\nPlacement outcomes (from feedback; counts, never a person)\n"
                        "  %s %8s %6s %6s %6s   %6s %6s %6s   %s\n",
                        Pad("", 24), "started", "1 mo", "3 mo", "6 mo", "->job", "->edu",
                        "->bene", "median days first feedback -> start");
  PlacementRow("all", p.all(), min, out);
  if (p.has_with_needs() || p.has_without_needs()) {
    PlacementRow("with functional needs", p.with_needs(), min, out);
    PlacementRow("without functional needs", p.without_needs(), min, out);
  } else {
    absl::StrAppend(out, "  (with and without functional needs: not shown to this caller)\n");
  }
  for (const auto& row : p.by_municipality()) {
    PlacementRow(row.name().empty() ? row.key() : absl::StrCat(row.name(), " (", row.key(), ")"),
                 row, min, out);
  }
  for (const auto& row : p.by_target_group()) {
    PlacementRow(absl::StrCat("group ", row.key()), row, min, out);
  }
}

}  // namespace

std::string Pct(double share) { return absl::StrFormat("%.1f%%", 100 * share); }

std::string MunicipalityLabel(const v1::CoverageRow& row) {
  return row.name().empty() ? row.key() : absl::StrCat(row.name(), " (", row.key(), ")");
}

std::string RenderReportText(const v1::RematchReport& r) {
  std::string out = absl::StrFormat(
      "Rematch report, run %s (finished %s, policy %s, top-%d)\n", r.run_id(),
      absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::FromUnixMicros(r.finished_micros()),
                       absl::UTCTimeZone()),
      r.policy_version(), r.k());
  absl::StrAppendFormat(&out, "  seekers    %9u, %u (%s) with at least one feasible match\n",
                        r.seekers(), r.seekers_with_match(),
                        Pct(r.seekers() ? double(r.seekers_with_match()) / r.seekers() : 0));
  absl::StrAppendFormat(&out, "  vacancies  %9u, %u (%s) with no candidate at all\n", r.vacancies(),
                        r.vacancies_without_candidate(),
                        Pct(r.vacancies() ? double(r.vacancies_without_candidate()) / r.vacancies() : 0));
  if (r.min_cell_people() > 1) {
    absl::StrAppendFormat(&out,
                          "  rows of fewer than %u people are suppressed, and others with them "
                          "(docs/rematch.md)\n",
                          r.min_cell_people());
  }
  if (r.scoped_to_municipalities_size() > 0) {
    absl::StrAppendFormat(&out,
                          "  rows by municipality: only %s (your municipalities); totals are "
                          "national\n",
                          absl::StrJoin(r.scoped_to_municipalities(), ", "));
  }
  Coverage("Coverage by municipality (share of seekers with a feasible match)", "municipality",
           r.by_municipality(), true, &out);
  Coverage("Coverage by target group", "target group", r.by_target_group(), false, &out);
  Distribution("Best score per seeker with a match", r.best_scores(), &out);
  Distribution("Every score in every seeker's top-k", r.all_scores(), &out);

  const v1::FairnessAudit& f = r.fairness();
  if (!r.has_fairness()) {
    absl::StrAppend(&out, "\nFairness audit: not shown to this caller (figures split by "
                          "functional needs)\n");
  } else {
    absl::StrAppend(&out,
                    "\nFairness audit: seekers with functional needs vs comparable seekers without\n"
                    "  (compared within the same skills band and commute band, weighted to where\n"
                    "  the seekers with needs are)\n");
    absl::StrAppendFormat(&out, "  %-24s %12s %12s %12s\n", "", "with needs", "comparable",
                          "difference");
    absl::StrAppendFormat(&out, "  %-24s %12s %12s %+9.1f pts\n", "share with a match",
                          Pct(f.needs_share()), Pct(f.comparable_share()),
                          100 * f.share_difference());
    absl::StrAppendFormat(&out, "  %-24s %12.3f %12.3f %+12.3f\n", "median best score",
                          f.needs_median_best(), f.comparable_median_best(),
                          f.median_best_difference());
    absl::StrAppendFormat(&out,
                          "  unstratified: with needs %s of %u matched (median %.3f), without %s of "
                          "%u (median %.3f)\n",
                          Pct(f.raw_with_needs().share_with_match()), f.raw_with_needs().seekers(),
                          f.raw_with_needs().median_best_score(),
                          Pct(f.raw_without_needs().share_with_match()),
                          f.raw_without_needs().seekers(), f.raw_without_needs().median_best_score());
    if (f.needs_without_comparison() > 0) {
      absl::StrAppendFormat(&out, "  %u seekers with needs have no comparable seeker (left out)\n",
                            f.needs_without_comparison());
    }
    if (f.small_sample()) {
      absl::StrAppend(&out, "  too few seekers with needs (under 30) to judge a difference\n");
    }
    absl::StrAppendFormat(&out, "  %-8s %-10s %8s %8s %8s   %8s %8s %8s\n", "skills", "commute",
                          "needs n", "matched", "median", "others n", "matched", "median");
    for (const auto& s : f.strata()) {
      if (s.with_needs().seekers() == 0 && s.without_needs().seekers() == 0) continue;
      absl::StrAppendFormat(&out, "  %-8s %-10s %8u %8s %8.3f   %8u %8s %8.3f\n", s.skills_band(),
                            s.commute_band(), s.with_needs().seekers(),
                            Pct(s.with_needs().share_with_match()), s.with_needs().median_best_score(),
                            s.without_needs().seekers(), Pct(s.without_needs().share_with_match()),
                            s.without_needs().median_best_score());
    }
  }

  absl::StrAppendFormat(&out, "\nSuggestions: plain top-k vs capacity-aware allocation\n  %-16s %12s %18s %18s %10s %10s\n",
                        "", "suggestions", "vacancies reached", "seekers reached", "Gini", "mean score");
  for (const auto& [name, fig] :
       {std::pair<const char*, const v1::AllocationFigures*>{"plain top-k", &r.plain()},
        {"capacity-aware", &r.allocated()}}) {
    absl::StrAppendFormat(&out, "  %-16s %12u %18s %18s %10.3f %10.3f\n", name, fig->suggestions(),
                          Pct(fig->share_vacancies_with_suggestion()),
                          Pct(fig->share_seekers_with_suggestion()),
                          fig->gini_suggestions_per_vacancy(), fig->mean_score());
  }
  if (r.has_placements()) Placements(r.placements(), r.min_cell_people(), &out);
  absl::StrAppend(&out, RenderUpskillingSectionsText(r));
  return out;
}

}  // namespace jobmatch::cli
