#include "matcher/course_catalogue.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "matcher/tsv_reader.h"

namespace jobmatch::matcher {

absl::StatusOr<std::unique_ptr<CourseCatalogue>> CourseCatalogue::Load(const std::string& path,
                                                                       const Taxonomy& taxonomy) {
  auto catalogue = std::make_unique<CourseCatalogue>();
  absl::flat_hash_map<std::string, Course*> by_code;
  absl::Status status = ReadTsv(path, [&](const std::vector<std::string_view>& f) -> absl::Status {
    if (f.size() != 5) {
      return absl::InvalidArgumentError(absl::StrCat(
          "expected 5 columns (course_code, title, provider, hours, esco_skill_uri), got ",
          f.size()));
    }
    const std::string code(f[0]), title(f[1]);
    if (code.empty()) return absl::InvalidArgumentError("course_code: must not be empty");
    if (title.empty()) return absl::InvalidArgumentError("title: must not be empty");
    int hours = 0;
    if (!absl::SimpleAtoi(absl::string_view(f[3].data(), f[3].size()), &hours) || hours < 1 ||
        hours > 2000) {
      return absl::InvalidArgumentError("hours: must be a whole number within [1, 2000]");
    }
    const SkillId skill = taxonomy.FindSkill(f[4]);
    if (skill == kNoSkill) {
      return absl::InvalidArgumentError(
          absl::StrCat("esco_skill_uri: ", std::string(f[4]), " is not an ESCO skill"));
    }
    Course*& course = by_code[code];
    if (course == nullptr) {
      catalogue->courses_.push_back(
          std::make_unique<Course>(Course{code, title, std::string(f[2]), hours}));
      course = catalogue->courses_.back().get();
    } else if (course->title != title || course->provider != f[2] || course->hours != hours) {
      return absl::InvalidArgumentError(absl::StrCat(
          "course_code: ", code, " appears with another title, provider or hours"));
    }
    auto& list = catalogue->by_skill_[skill];
    if (std::find(list.begin(), list.end(), course) == list.end()) list.push_back(course);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  for (auto& [skill, list] : catalogue->by_skill_) {
    std::sort(list.begin(), list.end(),
              [](const Course* a, const Course* b) { return a->code < b->code; });
  }
  catalogue->version_ = ReadTsvVersion(path);
  return catalogue;
}

std::vector<const Course*> CourseCatalogue::CoursesFor(SkillId skill) const {
  auto it = by_skill_.find(skill);
  return it == by_skill_.end() ? std::vector<const Course*>{} : it->second;
}

}  // namespace jobmatch::matcher
