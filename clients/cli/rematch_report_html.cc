#include "clients/cli/rematch_report_html.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "clients/cli/rematch_report_text.h"
#include "clients/cli/upskilling_report.h"

namespace jobmatch::cli {
namespace {

constexpr char kBlue[] = "#2b6cb0";
constexpr char kOrange[] = "#dd6b20";
constexpr char kGrey[] = "#a0aec0";

constexpr char kStyle[] = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1100px;color:#1a202c;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em} h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #e2e8f0;padding-bottom:.3em}
.muted{color:#718096} .cards{display:flex;gap:1em;flex-wrap:wrap;margin:1em 0}
.card{border:1px solid #e2e8f0;border-radius:8px;padding:.8em 1.2em;min-width:180px}
.card .v{font-size:1.8em;font-weight:600} .row{display:flex;gap:2em;flex-wrap:wrap;align-items:flex-start}
table{border-collapse:collapse;font-size:.9em;margin:.5em 0} th,td{padding:.25em .6em;text-align:right;border-bottom:1px solid #edf2f7}
th:first-child,td:first-child{text-align:left} .bad{color:#c53030} .good{color:#2f855a}
svg text{font-family:inherit;font-size:12px;fill:#2d3748} .legend span{display:inline-block;width:12px;height:12px;margin:0 .3em 0 1em;vertical-align:middle}
details{margin:.5em 0}
)";

std::string Num(double v, int decimals = 3) { return absl::StrFormat("%.*f", decimals, v); }

struct Bar {
  std::string label;
  double value = 0;  // in [0, max]
  std::string text;  // shown at the end of the bar
};

// One horizontal bar per row, labels on the left.
std::string HorizontalBars(const std::vector<Bar>& bars, double max, const std::string& color,
                           const std::string& title) {
  const int label_w = 210, bar_w = 480, row_h = 18, top = 8;
  const int height = top + row_h * static_cast<int>(bars.size()) + 24;
  std::string svg = absl::StrFormat(
      "<svg role=\"img\" aria-label=\"%s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
      HtmlEscape(title), label_w + bar_w + 70, height, label_w + bar_w + 70, height);
  for (int tick = 0; tick <= 4; ++tick) {
    const double x = label_w + bar_w * tick / 4.0;
    absl::StrAppendFormat(&svg,
                          "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#edf2f7\"/>"
                          "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                          x, top, x, height - 20, x, height - 6,
                          max == 1.0 ? absl::StrCat(tick * 25, "%") : Num(max * tick / 4, 2));
  }
  for (size_t i = 0; i < bars.size(); ++i) {
    const int y = top + row_h * static_cast<int>(i);
    const double w = max > 0 ? bar_w * std::clamp(bars[i].value / max, 0.0, 1.0) : 0;
    absl::StrAppendFormat(
        &svg,
        "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
        "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s: %s</title></rect>"
        "<text x=\"%.1f\" y=\"%d\">%s</text>\n",
        label_w - 6, y + 13, HtmlEscape(bars[i].label), label_w, y + 3, w, row_h - 5, color,
        HtmlEscape(bars[i].label), HtmlEscape(bars[i].text), label_w + w + 4, y + 13,
        HtmlEscape(bars[i].text));
  }
  return svg + "</svg>\n";
}

// Vertical bars over [0, 1], one per histogram bin.
std::string Histogram(const v1::ScoreDistribution& d, const std::string& color,
                      const std::string& title) {
  const int w = 470, h = 220, left = 50, right = 20, bottom = 30, top = 10;
  const int bins = std::max(1, d.histogram_size());
  uint64_t most = 1;
  for (uint64_t c : d.histogram()) most = std::max(most, c);
  std::string svg = absl::StrFormat(
      "<svg role=\"img\" aria-label=\"%s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
      HtmlEscape(title), w, h, w, h);
  const double plot_w = w - left - right, plot_h = h - bottom - top;
  absl::StrAppendFormat(&svg, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#718096\"/>\n",
                        left, top + plot_h, w - right, top + plot_h);
  for (int tick = 0; tick <= 4; ++tick) {
    const double y = top + plot_h * (1 - tick / 4.0);
    absl::StrAppendFormat(&svg,
                          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#edf2f7\"/>"
                          "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%u</text>\n",
                          left, y, w - right, y, left - 4, y + 4,
                          static_cast<uint64_t>(most * tick / 4.0 + 0.5));
  }
  for (int i = 0; i < d.histogram_size(); ++i) {
    const double bh = plot_h * d.histogram(i) / most;
    const double x = left + plot_w * i / bins;
    absl::StrAppendFormat(&svg,
                          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                          "<title>%.2f-%.2f: %u</title></rect>\n",
                          x + 1, top + plot_h - bh, plot_w / bins - 2, bh, color,
                          double(i) / bins, double(i + 1) / bins, d.histogram(i));
  }
  for (int tick = 0; tick <= 4; ++tick) {
    absl::StrAppendFormat(&svg, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.2f</text>\n",
                          left + plot_w * tick / 4.0, h - 10, tick / 4.0);
  }
  return svg + "</svg>\n";
}

struct Pair {
  std::string label;
  double a = 0, b = 0;  // in [0, max]
  std::string a_text, b_text;
};

// Two bars per group (series a in blue, b in orange).
std::string GroupedBars(const std::vector<Pair>& groups, double max, const std::string& title) {
  const int group_w = 150, h = 230, top = 20, bottom = 40;
  const int w = 40 + group_w * static_cast<int>(groups.size());
  const double plot_h = h - top - bottom;
  std::string svg = absl::StrFormat(
      "<svg role=\"img\" aria-label=\"%s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
      HtmlEscape(title), w, h, w, h);
  absl::StrAppendFormat(&svg, "<line x1=\"20\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#718096\"/>\n",
                        top + plot_h, w - 10, top + plot_h);
  for (size_t i = 0; i < groups.size(); ++i) {
    const double x0 = 30 + group_w * static_cast<double>(i);
    const Pair& g = groups[i];
    int k = 0;
    for (const auto& [value, text, color] :
         {std::tuple<double, std::string, const char*>{g.a, g.a_text, kBlue},
          {g.b, g.b_text, kOrange}}) {
      const double bh = max > 0 ? plot_h * std::clamp(value / max, 0.0, 1.0) : 0;
      const double x = x0 + 15 + 55 * k++;
      absl::StrAppendFormat(&svg,
                            "<rect x=\"%.1f\" y=\"%.1f\" width=\"45\" height=\"%.1f\" fill=\"%s\">"
                            "<title>%s</title></rect>"
                            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                            x, top + plot_h - bh, bh, color, HtmlEscape(text), x + 22.5,
                            top + plot_h - bh - 4, HtmlEscape(text));
    }
    absl::StrAppendFormat(&svg, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                          x0 + 65, h - 20, HtmlEscape(g.label));
  }
  return svg + "</svg>\n";
}

std::string Legend(const std::string& a, const std::string& b) {
  return absl::StrFormat(
      "<div class=\"legend\"><span style=\"background:%s\"></span>%s<span "
      "style=\"background:%s\"></span>%s</div>\n",
      kBlue, HtmlEscape(a), kOrange, HtmlEscape(b));
}

std::string CoverageTable(const google::protobuf::RepeatedPtrField<v1::CoverageRow>& rows,
                          const std::string& key_title, bool municipality) {
  std::string t = absl::StrFormat(
      "<table><tr><th>%s</th><th>seekers</th><th>with a match</th><th>share</th><th>median best "
      "score</th></tr>\n",
      HtmlEscape(key_title));
  for (const auto& r : rows) {
    if (r.suppressed()) {
      absl::StrAppendFormat(&t, "<tr><td>%s</td><td colspan=\"4\">suppressed (small count)</td></tr>\n",
                            HtmlEscape(municipality ? MunicipalityLabel(r) : r.key()));
      continue;
    }
    absl::StrAppendFormat(&t, "<tr><td>%s</td><td>%u</td><td>%u</td><td>%s</td><td>%s</td></tr>\n",
                          HtmlEscape(municipality ? MunicipalityLabel(r) : r.key()), r.seekers(),
                          r.with_match(), Pct(r.share_with_match()), Num(r.median_best_score()));
  }
  return t + "</table>\n";
}

std::string Card(const std::string& title, const std::string& value, const std::string& note) {
  return absl::StrFormat(
      "<div class=\"card\"><div class=\"muted\">%s</div><div class=\"v\">%s</div><div "
      "class=\"muted\">%s</div></div>\n",
      HtmlEscape(title), HtmlEscape(value), HtmlEscape(note));
}

// The fairness audit (present only for callers who may see needs).
std::string FairnessSection(const v1::FairnessAudit& f) {
  std::string h;
  h += "<h2>Fairness audit: seekers with functional needs</h2>\n<p class=\"muted\">Seekers with "
       "functional needs compared with seekers without who hold a similar number of skills and "
       "have a similar commute limit (the same skills band and commute band), weighted to where "
       "the seekers with needs are. A negative difference means seekers with needs fare worse than "
       "comparable seekers.</p>\n";
  h += Legend("with functional needs", "comparable seekers without");
  h += GroupedBars(
      {{"share with a match", f.needs_share(), f.comparable_share(), Pct(f.needs_share()),
        Pct(f.comparable_share())},
       {"median best score", f.needs_median_best(), f.comparable_median_best(),
        Num(f.needs_median_best(), 2), Num(f.comparable_median_best(), 2)}},
      1.0, "Fairness comparison");
  absl::StrAppendFormat(
      &h,
      "<table><tr><th></th><th>with needs</th><th>comparable</th><th>difference</th></tr>\n"
      "<tr><td>share with a match</td><td>%s</td><td>%s</td><td class=\"%s\">%+.1f pts</td></tr>\n"
      "<tr><td>median best score</td><td>%s</td><td>%s</td><td class=\"%s\">%+.3f</td></tr>\n"
      "<tr><td>unstratified share</td><td>%s of %u</td><td>%s of %u</td><td></td></tr>\n</table>\n",
      Pct(f.needs_share()), Pct(f.comparable_share()),
      f.share_difference() < -0.02 ? "bad" : "good", 100 * f.share_difference(),
      Num(f.needs_median_best()), Num(f.comparable_median_best()),
      f.median_best_difference() < -0.02 ? "bad" : "good", f.median_best_difference(),
      Pct(f.raw_with_needs().share_with_match()), f.raw_with_needs().seekers(),
      Pct(f.raw_without_needs().share_with_match()), f.raw_without_needs().seekers());
  if (f.small_sample()) h += "<p class=\"bad\">Fewer than 30 seekers with needs: too few to judge.</p>\n";
  if (f.needs_without_comparison() > 0) {
    absl::StrAppendFormat(&h, "<p class=\"muted\">%u seekers with needs have no comparable seeker "
                              "and are left out of the comparison.</p>\n",
                          f.needs_without_comparison());
  }
  h += "<details><summary>By stratum</summary><table><tr><th>skills</th><th>commute</th><th>with "
       "needs</th><th>matched</th><th>median</th><th>without</th><th>matched</th><th>median</th></tr>\n";
  for (const auto& s : f.strata()) {
    if (s.with_needs().seekers() == 0 && s.without_needs().seekers() == 0) continue;
    absl::StrAppendFormat(
        &h, "<tr><td>%s</td><td>%s</td><td>%u</td><td>%s</td><td>%s</td><td>%u</td><td>%s</td><td>%s</td></tr>\n",
        HtmlEscape(s.skills_band()), HtmlEscape(s.commute_band()), s.with_needs().seekers(),
        Pct(s.with_needs().share_with_match()), Num(s.with_needs().median_best_score()),
        s.without_needs().seekers(), Pct(s.without_needs().share_with_match()),
        Num(s.without_needs().median_best_score()));
  }
  h += "</table></details>\n";
  return h;
}

// Placement outcomes (docs/placements.md): suppressed rows say so.
std::string PlacementSection(const v1::PlacementOutcomes& p, uint32_t min) {
  std::string h =
      "<h2>Placement outcomes</h2>\n<p class=\"muted\">From the consultants' feedback: "
      "placements started, still in work at the 1, 3 and 6-month follow-ups, how they ended, and "
      "the median days from a pair's first feedback to its start. Counts, never a person.";
  if (min > 1) {
    absl::StrAppendFormat(&h, " Rows of fewer than %u people are suppressed, and others with them "
                              "so that none can be worked out from the totals.", min);
  }
  h += "</p>\n<table><tr><th>group</th><th>started</th><th>in work 1 mo</th><th>3 mo</th>"
       "<th>6 mo</th><th>ended: job</th><th>education</th><th>benefits</th>"
       "<th>median days to start</th></tr>\n";
  const uint64_t enough = std::max<uint32_t>(1, min);
  auto row = [&](const std::string& label, const v1::PlacementOutcomeRow& r) {
    if (r.suppressed()) {
      absl::StrAppendFormat(&h, "<tr><td>%s</td><td colspan=\"8\">suppressed (small count)</td></tr>\n",
                            HtmlEscape(label));
      return;
    }
    absl::StrAppendFormat(
        &h, "<tr><td>%s</td><td>%u</td><td>%u</td><td>%u</td><td>%u</td><td>%u</td><td>%u</td>"
            "<td>%u</td><td>%s</td></tr>\n",
        HtmlEscape(label), r.started(), r.in_work_1_month(), r.in_work_3_months(),
        r.in_work_6_months(), r.ended_employment(), r.ended_education(),
        r.ended_back_to_benefits(),
        r.with_start_time() >= enough
            ? absl::StrFormat("%.1f (n=%u)", r.median_days_to_start(), r.with_start_time())
            : std::string("-"));
  };
  row("all", p.all());
  if (p.has_with_needs()) row("with functional needs", p.with_needs());
  if (p.has_without_needs()) row("without functional needs", p.without_needs());
  for (const auto& r : p.by_municipality()) {
    row(r.name().empty() ? r.key() : absl::StrCat(r.name(), " (", r.key(), ")"), r);
  }
  for (const auto& r : p.by_target_group()) row(absl::StrCat("target group ", r.key()), r);
  h += "</table>\n";
  if (!p.has_with_needs()) {
    h += "<p class=\"muted\">With and without functional needs: not shown to this caller.</p>\n";
  }
  return h;
}

}  // namespace

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string RenderReportHtml(const v1::RematchReport& r) {
  const std::string finished = absl::FormatTime(
      "%Y-%m-%d %H:%M UTC", absl::FromUnixMicros(r.finished_micros()), absl::UTCTimeZone());
  std::string h = absl::StrFormat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>Rematch report %s</title><style>%s</style></head><body>\n"
      "<h1>Nightly rematch report</h1>\n<div class=\"muted\">Run %s, finished %s, policy %s, "
      "top-%d per seeker and per vacancy</div>\n",
      HtmlEscape(r.run_id()), kStyle, HtmlEscape(r.run_id()), finished,
      HtmlEscape(r.policy_version()), r.k());
  const double coverage = r.seekers() ? double(r.seekers_with_match()) / r.seekers() : 0;
  const v1::FairnessAudit& f = r.fairness();
  h += "<div class=\"cards\">\n";
  h += Card("Seekers with a feasible match", Pct(coverage),
            absl::StrCat(r.seekers_with_match(), " of ", r.seekers()));
  h += Card("Vacancies with no candidate", absl::StrCat(r.vacancies_without_candidate()),
            absl::StrCat("of ", r.vacancies(), " vacancies"));
  h += Card("Median best score",
            r.best_scores().deciles_size() == 11 ? Num(r.best_scores().deciles(5), 2) : "-",
            "rank-1 vacancy of each matched seeker");
  if (r.has_fairness()) {
    h += Card("Functional needs: gap in match share",
              absl::StrFormat("%+.1f pts", 100 * f.share_difference()),
              f.small_sample() ? "too few seekers with needs to judge" : "vs comparable seekers");
  }
  h += "</div>\n";

  // Coverage per municipality, the weakest first.
  std::vector<const v1::CoverageRow*> rows;
  for (const auto& row : r.by_municipality()) {
    if (!row.suppressed()) rows.push_back(&row);  // in the table below
  }
  std::sort(rows.begin(), rows.end(), [](const v1::CoverageRow* a, const v1::CoverageRow* b) {
    return a->share_with_match() < b->share_with_match();
  });
  std::vector<Bar> bars;
  for (const auto* row : rows) {
    bars.push_back({MunicipalityLabel(*row), row->share_with_match(),
                    absl::StrCat(Pct(row->share_with_match()), " of ", row->seekers())});
  }
  h += "<h2>Coverage per municipality</h2>\n<p class=\"muted\">Share of seekers with at least one "
       "feasible vacancy (every hard constraint met), the weakest municipality first.</p>\n";
  h += HorizontalBars(bars, 1.0, kBlue, "Coverage per municipality");
  std::vector<Bar> group_bars;
  for (const auto& row : r.by_target_group()) {
    if (row.suppressed()) continue;
    group_bars.push_back({row.key(), row.share_with_match(),
                          absl::StrCat(Pct(row.share_with_match()), " of ", row.seekers())});
  }
  h += "<h2>Coverage per target group</h2>\n";
  h += HorizontalBars(group_bars, 1.0, kGrey, "Coverage per target group");
  h += "<details><summary>Coverage tables</summary>\n" +
       CoverageTable(r.by_municipality(), "municipality", true) +
       CoverageTable(r.by_target_group(), "target group", false) + "</details>\n";

  h += "<h2>Score distributions</h2>\n<div class=\"row\"><div><b>Best score per matched seeker</b>"
       "<br>\n";
  h += Histogram(r.best_scores(), kBlue, "Histogram of best scores");
  h += absl::StrFormat("<div class=\"muted\">n=%u, mean %s</div></div>\n<div><b>Every score in every "
                       "top-%d list</b><br>\n",
                       r.best_scores().count(), Num(r.best_scores().mean()), r.k());
  h += Histogram(r.all_scores(), kGrey, "Histogram of all top-k scores");
  h += absl::StrFormat("<div class=\"muted\">n=%u, mean %s</div></div></div>\n",
                       r.all_scores().count(), Num(r.all_scores().mean()));
  if (r.best_scores().deciles_size() == 11) {
    h += "<table><tr><th>decile</th>";
    for (int i = 0; i <= 10; ++i) absl::StrAppendFormat(&h, "<th>p%d</th>", 10 * i);
    h += "</tr>\n";
    for (const auto& [name, d] :
         {std::pair<const char*, const v1::ScoreDistribution*>{"best score", &r.best_scores()},
          {"all top-k scores", &r.all_scores()}}) {
      if (d->deciles_size() != 11) continue;
      absl::StrAppendFormat(&h, "<tr><td>%s</td>", name);
      for (double q : d->deciles()) absl::StrAppendFormat(&h, "<td>%s</td>", Num(q, 2));
      h += "</tr>\n";
    }
    h += "</table>\n";
  }

  if (r.has_fairness()) {
    h += FairnessSection(f);
  } else {
    h += "<h2>Fairness audit: seekers with functional needs</h2>\n<p class=\"muted\">Not shown "
         "to this caller: figures split by functional needs reach only the roles that may see "
         "needs.</p>\n";
  }

  const v1::AllocationFigures& p = r.plain();
  const v1::AllocationFigures& a = r.allocated();
  h += "<h2>Suggestions: plain top-k vs capacity-aware allocation</h2>\n<p class=\"muted\">Plain "
       "top-k gives each seeker their best vacancies regardless of how many others got the same "
       "ones; the allocation caps suggestions per vacancy (openings x shortlist factor) and "
       "spreads them. A lower Gini means suggestions are spread more evenly over vacancies.</p>\n";
  h += Legend("plain top-k", "capacity-aware allocation");
  h += GroupedBars(
      {{"vacancies reached", p.share_vacancies_with_suggestion(), a.share_vacancies_with_suggestion(),
        Pct(p.share_vacancies_with_suggestion()), Pct(a.share_vacancies_with_suggestion())},
       {"seekers reached", p.share_seekers_with_suggestion(), a.share_seekers_with_suggestion(),
        Pct(p.share_seekers_with_suggestion()), Pct(a.share_seekers_with_suggestion())},
       {"Gini per vacancy", p.gini_suggestions_per_vacancy(), a.gini_suggestions_per_vacancy(),
        Num(p.gini_suggestions_per_vacancy(), 2), Num(a.gini_suggestions_per_vacancy(), 2)},
       {"mean score", p.mean_score(), a.mean_score(), Num(p.mean_score(), 2),
        Num(a.mean_score(), 2)}},
      1.0, "Plain top-k versus allocation");
  absl::StrAppendFormat(
      &h,
      "<table><tr><th></th><th>suggestions</th><th>vacancies reached</th><th>seekers reached</th>"
      "<th>Gini</th><th>mean score</th></tr>\n"
      "<tr><td>plain top-k</td><td>%u</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n"
      "<tr><td>capacity-aware</td><td>%u</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n"
      "</table>\n",
      p.suggestions(), Pct(p.share_vacancies_with_suggestion()),
      Pct(p.share_seekers_with_suggestion()), Num(p.gini_suggestions_per_vacancy()),
      Num(p.mean_score()), a.suggestions(), Pct(a.share_vacancies_with_suggestion()),
      Pct(a.share_seekers_with_suggestion()), Num(a.gini_suggestions_per_vacancy()),
      Num(a.mean_score()));
  if (r.has_placements()) h += PlacementSection(r.placements(), r.min_cell_people());
  h += RenderUpskillingSectionsHtml(r);
  h += "<p class=\"muted\">How to read this page: docs/rematch.md.</p>\n</body></html>\n";
  return h;
}

}  // namespace jobmatch::cli
