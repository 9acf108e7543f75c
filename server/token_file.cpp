#include "server/token_file.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace kapi::server {
namespace {

using Record = std::vector<std::string>;

// Go's encoding/csv reader with FieldsPerRecord = -1: quoted fields ("" is a quote, newlines
// allowed), empty lines skipped, \r\n read as \n. Errors carry Go's ParseError text.
class CsvReader {
 public:
  explicit CsvReader(const std::string& text) : s_(text) {}

  // False at the end of input; `error` set on a malformed record.
  bool next(Record& rec, std::string& error) {
    rec.clear();
    // Skip empty lines.
    while (pos_ < s_.size() && (s_[pos_] == '\n' || (s_[pos_] == '\r' && peek(1) == '\n'))) {
      pos_ += s_[pos_] == '\r' ? 2 : 1;
      ++line_;
    }
    if (pos_ >= s_.size()) return false;
    int start_line = line_;
    while (true) {
      std::string field;
      size_t line_start = last_line_start();
      if (pos_ < s_.size() && s_[pos_] == '"') {
        ++pos_;
        while (true) {
          if (pos_ >= s_.size()) {
            error = parse_error(start_line, line_, col(line_start), "extraneous or missing \" in quoted-field");
            return false;
          }
          char c = s_[pos_];
          if (c == '"') {
            if (peek(1) == '"') {
              field += '"';
              pos_ += 2;
              continue;
            }
            ++pos_;
            break;
          }
          if (c == '\r' && peek(1) == '\n') {
            ++pos_;
            c = '\n';
          }
          if (c == '\n') ++line_;
          field += c;
          ++pos_;
        }
        rec.push_back(field);
        if (at_end_of_line()) break;
        if (s_[pos_] == ',') {
          ++pos_;
          continue;
        }
        error = parse_error(start_line, line_, col(last_line_start()) + 1, "extraneous or missing \" in quoted-field");
        return false;
      }
      while (pos_ < s_.size() && s_[pos_] != ',' && !at_end_of_line()) {
        if (s_[pos_] == '"') {
          error = parse_error(start_line, line_, col(last_line_start()) + 1, "bare \" in non-quoted-field");
          return false;
        }
        field += s_[pos_++];
      }
      rec.push_back(field);
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      break;
    }
    // Consume the line end.
    if (pos_ < s_.size()) {
      pos_ += s_[pos_] == '\r' ? 2 : 1;
      ++line_;
    }
    return true;
  }

 private:
  char peek(size_t k) const { return pos_ + k < s_.size() ? s_[pos_ + k] : '\0'; }
  bool at_end_of_line() const {
    return pos_ >= s_.size() || s_[pos_] == '\n' || (s_[pos_] == '\r' && peek(1) == '\n');
  }
  size_t last_line_start() const {
    size_t nl = pos_ == 0 ? std::string::npos : s_.rfind('\n', pos_ - 1);
    return nl == std::string::npos ? 0 : nl + 1;
  }
  int col(size_t line_start) const { return static_cast<int>(pos_ - line_start); }
  static std::string parse_error(int start_line, int line, int column, const std::string& what) {
    std::string at = "parse error on line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + what;
    if (start_line != line) return "record on line " + std::to_string(start_line) + "; " + at;
    return at;
  }

  const std::string& s_;
  size_t pos_ = 0;
  int line_ = 1;
};

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t comma = s.find(',', start);
    out.push_back(s.substr(start, comma - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

}  // namespace

machinery::Result<TokenFile> TokenFile::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::string why = std::strerror(errno);  // Go's os.Open text is strerror, lower-cased
    if (!why.empty()) why[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(why[0])));
    return machinery::Result<TokenFile>::failure("open " + path + ": " + why);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(path, ss.str());
}

machinery::Result<TokenFile> TokenFile::parse(const std::string& path, const std::string& text) {
  TokenFile tf;
  CsvReader reader(text);
  Record rec;
  std::string error;
  while (reader.next(rec, error)) {
    if (rec.size() < 3)
      return machinery::Result<TokenFile>::failure("token file '" + path +
                                                   "' must have at least 3 columns (token, user name, user uid), found " +
                                                   std::to_string(rec.size()));
    if (rec[0].empty()) continue;  // upstream warns and skips
    UserInfo u;
    u.name = rec[1];
    u.uid = rec[2];
    if (rec.size() >= 4) u.groups = split_commas(rec[3]);
    tf.tokens_[rec[0]] = std::move(u);
  }
  if (!error.empty()) return machinery::Result<TokenFile>::failure(error);
  return tf;
}

const UserInfo* TokenFile::find(const std::string& token) const {
  auto it = tokens_.find(token);
  return it == tokens_.end() ? nullptr : &it->second;
}

}  // namespace kapi::server
