#include "matcher/placement_rules.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "matcher/tsv_reader.h"

namespace jobmatch::matcher {
namespace {

// absl::string_view is not std::string_view with this Abseil.
absl::string_view A(std::string_view s) { return absl::string_view(s.data(), s.size()); }

absl::Status Bad(std::string_view column, std::string_view rule) {
  return absl::DataLossError(absl::StrCat(A(column), ": ", A(rule)));
}

bool ParseDay(std::string_view text, absl::Time* out) {
  std::string error;
  return absl::ParseTime("%Y-%m-%d", std::string(text), absl::UTCTimeZone(), out, &error);
}

bool ParseDevelopmentKind(std::string_view name, VacancyKind* out) {
  for (VacancyKind k : {VacancyKind::kVirksomhedspraktik, VacancyKind::kLoentilskud,
                        VacancyKind::kIgu, VacancyKind::kVoksenlaerling}) {
    if (name == VacancyKindName(k)) {
      *out = k;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string PlacementDate(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone());
}

bool PlacementRule::Covers(std::string_view target_group) const {
  if (target_groups.empty()) return true;
  return std::find(target_groups.begin(), target_groups.end(), target_group) !=
         target_groups.end();
}

std::string PlacementRule::Name() const { return absl::StrCat(id, " v", version); }

absl::StatusOr<PlacementRules> PlacementRules::Load(
    const std::string& path, const std::function<bool(std::string_view)>& is_target_group) {
  PlacementRules out;
  out.version_ = ReadTsvVersion(path);
  absl::Status st = ReadTsv(path, [&](const std::vector<std::string_view>& f) -> absl::Status {
    if (f.size() != 9) {
      return absl::DataLossError(
          "expected 9 columns: rule_id, rule_version, kind, target_groups, employer, max_weeks, "
          "valid_from, valid_to, source");
    }
    PlacementRule r;
    r.id = std::string(f[0]);
    if (r.id.empty()) return Bad("rule_id", "must not be empty");
    if (!absl::SimpleAtoi(A(f[1]), &r.version) || r.version < 1) {
      return Bad("rule_version", "must be a whole number >= 1");
    }
    if (!ParseDevelopmentKind(f[2], &r.kind)) {
      return Bad("kind", "must be VIRKSOMHEDSPRAKTIK, LOENTILSKUD, IGU or VOKSENLAERLING");
    }
    if (f[3] != "*") {
      for (absl::string_view code : absl::StrSplit(A(f[3]),
                                                   ',', absl::SkipWhitespace())) {
        if (!is_target_group(std::string_view(code.data(), code.size()))) {
          return Bad("target_groups",
                     absl::StrCat("'", code, "' is not in data/schemes/target_groups.tsv"));
        }
        r.target_groups.emplace_back(code);
      }
      if (r.target_groups.empty()) return Bad("target_groups", "list codes, or * for every seeker");
    }
    if (f[4] == "any") {
      r.employer = PlacementEmployer::kAny;
    } else if (f[4] == "public") {
      r.employer = PlacementEmployer::kPublic;
    } else if (f[4] == "private") {
      r.employer = PlacementEmployer::kPrivate;
    } else {
      return Bad("employer", "must be any, public or private");
    }
    if (!absl::SimpleAtoi(A(f[5]), &r.max_weeks) || r.max_weeks < 0 || r.max_weeks > 520) {
      return Bad("max_weeks", "must be a whole number within [0, 520]");
    }
    if (!ParseDay(f[6], &r.valid_from)) return Bad("valid_from", "must be a date YYYY-MM-DD");
    if (!f[7].empty()) {
      absl::Time last;
      if (!ParseDay(f[7], &last)) return Bad("valid_to", "must be a date YYYY-MM-DD or empty");
      r.valid_until = last + absl::Hours(24);
      if (r.valid_until <= r.valid_from) return Bad("valid_to", "must not be before valid_from");
    }
    r.source = std::string(f[8]);
    if (r.source.empty()) return Bad("source", "must name the legal source");
    for (const PlacementRule& other : out.rules_) {
      if (other.id == r.id && other.version == r.version) {
        return Bad("rule_version", absl::StrCat(r.Name(), " is listed twice"));
      }
      if (other.id == r.id && other.valid_from < r.valid_until && r.valid_from < other.valid_until) {
        return Bad("valid_from", absl::StrCat("versions of ", r.id,
                                              " overlap: end the older one (valid_to) first"));
      }
    }
    out.rules_.push_back(std::move(r));
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  if (out.version_.empty()) {
    return absl::DataLossError(absl::StrCat(path, ": missing '# version' line"));
  }
  for (PlacementRule& r : out.rules_) r.table_version = out.version_;
  return out;
}

const PlacementRule* PlacementRules::Applicable(VacancyKind kind, std::string_view target_group,
                                                bool public_employer, absl::Time now) const {
  const PlacementRule* best = nullptr;
  auto max_of = [](const PlacementRule& r) { return r.max_weeks == 0 ? 1 << 20 : r.max_weeks; };
  for (const PlacementRule& r : rules_) {
    if (r.kind != kind || !r.ValidAt(now) || !r.CoversEmployer(public_employer)) continue;
    if (!r.Covers(target_group)) continue;
    if (best == nullptr) {
      best = &r;
      continue;
    }
    const bool named = !r.target_groups.empty(), best_named = !best->target_groups.empty();
    if (named != best_named) {
      if (named) best = &r;
      continue;
    }
    if (max_of(r) != max_of(*best)) {
      if (max_of(r) > max_of(*best)) best = &r;
      continue;
    }
    if (r.valid_from > best->valid_from) best = &r;
  }
  return best;
}

std::vector<const PlacementRule*> PlacementRules::InForce(VacancyKind kind, bool public_employer,
                                                          absl::Time now) const {
  std::vector<const PlacementRule*> out;
  for (const PlacementRule& r : rules_) {
    if (r.kind == kind && r.ValidAt(now) && r.CoversEmployer(public_employer)) out.push_back(&r);
  }
  return out;
}

}  // namespace jobmatch::matcher
