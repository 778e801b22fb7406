#include "clients/cli/csv_record.h"

#include <cstdint>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace jobmatch::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

std::vector<std::string> SplitList(const std::string& cell) {
  std::vector<std::string> values;
  size_t start = 0;
  while (true) {
    const size_t end = cell.find(';', start);
    values.push_back(std::string(absl::StripAsciiWhitespace(
        Sv(std::string_view(cell).substr(start, end == std::string::npos ? end : end - start)))));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return values;
}

const FieldDescriptor* FindField(const Descriptor* type, const std::string& name) {
  const FieldDescriptor* field = type->FindFieldByName(name);
  return field != nullptr ? field : type->FindFieldByCamelcaseName(name);
}

// Sets (or, for a repeated field, adds) `text` as the value of scalar `field`.
absl::Status SetScalar(const FieldDescriptor* field, const std::string& raw, Message* message) {
  const Reflection* r = message->GetReflection();
  const bool repeated = field->is_repeated();
  const std::string text =
      field->cpp_type() == FieldDescriptor::CPPTYPE_STRING
          ? raw
          : std::string(absl::StripAsciiWhitespace(Sv(raw)));
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      repeated ? r->AddString(message, field, text) : r->SetString(message, field, text);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v = 0;
      if (!absl::SimpleAtoi(Sv(text), &v)) return absl::InvalidArgumentError("not an integer");
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_INT32) {
        if (v < INT32_MIN || v > INT32_MAX) return absl::InvalidArgumentError("out of range");
        const auto v32 = static_cast<int32_t>(v);
        repeated ? r->AddInt32(message, field, v32) : r->SetInt32(message, field, v32);
      } else {
        repeated ? r->AddInt64(message, field, v) : r->SetInt64(message, field, v);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v = 0;
      if (!absl::SimpleAtoi(Sv(text), &v)) {
        return absl::InvalidArgumentError("not a non-negative integer");
      }
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_UINT32) {
        if (v > UINT32_MAX) return absl::InvalidArgumentError("out of range");
        const auto v32 = static_cast<uint32_t>(v);
        repeated ? r->AddUInt32(message, field, v32) : r->SetUInt32(message, field, v32);
      } else {
        repeated ? r->AddUInt64(message, field, v) : r->SetUInt64(message, field, v);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double v = 0;
      if (!absl::SimpleAtod(Sv(text), &v)) return absl::InvalidArgumentError("not a number");
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE) {
        repeated ? r->AddDouble(message, field, v) : r->SetDouble(message, field, v);
      } else {
        const auto f = static_cast<float>(v);
        repeated ? r->AddFloat(message, field, f) : r->SetFloat(message, field, f);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v = false;
      if (!absl::SimpleAtob(Sv(text), &v)) {
        return absl::InvalidArgumentError("not true/false, yes/no or 1/0");
      }
      repeated ? r->AddBool(message, field, v) : r->SetBool(message, field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* value = field->enum_type()->FindValueByName(text);
      int number = 0;
      if (value == nullptr && absl::SimpleAtoi(Sv(text), &number)) {
        value = field->enum_type()->FindValueByNumber(number);
      }
      if (value == nullptr) {
        std::string names;
        for (int i = 0; i < field->enum_type()->value_count(); ++i) {
          absl::StrAppend(&names, i == 0 ? "" : ", ", field->enum_type()->value(i)->name());
        }
        return absl::InvalidArgumentError(absl::StrCat("'", text, "' is not one of ", names));
      }
      repeated ? r->AddEnum(message, field, value) : r->SetEnum(message, field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return absl::InvalidArgumentError("is a message, not a value");
}

}  // namespace

bool CsvReader::Next(std::vector<std::string>* cells, size_t* first_line, std::string* error) {
  cells->clear();
  error->clear();
  std::string line;
  // Skip blank lines between rows.
  do {
    if (!std::getline(*in_, line)) return false;
    ++line_;
  } while (line.empty() || line == "\r");
  *first_line = line_;
  std::string cell;
  bool quoted = false;
  while (true) {
    for (size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (quoted) {
        if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          cell += '"';
          ++i;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell += c;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        cells->push_back(std::move(cell));
        cell.clear();
      } else if (c == '\r' && i + 1 == line.size()) {
        // CRLF line end.
      } else {
        cell += c;
      }
    }
    if (!quoted) break;
    // A quoted field goes on over the line break.
    if (!std::getline(*in_, line)) {
      *error = absl::StrCat("quote opened on line ", *first_line, " is never closed");
      return true;
    }
    ++line_;
    cell += '\n';
  }
  cells->push_back(std::move(cell));
  return true;
}

absl::StatusOr<CsvRecordMapper> CsvRecordMapper::Create(const Descriptor* type,
                                                        const std::vector<std::string>& header) {
  CsvRecordMapper mapper;
  for (size_t c = 0; c < header.size(); ++c) {
    Column column;
    column.path = std::string(absl::StripAsciiWhitespace(Sv(header[c])));
    if (c == 0 && column.path.rfind("\xEF\xBB\xBF", 0) == 0) column.path.erase(0, 3);  // BOM
    auto bad = [&](const std::string& why) {
      return absl::InvalidArgumentError(
          absl::StrCat("header column ", c + 1, " '", column.path, "': ", why));
    };
    if (column.path.empty()) return bad("empty column name");
    for (const auto& other : mapper.columns_) {
      if (other.path == column.path) return bad("given twice");
    }
    const Descriptor* at = type;
    int repeated = 0;
    size_t start = 0;
    while (true) {
      const size_t dot = column.path.find('.', start);
      const std::string name = column.path.substr(start, dot == std::string::npos ? dot : dot - start);
      if (at == nullptr) return bad("a value field has no sub-fields");
      const FieldDescriptor* field = FindField(at, name);
      if (field == nullptr) return bad(absl::StrCat("no field '", name, "' in ", at->name()));
      repeated += field->is_repeated();
      column.fields.push_back(field);
      at = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE ? field->message_type() : nullptr;
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    if (at != nullptr) return bad("names a message; name one of its fields (e.g. home.lat)");
    if (repeated > 1) return bad("at most one repeated field along a path");
    mapper.columns_.push_back(std::move(column));
  }
  return mapper;
}

absl::Status CsvRecordMapper::Fill(const std::vector<std::string>& cells, Message* record) const {
  if (cells.size() > columns_.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(cells.size(), " cells but the header has ", columns_.size(), " columns"));
  }
  for (size_t c = 0; c < cells.size(); ++c) {
    const Column& column = columns_[c];
    if (cells[c].empty()) continue;
    bool list = false;
    for (const FieldDescriptor* f : column.fields) list |= f->is_repeated();
    const std::vector<std::string> values = list ? SplitList(cells[c]) : std::vector{cells[c]};
    for (size_t i = 0; i < values.size(); ++i) {
      Message* at = record;
      for (size_t k = 0; k + 1 < column.fields.size(); ++k) {
        const FieldDescriptor* f = column.fields[k];
        const Reflection* r = at->GetReflection();
        if (!f->is_repeated()) {
          at = r->MutableMessage(at, f);
          continue;
        }
        while (static_cast<size_t>(r->FieldSize(*at, f)) <= i) r->AddMessage(at, f);
        at = r->MutableRepeatedMessage(at, f, static_cast<int>(i));
      }
      if (values[i].empty()) continue;  // element i exists, without this field
      absl::Status s = SetScalar(column.fields.back(), values[i], at);
      if (!s.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "column ", column.path, list ? absl::StrCat(" value ", i + 1) : "", ": ", s.message()));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace jobmatch::cli
