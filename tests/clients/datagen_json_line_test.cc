// The fast JSON printer gives exactly the bytes of protobuf's own printer.
#include "clients/datagen/json_line.h"

#include "clients/datagen/generator.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace jobmatch::datagen {
namespace {

std::string Library(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(m, &json, options).ok());
  return json;
}

std::string Ours(const google::protobuf::Message& m) {
  std::string json;
  EXPECT_TRUE(AppendJson(m, &json).ok());
  return json;
}

TEST(DatagenJsonLineTest, EveryGeneratedRecordPrintsAsTheLibraryPrintsIt) {
  auto data = matcher::ReferenceData::Load(matcher::ReferenceData::SourceTreeDataDir());
  ASSERT_TRUE(data.ok()) << data.status();
  GeneratorOptions options;
  options.seekers = 3000;
  options.vacancies = 1000;
  auto g = Generator::Create(data->get(), matcher::ReferenceData::SourceTreeDataDir(), options);
  ASSERT_TRUE(g.ok()) << g.status();
  int differ = 0;
  auto check = [&](const google::protobuf::Message& m) {
    const std::string want = Library(m), got = Ours(m);
    if (want != got && differ++ < 3) ADD_FAILURE() << "library: " << want << "\nours:    " << got;
  };
  (*g)->Employers(check);
  (*g)->Seekers(check);
  (*g)->Vacancies(check);
  EXPECT_EQ(differ, 0);
}

TEST(DatagenJsonLineTest, EscapesAndNumbersMatchTheLibrary) {
  v1::Employer e;
  e.set_id("e-1");
  e.set_name("Å\"quote\" \\ back/slash <tag> & tab\t nl\n ctl\x01 del\x7f æøå");
  e.set_cvr("12345678");
  e.set_public_sector(true);
  e.set_municipality(-101);
  EXPECT_EQ(Ours(e), Library(e));

  v1::Seeker s;
  s.set_id("s");
  s.mutable_home()->set_lat(55.123456789012345);
  s.mutable_home()->set_lon(0.1);
  s.set_available_from_micros(-1234567890123456789LL);
  auto* skill = s.add_skills();
  skill->set_years(0.1f);
  s.add_skills()->set_years(1e-7f);
  s.add_skills()->set_years(123456789.0f);
  s.add_transport_modes(v1::CAR);
  s.add_transport_modes(static_cast<v1::TransportMode>(42));  // unknown enum value
  EXPECT_EQ(Ours(s), Library(s));

  EXPECT_EQ(Ours(v1::Vacancy()), Library(v1::Vacancy()));
}

}  // namespace
}  // namespace jobmatch::datagen
