// The course-catalogue seam: the example file loads, and a bad line is
// refused with the file, line and rule.
#include "matcher/course_catalogue.h"

#include <fstream>

#include "gtest/gtest.h"
#include "matcher/reference_data.h"
#include "tests/storage/temp_dir.h"

namespace jobmatch::matcher {
namespace {

const Taxonomy& Esco() {
  static const ReferenceData* data = ReferenceData::Load(ReferenceData::SourceTreeDataDir())->release();
  return *data->taxonomy;
}

TEST(CourseCatalogueTest, ExampleFileLoadsWithCoursesPerSkill) {
  auto c = CourseCatalogue::Load(
      ReferenceData::SourceTreeDataDir() + "/courses/courses.example.tsv", Esco());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ((*c)->version(), "example-2026-12");
  EXPECT_EQ((*c)->course_count(), 5u);
  const SkillId hygiene =
      Esco().FindSkill("http://data.europa.eu/esco/skill/0162b701-6bb4-400a-b557-7996053d7daf");
  ASSERT_NE(hygiene, kNoSkill);
  auto courses = (*c)->CoursesFor(hygiene);
  ASSERT_EQ(courses.size(), 1u);
  EXPECT_EQ(courses[0]->code, "EX-AMU-0001");
  EXPECT_EQ(courses[0]->hours, 37);
}

TEST(CourseCatalogueTest, BadLinesAreRefusedWithLineAndRule) {
  jobmatch::testing::TempDir dir;
  const std::string path = dir.path() + "/courses.tsv";
  auto load = [&](const std::string& text) {
    std::ofstream(path) << text;
    return CourseCatalogue::Load(path, Esco()).status();
  };
  const std::string skill = "http://data.europa.eu/esco/skill/0162b701-6bb4-400a-b557-7996053d7daf";
  absl::Status s = load("C1\tTitle\tProvider\t12\thttp://example.invalid/skill\n");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find(":1:"), absl::string_view::npos) << s;
  EXPECT_NE(s.message().find("esco_skill_uri"), absl::string_view::npos) << s;
  s = load("# comment\nC1\tTitle\tProvider\t0\t" + skill + "\n");
  EXPECT_NE(s.message().find(":2:"), absl::string_view::npos) << s;
  EXPECT_NE(s.message().find("hours"), absl::string_view::npos) << s;
  s = load("C1\tTitle\tProvider\t12\t" + skill + "\nC1\tOther title\tProvider\t12\t" + skill + "\n");
  EXPECT_NE(s.message().find("another title"), absl::string_view::npos) << s;
  EXPECT_EQ(CourseCatalogue::Load(dir.path() + "/absent.tsv", Esco()).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace jobmatch::matcher
