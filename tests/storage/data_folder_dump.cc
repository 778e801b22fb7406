#include "tests/storage/data_folder_dump.h"

#include <sys/wait.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"

namespace jobmatch::testing {
namespace {

// Runs `command` and returns its standard output; an error unless it exits 0.
absl::StatusOr<std::string> Run(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return absl::InternalError(absl::StrCat("cannot run ", command));
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  const int status = pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(absl::StrCat(command, " failed: ", out.substr(0, 2000)));
  }
  return out;
}

std::string Quoted(const std::string& path) { return absl::StrCat("'", path, "'"); }

}  // namespace

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 15]);
  }
  return hex;
}

bool DataFolderDump::Holds(std::string_view bytes) const {
  return hex.find(ToHex(bytes)) != std::string::npos ||
         other.find(bytes) != std::string::npos;
}

absl::StatusOr<DataFolderDump> DumpDataFolder(const std::string& dir) {
  DataFolderDump dump;
  std::error_code error;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, error)) {
    if (!entry.is_regular_file()) continue;
    const std::string path = entry.path().string();
    const std::string ext = entry.path().extension().string();
    if (ext == ".sst") {
      auto out = Run(absl::StrCat(SST_DUMP_PATH, " --command=scan --output_hex --file=",
                                  Quoted(path)));
      if (!out.ok()) return out.status();
      // The scan ends with the file's last entry; a read error is printed,
      // not returned as the exit code.
      if (out->find("Corruption") != std::string::npos ||
          out->find("IO error") != std::string::npos) {
        return absl::InternalError(absl::StrCat("sst_dump ", path, ": ", *out));
      }
      for (char& c : *out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      dump.hex += *out;
      ++dump.table_files;
    } else if (ext == ".log") {
      auto out = Run(absl::StrCat(LDB_PATH, " dump_wal --print_value --walfile=", Quoted(path)));
      if (!out.ok()) return out.status();
      for (char& c : *out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      dump.hex += *out;
      ++dump.log_files;
    } else {
      std::ifstream in(path, std::ios::binary);
      dump.other.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  }
  if (error) return absl::InternalError(absl::StrCat("cannot list ", dir, ": ", error.message()));
  return dump;
}

}  // namespace jobmatch::testing
