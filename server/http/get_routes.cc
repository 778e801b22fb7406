#include "server/http/get_routes.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace jobmatch::http {
namespace {

namespace pb = google::protobuf;

grpc::Status Bad(absl::string_view name, absl::string_view rule) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                      absl::StrCat("query parameter ", name, ": ", rule));
}

const pb::FieldDescriptor* FindField(const pb::Descriptor& type, absl::string_view name) {
  const pb::FieldDescriptor* field = type.FindFieldByName(std::string(name));
  return field != nullptr ? field : type.FindFieldByCamelcaseName(std::string(name));
}

grpc::Status SetScalar(absl::string_view name, const pb::FieldDescriptor& field,
                       absl::string_view value, pb::Message* message) {
  const pb::Reflection& r = *message->GetReflection();
  const bool repeated = field.is_repeated();
  auto fail = [&](const char* what) { return Bad(name, absl::StrCat("must be ", what)); };
  switch (field.cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_INT32: {
      int32_t v;
      if (!absl::SimpleAtoi(value, &v)) return fail("an integer");
      repeated ? r.AddInt32(message, &field, v) : r.SetInt32(message, &field, v);
      break;
    }
    case pb::FieldDescriptor::CPPTYPE_INT64: {
      int64_t v;
      if (!absl::SimpleAtoi(value, &v)) return fail("an integer");
      repeated ? r.AddInt64(message, &field, v) : r.SetInt64(message, &field, v);
      break;
    }
    case pb::FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v;
      if (!absl::SimpleAtoi(value, &v)) return fail("a non-negative integer");
      repeated ? r.AddUInt32(message, &field, v) : r.SetUInt32(message, &field, v);
      break;
    }
    case pb::FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v;
      if (!absl::SimpleAtoi(value, &v)) return fail("a non-negative integer");
      repeated ? r.AddUInt64(message, &field, v) : r.SetUInt64(message, &field, v);
      break;
    }
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
    case pb::FieldDescriptor::CPPTYPE_FLOAT: {
      double v;
      if (!absl::SimpleAtod(value, &v)) return fail("a number");
      if (field.cpp_type() == pb::FieldDescriptor::CPPTYPE_FLOAT) {
        repeated ? r.AddFloat(message, &field, static_cast<float>(v))
                 : r.SetFloat(message, &field, static_cast<float>(v));
      } else {
        repeated ? r.AddDouble(message, &field, v) : r.SetDouble(message, &field, v);
      }
      break;
    }
    case pb::FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      if (!absl::SimpleAtob(value, &v)) return fail("true or false");
      repeated ? r.AddBool(message, &field, v) : r.SetBool(message, &field, v);
      break;
    }
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
      const pb::EnumValueDescriptor* e = field.enum_type()->FindValueByName(std::string(value));
      int number;
      if (e == nullptr && absl::SimpleAtoi(value, &number)) {
        e = field.enum_type()->FindValueByNumber(number);
      }
      if (e == nullptr) return fail(absl::StrCat("a value of ", field.enum_type()->full_name()).c_str());
      repeated ? r.AddEnum(message, &field, e) : r.SetEnum(message, &field, e);
      break;
    }
    case pb::FieldDescriptor::CPPTYPE_STRING:
      repeated ? r.AddString(message, &field, std::string(value))
               : r.SetString(message, &field, std::string(value));
      break;
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      return Bad(name, "names a message; name one of its fields (dotted)");
  }
  return grpc::Status::OK;
}

}  // namespace

