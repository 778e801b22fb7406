// CourseCatalogue: the seam for course catalogues. Maps ESCO skills to the
// courses that teach them, read from a tab-separated file (format in
// docs/upskilling.md; example in data/courses/courses.example.tsv) so that
// skill-gap answers can name courses beside the skills. Immutable after Load;
// thread-safe.
#ifndef JOBMATCH_MATCHER_COURSE_CATALOGUE_H_
#define JOBMATCH_MATCHER_COURSE_CATALOGUE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "matcher/taxonomy.h"

namespace jobmatch::matcher {

struct Course {
  std::string code;
  std::string title;
  std::string provider;
  int hours = 0;
};

class CourseCatalogue {
 public:
  // Lines: course_code, title, provider, hours, esco_skill_uri. Errors name
  // the file, line, column and rule (unknown skill, hours not in [1, 2000],
  // empty code or title, one course with two titles). NotFound if absent.
  static absl::StatusOr<std::unique_ptr<CourseCatalogue>> Load(const std::string& path,
                                                               const Taxonomy& taxonomy);

  // Courses teaching `skill`, by code; empty if none.
  std::vector<const Course*> CoursesFor(SkillId skill) const;
  size_t course_count() const { return courses_.size(); }
  const std::string& version() const { return version_; }

 private:
  std::vector<std::unique_ptr<Course>> courses_;
  absl::flat_hash_map<SkillId, std::vector<const Course*>> by_skill_;
  std::string version_;
};

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_COURSE_CATALOGUE_H_
