// The one policy table (matcher/policy_fields.cc) and the three places that
// must agree with it: the API's Policy (GetPolicy), the config file's
// PolicyConfig, and the consultant's description in docs/matching.md.
#include "matcher/policy_fields.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "jobmatch/v1/match_service.pb.h"
#include "jobmatchd_config.pb.h"
#include "server/config.h"
#include "server/convert.h"

namespace jobmatch {
namespace {

using google::protobuf::FieldDescriptor;

FieldDescriptor::CppType Expected(const matcher::PolicyField& f) {
  switch (f.kind) {
    case matcher::PolicyField::Kind::kDouble: return FieldDescriptor::CPPTYPE_DOUBLE;
    case matcher::PolicyField::Kind::kInt: return FieldDescriptor::CPPTYPE_INT32;
    case matcher::PolicyField::Kind::kBool: return FieldDescriptor::CPPTYPE_BOOL;
  }
  return FieldDescriptor::CPPTYPE_STRING;
}

TEST(PolicyFieldsTest, BothProtosHaveEveryFieldWithItsType) {
  for (const auto& f : matcher::PolicyFields()) {
    for (const auto* d : {v1::Policy::descriptor(), config::PolicyConfig::descriptor()}) {
      const FieldDescriptor* field = d->FindFieldByName(f.name);
      ASSERT_NE(field, nullptr) << d->full_name() << " lacks " << f.name;
      EXPECT_EQ(field->cpp_type(), Expected(f)) << d->full_name() << "." << f.name;
    }
  }
}

TEST(PolicyFieldsTest, DefaultsAreInRangeAndGetPolicyReportsEveryField) {
  const matcher::Policy defaults;
  EXPECT_TRUE(defaults.Validate().ok());
  matcher::Policy changed;
  for (const auto& f : matcher::PolicyFields()) {
    // A value in range that differs from the default, to see it come through.
    const double v = f.kind == matcher::PolicyField::Kind::kBool ? 1 - f.Get(defaults)
                     : f.Get(defaults) == f.max                   ? f.min
                                                                  : f.max;
    f.Set(&changed, v);
  }
  changed.substitute_fit_base = 0.2;
  changed.substitute_fit_slope = 0.3;
  ASSERT_TRUE(changed.Validate().ok()) << changed.Validate();
  const v1::Policy proto = ToProto(changed);
  for (const auto& f : matcher::PolicyFields()) {
    const FieldDescriptor* field = proto.GetDescriptor()->FindFieldByName(f.name);
    const auto* r = proto.GetReflection();
    const double got = field->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE ? r->GetDouble(proto, field)
                       : field->cpp_type() == FieldDescriptor::CPPTYPE_INT32
                           ? r->GetInt32(proto, field)
                           : (r->GetBool(proto, field) ? 1 : 0);
    EXPECT_EQ(got, f.Get(changed)) << f.name;
  }
}

TEST(PolicyFieldsTest, ConfigSetsEveryFieldAndRejectsOutOfRangeNamingIt) {
  for (const auto& f : matcher::PolicyFields()) {
    const matcher::Policy defaults;
    const double v = f.kind == matcher::PolicyField::Kind::kBool ? 1 - f.Get(defaults)
                     : f.name == std::string("substitute_fit_base") ||
                             f.name == std::string("substitute_fit_slope")
                         ? 0.1
                         : (f.Get(defaults) == f.max ? f.min : f.max);
    const std::string text = f.kind == matcher::PolicyField::Kind::kBool
                                 ? (v != 0 ? "true" : "false")
                                 : absl::StrFormat("%g", v);
    ServiceOptions options;
    absl::Status s = LoadConfig("", {{absl::StrCat("policy.", f.name), text}}, &options);
    ASSERT_TRUE(s.ok()) << f.name << ": " << s;
    EXPECT_EQ(f.Get(options.policy), v) << f.name;
    if (f.kind == matcher::PolicyField::Kind::kBool) continue;
    ServiceOptions bad;
    s = LoadConfig("", {{absl::StrCat("policy.", f.name), absl::StrFormat("%g", f.max + 1)}}, &bad);
    EXPECT_FALSE(s.ok()) << f.name;
    EXPECT_NE(s.message().find(f.name), std::string::npos) << s;
  }
}

TEST(PolicyFieldsTest, TheConsultantsDescriptionListsEveryFieldWithItsDefault) {
  std::ifstream in(std::string(JOBMATCH_SOURCE_DATA_DIR) + "/../docs/matching.md");
  ASSERT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const matcher::Policy defaults;
  for (const auto& f : matcher::PolicyFields()) {
    const double d = f.Get(defaults);
    const std::string shown = f.kind == matcher::PolicyField::Kind::kBool ? (d != 0 ? "true" : "false")
                              : f.kind == matcher::PolicyField::Kind::kInt
                                  ? absl::StrCat(static_cast<int>(d))
                                  : (d == static_cast<int>(d) ? absl::StrFormat("%.1f", d)
                                                              : absl::StrFormat("%g", d));
    const std::string row = absl::StrCat("| `", f.name, "` | ", shown, " |");
    EXPECT_NE(text.str().find(row), std::string::npos) << "docs/matching.md lacks " << row;
  }
}

}  // namespace
}  // namespace jobmatch