const std::vector<GetRoute>& GetRoutes() {
  static const auto* routes = new std::vector<GetRoute>{
      {"/v1/vacancies/{vacancy_id}/matches", "/jobmatch.v1.MatchService/TopSeekersForVacancy",
       "Best seekers for a vacancy (ranked, explained)"},
      {"/v1/seekers/{seeker_id}/matches", "/jobmatch.v1.MatchService/TopVacanciesForSeeker",
       "Best vacancies for a seeker (ranked, explained)"},
      {"/v1/seekers/{seeker_id}/vacancies/{vacancy_id}/explanation",
       "/jobmatch.v1.MatchService/Explain", "The full explanation of one pair"},
      {"/v1/seekers/{seeker_id}/vacancies/{vacancy_id}/why-not", "/jobmatch.v1.MatchService/WhyNot",
       "Why a pair is not in a list"},
      {"/v1/feedback", "/jobmatch.v1.MatchService/ListFeedback",
       "Recorded feedback for a seeker and/or a vacancy"},
      {"/v1/policy", "/jobmatch.v1.MatchService/GetPolicy", "The scoring policy in force"},
      {"/v1/seekers/{id}", "/jobmatch.v1.SeekerService/Get", "One seeker"},
      {"/v1/seekers", "/jobmatch.v1.SeekerService/List", "Seekers, a page at a time"},
      {"/v1/vacancies/{id}", "/jobmatch.v1.VacancyService/Get", "One vacancy"},
      {"/v1/vacancies", "/jobmatch.v1.VacancyService/List", "Vacancies, a page at a time"},
      {"/v1/employers/{id}", "/jobmatch.v1.EmployerService/Get", "One employer"},
      {"/v1/employers", "/jobmatch.v1.EmployerService/List", "Employers, a page at a time"},
      {"/v1/rematch/run", "/jobmatch.v1.RematchService/GetRematchRun",
       "The rematch run in progress, or the current snapshot's"},
      {"/v1/rematch/report", "/jobmatch.v1.RematchService/GetRematchReport",
       "The nightly report: coverage, fairness, allocation"},
      {"/v1/rematch/matches", "/jobmatch.v1.RematchService/GetRematchMatches",
       "Stored nightly matches of a seeker or a vacancy"},
  };
  return *routes;
}

const GetRoute* MatchGetRoute(absl::string_view path,
                              std::vector<std::pair<std::string, std::string>>* path_values) {
  std::vector<absl::string_view> have = absl::StrSplit(path, '/');
  for (const GetRoute& route : GetRoutes()) {
    std::vector<absl::string_view> want = absl::StrSplit(route.pattern, '/');
    if (want.size() != have.size()) continue;
    std::vector<std::pair<std::string, std::string>> values;
    bool match = true;
    for (size_t i = 0; i < want.size() && match; ++i) {
      if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
        if (have[i].empty()) match = false;
        values.emplace_back(std::string(want[i].substr(1, want[i].size() - 2)), std::string(have[i]));
      } else {
        match = want[i] == have[i];
      }
    }
    if (match) {
      *path_values = std::move(values);
      return &route;
    }
  }
  return nullptr;
}

grpc::Status SetFieldFromText(absl::string_view name, absl::string_view value, pb::Message* message) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '.');
  pb::Message* at = message;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const pb::FieldDescriptor* field = FindField(*at->GetDescriptor(), parts[i]);
    if (field == nullptr || field->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE ||
        field->is_repeated()) {
      return Bad(name, absl::StrCat("no message field \"", parts[i], "\" in ",
                                    at->GetDescriptor()->full_name()));
    }
    at = at->GetReflection()->MutableMessage(at, field);
  }
  const pb::FieldDescriptor* field = FindField(*at->GetDescriptor(), parts.back());
  if (field == nullptr) {
    return Bad(name, absl::StrCat("no field \"", parts.back(), "\" in ",
                                  at->GetDescriptor()->full_name()));
  }
  if (field->is_repeated()) {
    for (absl::string_view item : absl::StrSplit(value, ',', absl::SkipEmpty())) {
      if (grpc::Status s = SetScalar(name, *field, item, at); !s.ok()) return s;
    }
    return grpc::Status::OK;
  }
  return SetScalar(name, *field, value, at);
}

std::string UrlDecode(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() + 0 && absl::ascii_isxdigit(text[i + 1]) &&
               absl::ascii_isxdigit(text[i + 2])) {
      int v = 0;
      (void)absl::SimpleHexAtoi(text.substr(i + 1, 2), &v);
      out += static_cast<char>(v);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ParseQuery(absl::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  for (absl::string_view item : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(item, absl::MaxSplits('=', 1));
    out.emplace_back(UrlDecode(kv.first), UrlDecode(kv.second));
  }
  return out;
}

}  // namespace jobmatch::http
