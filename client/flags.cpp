#include "client/flags.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <cstdint>

#include "pkg/machinery/duration.h"
#include "pkg/machinery/go_format.h"
#include "pkg/machinery/go_strconv.h"

namespace kapi::client {
namespace {

std::vector<std::string> split_commas(const std::string& s) {
  // pflag's stringSlice reads the value as one CSV record.
  std::vector<std::string> out;
  if (s.empty()) return out;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') cur += '"', ++i;
      else if (c == '"') quoted = false;
      else cur += c;
    } else if (c == '"' && cur.empty()) {
      quoted = true;
    } else if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

}  // namespace

// Defined below with parse_seconds.
std::optional<double> parse_duration_seconds(const std::string& s, std::string* error);

std::string normalize_flag_name(std::string name) {
  for (auto& c : name)
    if (c == '_') c = '-';
  return name;
}

void FlagSet::add(Flag f) {
  if (Flag* existing = lookup(f.name)) {
    shadowed_.push_back(f.name);
    *existing = std::move(f);
    return;
  }
  flags_.push_back(std::move(f));
}
bool FlagSet::shadowed(const std::string& name) const {
  for (const auto& n : shadowed_)
    if (n == name) return true;
  return false;
}

void FlagSet::add_bool(const std::string& name, char shorthand, bool def) {
  add({name, shorthand, FlagType::kBool, def ? "true" : "false", false, def ? "true" : "false", {}, {}});
}
void FlagSet::add_string(const std::string& name, char shorthand, const std::string& def) {
  add({name, shorthand, FlagType::kString, def, false, def, {}, {}});
}
void FlagSet::add_int(const std::string& name, char shorthand, long long def) {
  add({name, shorthand, FlagType::kInt, std::to_string(def), false, std::to_string(def), {}, {}});
}
void FlagSet::add_duration(const std::string& name, const std::string& def) {
  add({name, 0, FlagType::kDuration, def, false, def, {}, {}});
}
void FlagSet::add_string_array(const std::string& name, char shorthand) {
  add({name, shorthand, FlagType::kStringArray, "[]", false, "", {}, {}});
}
void FlagSet::add_string_slice(const std::string& name, char shorthand) {
  add({name, shorthand, FlagType::kStringSlice, "[]", false, "", {}, {}});
}

void FlagSet::add_string_to_string(const std::string& name, char shorthand) {
  add({name, shorthand, FlagType::kStringToString, "[]", false, "", {}, {}});
}

void FlagSet::set_no_opt_default(const std::string& name, const std::string& value) {
  if (Flag* f = lookup(name)) f->no_opt_default = value;
}
void FlagSet::remove(const std::string& name) {
  if (std::erase_if(flags_, [&](const Flag& f) { return f.name == name; })) shadowed_.push_back(name);
}

Flag* FlagSet::lookup(const std::string& name) {
  for (auto& f : flags_)
    if (f.name == name) return &f;
  return nullptr;
}
const Flag* FlagSet::find(const std::string& name) const {
  for (auto& f : flags_)
    if (f.name == name) return &f;
  return nullptr;
}
Flag* FlagSet::lookup_short(char c) {
  for (auto& f : flags_)
    if (f.shorthand == c) return &f;
  return nullptr;
}
const Flag* FlagSet::lookup_short(char c) const {
  for (auto& f : flags_)
    if (f.shorthand == c) return &f;
  return nullptr;
}

std::optional<std::string> FlagSet::set(Flag& f, const std::string& value) {
  std::optional<std::string> err;
  switch (f.type) {
    case FlagType::kBool:
      if (auto b = machinery::gofmt::parse_bool(value)) f.value = *b ? "true" : "false";
      else err = "strconv.ParseBool: parsing \"" + value + "\": invalid syntax";
      break;
    case FlagType::kInt: {
      int64_t v = 0;
      auto e = machinery::gofmt::parse_int(value, 0, v);
      if (e == machinery::gofmt::NumError::kNone) f.value = std::to_string(v);
      else err = "strconv.ParseInt: parsing " + machinery::gofmt::quote(value) + ": " +
                 (e == machinery::gofmt::NumError::kRange ? "value out of range" : "invalid syntax");
      break;
    }
    case FlagType::kString:
      f.value = value;
      break;
    case FlagType::kDuration: {
      std::string e;
      if (parse_duration_seconds(value, &e)) f.value = value;
      else err = e;
      break;
    }
    case FlagType::kStringArray:
      f.values.push_back(value);
      break;
    case FlagType::kStringSlice:
      for (auto& v : split_commas(value)) f.values.push_back(v);
      break;
    case FlagType::kStringToString: {
      // One "=" is one pair (quotes trimmed); more are a CSV record of pairs.
      std::vector<std::string> pairs;
      size_t eqs = std::count(value.begin(), value.end(), '=');
      if (eqs == 0) {
        err = value + " must be formatted as key=value";
        break;
      }
      if (eqs == 1) {
        std::string v = value;
        while (!v.empty() && v.front() == '"') v.erase(v.begin());
        while (!v.empty() && v.back() == '"') v.pop_back();
        pairs.push_back(v);
      } else {
        pairs = split_commas(value);
      }
      for (const auto& p : pairs)
        if (p.find('=') == std::string::npos) err = p + " must be formatted as key=value";
      if (!err) f.values.insert(f.values.end(), pairs.begin(), pairs.end());
      break;
    }
  }
  if (err) {
    std::string flag_name =
        f.shorthand ? std::string("-") + f.shorthand + ", --" + f.name : "--" + f.name;
    return "invalid argument " + machinery::gofmt::quote(value) + " for \"" + flag_name + "\" flag: " + *err;
  }
  f.changed = true;
  return std::nullopt;
}

std::optional<std::string> FlagSet::parse(const std::vector<std::string>& in,
                                          std::vector<std::string>& positional) {
  size_t i = 0;
  while (i < in.size()) {
    const std::string& s = in[i++];
    if (s.size() < 2 || s[0] != '-') {
      positional.push_back(s);
      continue;
    }
    if (s[1] == '-') {
      if (s.size() == 2) {  // "--" terminates the flags
        args_len_at_dash_ = static_cast<int>(positional.size());
        for (; i < in.size(); ++i) positional.push_back(in[i]);
        break;
      }
      std::string name = s.substr(2);
      if (name[0] == '-' || name[0] == '=') return "bad flag syntax: " + s;
      std::optional<std::string> inline_value;
      if (auto eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      Flag* f = lookup(normalize_flag_name(name));
      if (!f) return "unknown flag: --" + name;
      std::string value;
      if (inline_value) value = *inline_value;
      else if (f->type == FlagType::kBool) value = "true";
      else if (f->no_opt_default) value = *f->no_opt_default;
      else if (i < in.size()) value = in[i++];
      else return "flag needs an argument: " + s;
      if (auto err = set(*f, value)) return err;
      continue;
    }
    // Shorthands: "-abc" may be several bool flags; a value-taking flag eats the rest.
    std::string shorthands = s.substr(1);
    while (!shorthands.empty()) {
      char c = shorthands[0];
      Flag* f = lookup_short(c);
      if (!f) return std::string("unknown shorthand flag: '") + c + "' in -" + shorthands;
      std::string value;
      std::string rest = shorthands.substr(1);
      if (shorthands.size() > 2 && shorthands[1] == '=') {
        value = shorthands.substr(2);
        rest.clear();
      } else if (f->type == FlagType::kBool) {
        value = "true";
      } else if (f->no_opt_default) {
        value = *f->no_opt_default;
      } else if (shorthands.size() > 1) {
        value = shorthands.substr(1);
        rest.clear();
      } else if (i < in.size()) {
        value = in[i++];
      } else {
        return std::string("flag needs an argument: '") + c + "' in -" + shorthands;
      }
      if (auto err = set(*f, value)) return err;
      shorthands = rest;
    }
  }
  return std::nullopt;
}

std::vector<std::string> FlagSet::strip_flags(const std::vector<std::string>& args) const {
  std::vector<std::string> commands;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& s = args[i];
    if (s == "--") break;
    bool is_long = s.rfind("--", 0) == 0 && s.find('=') == std::string::npos;
    if (is_long) {
      const Flag* f = find(normalize_flag_name(s.substr(2)));
      if (f && (f->type == FlagType::kBool || f->no_opt_default)) continue;
    }
    bool is_short = !is_long && s.size() == 2 && s[0] == '-' && s[1] != '-';
    if (is_short) {
      const Flag* f = lookup_short(s[1]);
      if (f && f->type == FlagType::kBool) continue;
    }
    if (is_long || is_short) {
      // '--flag arg' / '-f arg': skip the value, or stop when it is the last word.
      if (args.size() - i <= 2) break;
      ++i;
      continue;
    }
    if (!s.empty() && s[0] != '-') commands.push_back(s);
  }
  return commands;
}

bool FlagSet::changed(const std::string& name) const {
  const Flag* f = find(name);
  return f && f->changed;
}
bool FlagSet::get_bool(const std::string& name) const {
  const Flag* f = find(name);
  return f && f->value == "true";
}
std::string FlagSet::get_string(const std::string& name) const {
  const Flag* f = find(name);
  return f ? f->value : "";
}
long long FlagSet::get_int(const std::string& name) const {
  const Flag* f = find(name);
  return f ? std::strtoll(f->value.c_str(), nullptr, 10) : 0;
}
std::vector<std::string> FlagSet::get_strings(const std::string& name) const {
  const Flag* f = find(name);
  return f ? f->values : std::vector<std::string>{};
}

std::vector<std::pair<std::string, std::string>> FlagSet::get_string_map(const std::string& name) const {
  std::map<std::string, std::string> m;
  for (const auto& kv : get_strings(name)) {
    size_t eq = kv.find('=');
    m[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return {m.begin(), m.end()};
}


// time.ParseDuration; `error` receives Go's message when it fails.
std::optional<double> parse_duration_seconds(const std::string& s, std::string* error) {
  auto d = machinery::parse_go_duration(s);
  if (!d.ok()) {
    if (error) *error = d.error();
    return std::nullopt;
  }
  return std::chrono::duration<double>(*d).count();
}

std::optional<double> parse_seconds(const std::string& s) { return parse_duration_seconds(s, nullptr); }

}  // namespace kapi::client
