#include "clients/cli/upskilling_report.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clients/cli/rematch_report_html.h"

namespace jobmatch::cli {
namespace {

std::string Pct(double share) { return absl::StrFormat("%.1f%%", 100 * share); }

std::string Courses(const google::protobuf::RepeatedPtrField<v1::Course>& courses) {
  std::string out;
  for (const auto& c : courses) {
    absl::StrAppend(&out, out.empty() ? "" : "; ", c.code(), " ", c.title(), " (", c.hours(), " h)");
  }
  return out;
}

std::string Groups(const v1::SkillUnlock& s, int max) {
  std::string out;
  for (int i = 0; i < s.groups_size() && i < max; ++i) {
    const auto& g = s.groups(i);
    absl::StrAppend(&out, i ? ", " : "", g.isco_group(), " ", g.label(), " (", g.pairs(), ")");
  }
  if (s.groups_size() > max) absl::StrAppend(&out, ", ...");
  return out;
}

void SkillRows(const google::protobuf::RepeatedPtrField<v1::SkillUnlock>& skills,
               std::string* out) {
  absl::StrAppendFormat(out, "  %-4s %-48s %7s %7s %8s %9s  %s\n", "#", "skill", "alone",
                        "+others", "seekers", "vacancies", "occupation groups (pairs)");
  int rank = 0;
  for (const auto& s : skills) {
    std::string label = s.skill().label();
    if (label.size() > 48) label = label.substr(0, 45) + "...";
    absl::StrAppendFormat(out, "  %-4d %-48s %7u %7u %8u %9u  %s\n", ++rank, label,
                          s.pairs_alone(), s.pairs_with_others(), s.seekers(), s.vacancies(),
                          Groups(s, 3));
    if (s.courses_size() > 0) absl::StrAppend(out, "       courses: ", Courses(s.courses()), "\n");
  }
}

// Stacked horizontal bars: pairs unlocked alone (blue) and with others (grey).
std::string SkillChart(const google::protobuf::RepeatedPtrField<v1::SkillUnlock>& skills) {
  const int label_w = 300, bar_w = 480, row_h = 18, top = 8;
  const int rows = std::min(skills.size(), 20);
  const int height = top + row_h * rows + 10;
  uint64_t most = 1;
  for (int i = 0; i < rows; ++i) {
    most = std::max<uint64_t>(most, skills[i].pairs_alone() + skills[i].pairs_with_others());
  }
  std::string svg = absl::StrFormat(
      "<svg role=\"img\" aria-label=\"Skills that would unlock the most near misses\" "
      "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
      label_w + bar_w + 90, height, label_w + bar_w + 90, height);
  for (int i = 0; i < rows; ++i) {
    const auto& s = skills[i];
    const int y = top + row_h * i;
    const double a = bar_w * double(s.pairs_alone()) / most;
    const double o = bar_w * double(s.pairs_with_others()) / most;
    std::string label = s.skill().label();
    if (label.size() > 45) label = label.substr(0, 42) + "...";
    absl::StrAppendFormat(
        &svg,
        "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
        "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#2b6cb0\"><title>%s: %u pairs "
        "alone</title></rect>"
        "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#a0aec0\"><title>%s: %u "
        "pairs with other skills</title></rect>"
        "<text x=\"%.1f\" y=\"%d\">%u + %u</text>\n",
        label_w - 6, y + 13, HtmlEscape(label), label_w, y + 3, a, row_h - 5,
        HtmlEscape(s.skill().label()), s.pairs_alone(), label_w + a, y + 3, o, row_h - 5,
        HtmlEscape(s.skill().label()), s.pairs_with_others(), label_w + a + o + 4, y + 13,
        s.pairs_alone(), s.pairs_with_others());
  }
  return svg + "</svg>\n";
}

}  // namespace

std::string RenderSkillGapsText(const v1::SkillGapsResponse& g) {
  std::string out = "Skill gaps: the skills that would turn the most near misses into good matches\n";
  std::string area = "all municipalities you may see";
  if (g.municipalities_size() > 0) {
    area.clear();
    for (int m : g.municipalities()) absl::StrAppend(&area, area.empty() ? "" : ", ", m);
  }
  absl::StrAppendFormat(&out, "  area: %s; %u seekers, %u feasible pairs, %u good matches,\n"
                        "  %u near misses, %u of them unlockable by at most 3 skills\n",
                        area, g.seekers(), g.feasible_pairs(), g.good_pairs(), g.near_misses(),
                        g.unlockable_pairs());
  if (g.skills_size() == 0) {
    absl::StrAppend(&out, "  no skill would unlock a near miss\n");
    return out;
  }
  SkillRows(g.skills(), &out);
  absl::StrAppend(&out, "  alone: near misses the skill alone turns into good matches; +others: "
                        "together with 1-2 other missing skills\n");
  return out;
}

std::string RenderUpskillingPlanText(const v1::UpskillingPlanResponse& p) {
  std::string out = absl::StrFormat(
      "Upskilling plan for %s: %u vacancies within reach, %u good matches now, %u near misses\n",
      p.seeker_id(), p.feasible(), p.good(), p.near_misses());
  if (p.steps_size() == 0) {
    absl::StrAppend(&out, "  no skill (up to 3 per vacancy) would turn a near miss into a good match\n");
    return out;
  }
  for (int i = 0; i < p.steps_size(); ++i) {
    const auto& s = p.steps(i);
    absl::StrAppendFormat(&out, "  %d. %s  (%s)\n     opens %d: %s\n", i + 1, s.skill().label(),
                          s.skill().esco_uri(), s.vacancy_ids_size(),
                          s.vacancy_ids_size() ? absl::StrJoin(s.vacancy_ids(), ", ") : "-");
    if (s.courses_size() > 0) absl::StrAppend(&out, "     courses: ", Courses(s.courses()), "\n");
  }
  absl::StrAppendFormat(&out, "  %-16s %8s %8s %8s %5s\n", "vacancy", "now", "after", "needed",
                        "step");
  for (const auto& o : p.opened()) {
    absl::StrAppendFormat(&out, "  %-16s %8.3f %8.3f %8.3f %5d\n", o.vacancy_id(), o.total_before(),
                          o.total_after(), o.bar(), o.step());
  }
  return out;
}

std::string RenderUpskillingSectionsText(const v1::RematchReport& r) {
  std::string out;
  if (r.has_skill_gaps()) {
    const auto& s = r.skill_gaps();
    absl::StrAppendFormat(&out,
                          "\nSkill gaps (targeted upskilling): %u of %u seekers analysed; %u near "
                          "misses, %u unlockable\n  (good match: score >= %.2f and within the "
                          "vacancy's top %d)\n",
                          s.seekers_analysed(), s.seekers_total(), s.near_misses(),
                          s.unlockable_pairs(), s.settings().good_score(),
                          s.settings().list_size());
    SkillRows(s.skills(), &out);
  }
  if (r.priority_size() > 0) {
    absl::StrAppend(&out, "\nCoverage by target group and unemployment duration\n");
    absl::StrAppendFormat(&out, "  %-20s %-14s %8s %8s %8s %8s\n", "target group", "unemployed",
                          "seekers", "matched", "share", "median");
    for (const auto& p : r.priority()) {
      absl::StrAppendFormat(&out, "  %-20s %-14s %8u %8u %8s %8.3f\n", p.target_group(),
                            p.unemployment_band(), p.seekers(), p.with_match(),
                            Pct(p.share_with_match()), p.median_best_score());
    }
  }
  return out;
}

std::string RenderUpskillingSectionsHtml(const v1::RematchReport& r) {
  std::string h;
  if (r.has_skill_gaps()) {
    const auto& s = r.skill_gaps();
    absl::StrAppendFormat(
        &h,
        "<h2>Skill gaps: targeted upskilling</h2>\n<p class=\"muted\">The skills whose "
        "acquisition would turn the most near misses into good matches (score at least %.2f and "
        "within the vacancy's top %d). Blue: pairs the skill alone would unlock; grey: pairs it "
        "would unlock together with one or two other missing skills. %u of %u seekers analysed; "
        "%u near misses, %u unlockable. How to read this: docs/upskilling.md.</p>\n",
        s.settings().good_score(), s.settings().list_size(), s.seekers_analysed(),
        s.seekers_total(), s.near_misses(), s.unlockable_pairs());
    if (s.skills_size() > 0) {
      h += SkillChart(s.skills());
      h += "<table><tr><th>skill</th><th>alone</th><th>with others</th><th>seekers</th>"
           "<th>vacancies</th><th>occupation groups (pairs)</th><th>courses</th></tr>\n";
      for (const auto& k : s.skills()) {
        absl::StrAppendFormat(&h,
                              "<tr><td>%s</td><td>%u</td><td>%u</td><td>%u</td><td>%u</td>"
                              "<td>%s</td><td>%s</td></tr>\n",
                              HtmlEscape(k.skill().label()), k.pairs_alone(),
                              k.pairs_with_others(), k.seekers(), k.vacancies(),
                              HtmlEscape(Groups(k, 3)), HtmlEscape(Courses(k.courses())));
      }
      h += "</table>\n";
    } else {
      h += "<p>No skill would unlock a near miss in this run.</p>\n";
    }
  }
  if (r.priority_size() > 0) {
    h += "<h2>Coverage by target group and unemployment duration</h2>\n<p class=\"muted\">Share "
         "of seekers with at least one feasible match, by target group and how long they have "
         "been unemployed. The score never depends on either; a consultant can order a "
         "vacancy's list by them on purpose (docs/upskilling.md).</p>\n"
         "<table><tr><th>target group</th><th>unemployed</th><th>seekers</th><th>with a match</th>"
         "<th>share</th><th>median best score</th></tr>\n";
    for (const auto& p : r.priority()) {
      absl::StrAppendFormat(&h,
                            "<tr><td>%s</td><td>%s</td><td>%u</td><td>%u</td><td>%s</td>"
                            "<td>%.3f</td></tr>\n",
                            HtmlEscape(p.target_group()), HtmlEscape(p.unemployment_band()),
                            p.seekers(), p.with_match(), Pct(p.share_with_match()),
                            p.median_best_score());
    }
    h += "</table>\n";
  }
  return h;
}

}  // namespace jobmatch::cli
