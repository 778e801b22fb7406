#include "matcher/taxonomy.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "matcher/tsv_reader.h"

namespace jobmatch::matcher {
namespace {

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

absl::Status ParseIndex(std::string_view field, size_t limit, uint32_t* out) {
  if (!absl::SimpleAtoi(Sv(field), out) || *out >= limit) {
    return absl::DataLossError(absl::StrCat("bad index '", Sv(field), "' (table has ", limit,
                                            " rows)"));
  }
  return absl::OkStatus();
}

void SortUnique(std::vector<SkillId>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

}  // namespace

absl::StatusOr<std::unique_ptr<Taxonomy>> Taxonomy::Load(const std::string& data_dir) {
  std::unique_ptr<Taxonomy> t(new Taxonomy());
  const std::string dir = data_dir + "/esco/";
  t->version_ = ReadTsvVersion(dir + "skills.tsv.gz");
  if (t->version_.empty()) t->version_ = "esco-1.1.1";

  absl::Status s = ReadTsv(dir + "isco_groups.tsv.gz", [&](const auto& f) {
    if (f.size() < 2 || f[0].empty()) return absl::DataLossError("expected code<TAB>label");
    t->isco_labels_[std::string(f[0])] = std::string(f[1]);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;

  s = ReadTsv(dir + "skills.tsv.gz", [&](const auto& f) {
    if (f.size() < 3) return absl::DataLossError("expected uri<TAB>kind<TAB>label");
    Skill skill;
    skill.uri = std::string(f[0]);
    skill.is_group = f[1] == "G";
    skill.label = std::string(f[2]);
    t->skill_by_uri_[skill.uri] = static_cast<SkillId>(t->skills_.size());
    t->skills_.push_back(std::move(skill));
    return absl::OkStatus();
  });
  if (!s.ok()) return s;

  s = ReadTsv(dir + "skill_broader.tsv.gz", [&](const auto& f) {
    uint32_t a, b;
    if (f.size() < 2) return absl::DataLossError("expected skill<TAB>broader");
    if (auto st = ParseIndex(f[0], t->skills_.size(), &a); !st.ok()) return st;
    if (auto st = ParseIndex(f[1], t->skills_.size(), &b); !st.ok()) return st;
    t->skills_[a].broader.push_back(b);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  t->broader_offset_.push_back(0);
  for (Skill& skill : t->skills_) {
    SortUnique(&skill.broader);
    t->broader_flat_.insert(t->broader_flat_.end(), skill.broader.begin(), skill.broader.end());
    t->broader_offset_.push_back(static_cast<uint32_t>(t->broader_flat_.size()));
  }
  {
    std::vector<uint32_t> count(t->skills_.size() + 1, 0);
    for (SkillId b : t->broader_flat_) ++count[b + 1];
    for (size_t i = 1; i < count.size(); ++i) count[i] += count[i - 1];
    t->narrower_offset_ = count;
    t->narrower_flat_.resize(t->broader_flat_.size());
    for (SkillId a = 0; a < t->skills_.size(); ++a) {
      for (SkillId b : t->skills_[a].broader) t->narrower_flat_[count[b]++] = a;
    }
  }

  s = ReadTsv(dir + "occupations.tsv.gz", [&](const auto& f) {
    Occupation occ;
    if (f.size() < 3 || !absl::SimpleAtoi(Sv(f[1]), &occ.isco) || occ.isco < 100 ||
        occ.isco > 9999) {
      return absl::DataLossError("expected uri<TAB>4-digit isco<TAB>label");
    }
    occ.uri = std::string(f[0]);
    occ.label = std::string(f[2]);
    const auto id = static_cast<OccupationId>(t->occupations_.size());
    t->occupation_by_uri_[occ.uri] = id;
    t->by_unit_group_[occ.isco].push_back(id);
    t->occupations_.push_back(std::move(occ));
    return absl::OkStatus();
  });
  if (!s.ok()) return s;

  s = ReadTsv(dir + "occupation_skills.tsv.gz", [&](const auto& f) {
    uint32_t o, k;
    if (f.size() < 3 || (f[1] != "E" && f[1] != "O")) {
      return absl::DataLossError("expected occupation<TAB>E|O<TAB>skill");
    }
    if (auto st = ParseIndex(f[0], t->occupations_.size(), &o); !st.ok()) return st;
    if (auto st = ParseIndex(f[2], t->skills_.size(), &k); !st.ok()) return st;
    (f[1] == "E" ? t->occupations_[o].essential : t->occupations_[o].optional).push_back(k);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  for (Occupation& occ : t->occupations_) {
    SortUnique(&occ.essential);
    SortUnique(&occ.optional);
  }
  if (t->occupations_.empty() || t->skills_.empty()) {
    return absl::DataLossError(absl::StrCat(dir, ": taxonomy files are empty"));
  }
  for (const char* name : {"replacements.tsv.gz", "replacements.tsv"}) {
    s = ReadTsv(dir + name, [&](const auto& f) {
      if (f.size() < 2 || f[0].empty() || f[1].empty()) {
        return absl::DataLossError("expected obsolete_uri<TAB>replacement_uri");
      }
      t->replaced_by_[std::string(f[0])] = std::string(f[1]);
      return absl::OkStatus();
    });
    if (s.ok()) break;
    if (!absl::IsNotFound(s)) return s;
  }
  t->DeriveSubstitutes();
  return t;
}

std::string_view Taxonomy::ReplacementOf(std::string_view uri) const {
  // Follows obsolete -> replacement chains to a concept this version has; a
  // cycle or a chain into nothing known gives "".
  std::string_view current = uri;
  for (size_t step = 0; step <= replaced_by_.size(); ++step) {
    auto it = replaced_by_.find(Sv(current));
    if (it == replaced_by_.end()) return {};
    current = it->second;
    if (skill_by_uri_.contains(Sv(current)) || occupation_by_uri_.contains(Sv(current))) {
      return current;
    }
  }
  return {};
}

void Taxonomy::DeriveSubstitutes() {
  // Occupations by essential skill, then for each occupation the overlap with
  // every occupation sharing a skill: sum over skills of the posting lengths,
  // a few million steps for the full ESCO.
  std::vector<std::vector<OccupationId>> by_skill(skills_.size());
  for (OccupationId o = 0; o < occupations_.size(); ++o) {
    for (SkillId k : occupations_[o].essential) by_skill[k].push_back(o);
  }
  std::vector<uint32_t> shared(occupations_.size(), 0);
  std::vector<OccupationId> touched;
  std::vector<std::vector<Substitute>> best(occupations_.size());
  for (OccupationId a = 0; a < occupations_.size(); ++a) {
    touched.clear();
    for (SkillId k : occupations_[a].essential) {
      for (OccupationId b : by_skill[k]) {
        if (b == a) continue;
        if (shared[b]++ == 0) touched.push_back(b);
      }
    }
    const size_t na = occupations_[a].essential.size();
    for (OccupationId b : touched) {
      const size_t uni = na + occupations_[b].essential.size() - shared[b];
      const float sim = static_cast<float>(shared[b]) / static_cast<float>(uni);
      shared[b] = 0;
      if (sim >= kSubstituteMinSimilarity) best[a].push_back({b, sim});
    }
    std::sort(best[a].begin(), best[a].end(), [](const Substitute& x, const Substitute& y) {
      return x.similarity != y.similarity ? x.similarity > y.similarity
                                          : x.occupation < y.occupation;
    });
    if (best[a].size() > kSubstitutesPerOccupation) best[a].resize(kSubstitutesPerOccupation);
  }
  for (OccupationId a = 0; a < occupations_.size(); ++a) {
    for (const Substitute& s : best[a]) {
      occupations_[a].substitutes.push_back(s);
      occupations_[s.occupation].substitutes.push_back({a, s.similarity});
    }
  }
  for (Occupation& occ : occupations_) {
    auto& subs = occ.substitutes;
    std::sort(subs.begin(), subs.end(), [](const Substitute& x, const Substitute& y) {
      return x.occupation < y.occupation;
    });
    subs.erase(std::unique(subs.begin(), subs.end(),
                           [](const Substitute& x, const Substitute& y) {
                             return x.occupation == y.occupation;
                           }),
               subs.end());
  }
}

const std::vector<Substitute>& Taxonomy::Substitutes(OccupationId a) const {
  static const std::vector<Substitute>* const kNone = new std::vector<Substitute>();
  return a < occupations_.size() ? occupations_[a].substitutes : *kNone;
}

float Taxonomy::SubstituteSimilarity(OccupationId a, OccupationId b) const {
  if (a >= occupations_.size() || b >= occupations_.size()) return 0;
  const auto& subs = occupations_[a].substitutes;
  auto it = std::lower_bound(subs.begin(), subs.end(), b, [](const Substitute& s, OccupationId id) {
    return s.occupation < id;
  });
  return it != subs.end() && it->occupation == b ? it->similarity : 0;
}

SkillId Taxonomy::FindSkill(std::string_view uri) const {
  auto it = skill_by_uri_.find(Sv(uri));
  if (it == skill_by_uri_.end() || skills_[it->second].is_group) return kNoSkill;
  return it->second;
}

OccupationId Taxonomy::FindOccupation(std::string_view uri) const {
  auto it = occupation_by_uri_.find(Sv(uri));
  return it == occupation_by_uri_.end() ? kNoOccupation : it->second;
}

bool Taxonomy::IsIscoGroup(std::string_view code) const {
  return isco_labels_.contains(Sv(code));
}

bool Taxonomy::IsIscoUnitGroup(int code) const {
  return code >= 100 && code <= 9999 && isco_labels_.contains(absl::StrFormat("%04d", code));
}

const std::string* Taxonomy::IscoLabel(std::string_view code) const {
  auto it = isco_labels_.find(Sv(code));
  return it == isco_labels_.end() ? nullptr : &it->second;
}

const std::vector<OccupationId>& Taxonomy::OccupationsInUnitGroup(int isco) const {
  static const std::vector<OccupationId>* const kEmpty = new std::vector<OccupationId>();
  auto it = by_unit_group_.find(isco);
  return it == by_unit_group_.end() ? *kEmpty : it->second;
}

}  // namespace jobmatch::matcher
