#include "bench/peers/sql_score.h"

#include <initializer_list>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "matcher/profiles.h"

namespace jobmatch::peers {
namespace {

constexpr const char* kNever = "1e18";  // minutes of a mode that cannot make the trip

// ModelCommute's Interpolate over (x, y) knots: flat outside, linear between.
std::string InterpolateSql(const Dialect& d, const std::string& x,
                           std::initializer_list<std::pair<double, double>> knots) {
  std::string sql = "(CASE";
  auto prev = *knots.begin();
  absl::StrAppend(&sql, " WHEN ", x, " <= ", d.Lit(prev.first), " THEN ", d.Lit(prev.second));
  bool first = true;
  for (const auto& k : knots) {
    if (first) {
      first = false;
      continue;
    }
    absl::StrAppend(&sql, " WHEN ", x, " <= ", d.Lit(k.first), " THEN ", d.Lit(prev.second),
                    " + ", d.Lit(k.second - prev.second), " * (", x, " - ", d.Lit(prev.first),
                    ") / ", d.Lit(k.first - prev.first));
    prev = k;
  }
  absl::StrAppend(&sql, " ELSE ", d.Lit(prev.second), " END)");
  return sql;
}

std::string Popcount(const Dialect& d, const std::string& mask) {
  if (d.postgres) return absl::StrCat("bit_count((", mask, ")::bit(32))");
  std::vector<std::string> bits;
  for (int i = 1; i < 16; ++i) bits.push_back(absl::StrCat("(((", mask, ") >> ", i, ") & 1)"));
  return absl::StrCat("(", absl::StrJoin(bits, " + "), ")");
}

std::string Distance(const std::string& ax, const std::string& ay, const std::string& bx,
                     const std::string& by) {
  return absl::StrCat("sqrt((", ax, " - ", bx, ") * (", ax, " - ", bx, ") + (", ay, " - ", by,
                      ") * (", ay, " - ", by, "))");
}

std::string ModeAllowed(int mode) { return absl::StrCat("(s_modes & ", 1 << mode, ") <> 0"); }

}  // namespace

std::string PairDistanceSql() { return Distance("v_x", "v_y", "s_x", "s_y"); }

std::string Dialect::Lit(double value) const {
  std::string s = absl::StrFormat("%.17g", value);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return postgres ? absl::StrCat("(", s, ")::float8") : s;
}

std::string LandMinutesSql(const Dialect& d, const std::string& metres, int mode) {
  const std::string km = absl::StrCat("(", metres, " / ", d.Lit(1000.0), ")");
  switch (static_cast<matcher::TransportMode>(mode)) {
    case matcher::TransportMode::kWalk:
      return absl::StrCat("(", km, " * ", d.Lit(1.3), " / ", d.Lit(4.8), " * ", d.Lit(60), ")");
    case matcher::TransportMode::kBicycle:
      return absl::StrCat("(", d.Lit(2), " + ", km, " * ", d.Lit(1.25), " / ", d.Lit(15), " * ",
                          d.Lit(60), ")");
    case matcher::TransportMode::kCar:
      return absl::StrCat("(", d.Lit(4), " + ", km, " * ",
                          InterpolateSql(d, km, {{2, 1.4}, {10, 1.3}, {30, 1.2}}), " / ",
                          InterpolateSql(d, km, {{3, 30}, {15, 60}, {50, 85}, {100, 95}}), " * ",
                          d.Lit(60), ")");
    case matcher::TransportMode::kPublicTransport:
      return absl::StrCat("(", d.Lit(12), " + ", km, " * ", d.Lit(1.35), " / ",
                          InterpolateSql(d, km, {{5, 18}, {20, 35}, {60, 55}, {150, 70}}), " * ",
                          d.Lit(60), ")");
  }
  return "NULL";
}

std::string CommuteMinutesSql(const Dialect& d) {
  std::vector<std::string> land, routed;
  const std::string enter = Distance("r_enter_x", "r_enter_y", "s_x", "s_y");
  const std::string exit = Distance("r_exit_x", "r_exit_y", "v_x", "v_y");
  for (int m = 1; m < matcher::kTransportModeCount; ++m) {
    land.push_back(absl::StrCat("CASE WHEN ", ModeAllowed(m), " THEN ", LandMinutesSql(d, "d", m),
                                " ELSE ", kNever, " END"));
    routed.push_back(absl::StrCat("CASE WHEN ", ModeAllowed(m), " AND r_m", m, " >= 0 THEN ",
                                  LandMinutesSql(d, enter, m), " + r_m", m, " + ",
                                  LandMinutesSql(d, exit, m), " ELSE ", kNever, " END"));
  }
  return absl::StrCat("(CASE WHEN v_remote = 1 THEN 0.0 WHEN s_lm = v_lm THEN ", d.least(), "(",
                      absl::StrJoin(land, ", "), ") ELSE (SELECT min(", d.least(), "(",
                      absl::StrJoin(routed, ", "),
                      ")) FROM routes WHERE r_from = s_lm AND r_to = v_lm) END)");
}

std::string HardConstraintsSql(const Dialect& d, const std::string& now_param,
                               const std::string& languages_ok) {
  const int fleksjob = static_cast<int>(matcher::VacancyKind::kFleksjob);
  return absl::StrCat(
      "s_active = 1 AND v_open = 1 AND v_valid_until >= ", now_param,
      " AND (s_kinds = 0 OR ((s_kinds >> v_kind) & 1) = 1)",
      " AND NOT (v_kind = ", fleksjob, " AND s_flex = 0)",
      " AND NOT (s_flex > 0 AND v_kind <> ", fleksjob, " AND v_hours > s_flex)",
      // Approved fleksjob hours bind fleksjobs too (the peer data has no
      // fleksjob that agrees its hours per person).
      " AND NOT (v_kind = ", fleksjob, " AND v_hours > s_flex)",
      // A weekly cap the seeker marked hard (the peer data has no fleksjob
      // that agrees its hours per person).
      " AND NOT (s_max_h_hard = 1 AND v_hours > s_max_h)",
      " AND NOT (s_max_h_day > 0 AND v_flexible = 0 AND v_hours > 5 * s_max_h_day)",
      " AND (v_req_lic & ~s_licences) = 0", " AND (", languages_ok, ")",
      " AND (s_hard_needs & v_acc_not_possible) = 0",
      " AND (s_excl_hard & v_dm_ess & v_dm_none) = 0");
}

std::string OccupationFitSql(const Dialect& d, const matcher::Policy& p) {
  const std::string same_group = absl::StrCat(
      "CASE WHEN g.isco = v_isco THEN (CASE WHEN g.esco >= 0 AND g.esco = v_esco THEN ",
      d.Lit(1.0), " WHEN g.esco < 0 OR v_esco < 0 THEN ", d.Lit(0.9), " ELSE ", d.Lit(0.85),
      " END) WHEN g.isco / 10 = v_isco / 10 THEN ", d.Lit(0.5), " ELSE ", d.Lit(0.0), " END");
  const std::string substitute = absl::StrCat(
      "CASE WHEN g.esco >= 0 AND v_esco >= 0 AND g.esco <> v_esco AND x.sim IS NOT NULL THEN ",
      d.Lit(p.substitute_fit_base), " + ", d.Lit(p.substitute_fit_slope), " * x.sim ELSE ",
      d.Lit(0.0), " END");
  return absl::StrCat("(SELECT max(", d.greatest(), "(", same_group, ", ", substitute, ") * (",
                      d.Lit(1.0), " - ", d.Lit(0.05), " * ", d.least(), "(g.ord, 4))) ",
                      "FROM seeker_goal g LEFT JOIN substitutes x ON x.a = g.esco AND x.b = v_esco "
                      "WHERE g.sid = s_sid)");
}

std::string ScoreSql(const Dialect& d, const matcher::Policy& p, bool seeker_view,
                     const std::string& essential_credit, const std::string& optional_credit) {
  const std::string L0 = d.Lit(0.0), L1 = d.Lit(1.0);
  const std::string essential = absl::StrCat("(CASE WHEN v_n_ess = 0 THEN ", L1, " ELSE ",
                                             essential_credit, " / v_n_ess END)");
  const std::string optional = absl::StrCat("(CASE WHEN v_n_opt = 0 THEN ", L0, " ELSE ",
                                            optional_credit, " / v_n_opt END)");
  const std::string education = absl::StrCat(
      "(CASE WHEN v_min_edu = 0 THEN ", L0, " WHEN s_edu >= v_min_edu THEN ", L1, " ELSE ",
      d.greatest(), "(", L0, ", ", L1, " - ", d.Lit(0.25), " * (v_min_edu - s_edu)) END)");
  const std::string req_weight = absl::StrCat(
      "(", d.Lit(p.weight_essential_skills), " + (CASE WHEN v_n_opt > 0 THEN ",
      d.Lit(p.weight_optional_skills), " ELSE ", L0, " END) + (CASE WHEN v_min_edu > 0 THEN ",
      d.Lit(p.weight_education), " ELSE ", L0, " END))");
  const std::string req_sum = absl::StrCat(
      "(", d.Lit(p.weight_essential_skills), " * ", essential, " + (CASE WHEN v_n_opt > 0 THEN ",
      d.Lit(p.weight_optional_skills), " * ", optional, " ELSE ", L0,
      " END) + (CASE WHEN v_min_edu > 0 THEN ", d.Lit(p.weight_education), " * ", education,
      " ELSE ", L0, " END))");
  // Scored against the policy's standard reach, not the seeker's own limit.
  const std::string ratio = absl::StrCat("(minutes / ", d.Lit(static_cast<double>(p.commute_reference_minutes)), ")");
  const double penalty = 0.3 * (1.0 - static_cast<double>(0.6f));  // model confidence 0.6
  const std::string commute = absl::StrCat(
      "(CASE WHEN v_remote = 1 THEN ", L1, " ELSE ", d.greatest(), "(", L0, ", ", d.least(), "(",
      L1, ", ", L1, " - ", d.Lit(0.8), " * ", ratio, " - (CASE WHEN ", ratio, " > ",
      d.Lit(1.0 - p.commute_uncertainty_band), " THEN ", d.Lit(penalty), " ELSE ", L0,
      " END))) END)");
  const std::string gap =
      "(CASE WHEN v_hours < s_min_h THEN s_min_h - v_hours WHEN v_hours > s_max_h THEN v_hours - "
      "s_max_h ELSE 0 END)";
  const int fleksjob = static_cast<int>(matcher::VacancyKind::kFleksjob);
  const std::string hours =
      absl::StrCat("(CASE WHEN s_flex > 0 AND v_kind = ", fleksjob, " THEN ", L1, " ELSE ",
                   d.greatest(), "(", L0, ", ", L1, " - ", gap, " / ", d.Lit(20.0), ") END)");
  const double pref_weight = p.weight_occupation + p.weight_commute + p.weight_hours;
  const std::string pref_sum =
      absl::StrCat("(", d.Lit(p.weight_occupation), " * occ + ", d.Lit(p.weight_commute), " * ",
                   commute, " + ", d.Lit(p.weight_hours), " * ", hours, ")");
  const std::string share = d.Lit(p.requirements_share), rest = d.Lit(1 - p.requirements_share);
  const std::string requirements = absl::StrCat("(", req_sum, " / ", req_weight, ")");
  // The qualification floor: below it every part counts x essential / floor.
  // Not modelled here: jobmatch's unrecorded_skills_credit for a seeker with
  // no skills recorded (the smoke check finds no such seeker's list differs).
  const std::string floor_factor =
      p.qualification_floor > 0
          ? absl::StrCat("(CASE WHEN ", essential, " < ", d.Lit(p.qualification_floor), " THEN ",
                         essential, " / ", d.Lit(p.qualification_floor), " ELSE ", L1, " END)")
          : L1;
  const std::string total = absl::StrCat("(", share, " * ", requirements, " + ", rest, " * (",
                                         pref_sum, " / ", d.Lit(pref_weight), "))");
  if (!seeker_view) return absl::StrCat("(", total, " * ", floor_factor, ")");
  // Needs fit: every functional need by the workplace's status, every soft
  // excluded demand 0.3, every hard excluded demand by its best mitigation.
  auto pop = [&](const std::string& m) { return Popcount(d, m); };
  const std::string count = absl::StrCat(pop("s_needs"), " + ", pop("s_excl_soft & v_dm"), " + ",
                                         pop("s_excl_hard & v_dm"));
  const std::string credit = absl::StrCat(
      d.Lit(1.0), " * ", pop("s_needs & v_acc_in_place"), " + ", d.Lit(0.8), " * ",
      pop("s_needs & v_acc_possible"), " + ", d.Lit(0.7), " * ", pop("s_needs & v_acc_scheme"),
      " + ", d.Lit(0.4), " * ", pop("s_needs & v_acc_unknown"), " + ", d.Lit(0.3), " * ",
      pop("s_excl_soft & v_dm"), " + ", d.Lit(1.0), " * ", pop("s_excl_hard & v_dm_in_place"),
      " + ", d.Lit(0.8), " * ", pop("s_excl_hard & v_dm_possible"), " + ", d.Lit(0.7), " * ",
      pop("s_excl_hard & v_dm_scheme"), " + ", d.Lit(0.5), " * ", pop("s_excl_hard & v_dm_none"));
  // Where no need or avoided demand applies, the seeker's view is the total.
  const std::string needs_fit = absl::StrCat("((", credit, ") / (", count, "))");
  return absl::StrCat("((CASE WHEN (s_needs | ((s_excl_soft | s_excl_hard) & v_dm)) = 0 THEN ",
                      total, " ELSE (", share, " * ", requirements, " + ", rest, " * ((", pref_sum,
                      " + ", d.Lit(p.weight_needs_fit), " * ", needs_fit, ") / ",
                      d.Lit(pref_weight + p.weight_needs_fit), ")) END) * ", floor_factor, ")");
}

std::string TopKSql(const Dialect& d, const matcher::Policy& policy, bool seeker_side,
                    const std::string& candidates, const std::string& now_param,
                    const std::string& limit_param, const std::string& languages_ok,
                    const std::string& essential_credit, const std::string& optional_credit) {
  return absl::StrCat(
      "WITH c AS MATERIALIZED (", candidates, "), ",
      "a AS MATERIALIZED (SELECT c.*, ", CommuteMinutesSql(d), " AS minutes FROM c WHERE ",
      HardConstraintsSql(d, now_param, languages_ok), "), ",
      "b AS MATERIALIZED (SELECT a.*, ", OccupationFitSql(d, policy),
      " AS occ FROM a WHERE v_remote = 1 OR minutes <= s_max_minutes), ",
      // The skill credits once per pair: the score refers to the essential
      // credit up to five times, and neither database shares a repeated
      // subquery (PostgreSQL ran each as its own SubPlan per row).
      "cr AS MATERIALIZED (SELECT b.*, ", essential_credit, " AS ess_credit, ", optional_credit,
      " AS opt_credit FROM b WHERE occ > 0) ",
      "SELECT ", seeker_side ? "v_id" : "s_id", " AS id, ",
      ScoreSql(d, policy, seeker_side, "ess_credit", "opt_credit"),
      " AS score FROM cr ORDER BY score DESC, id LIMIT ", limit_param);
}

}  // namespace jobmatch::peers
