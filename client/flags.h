#pragma once
// A command-line flag set with spf13/pflag's syntax and error wording, which kubectl users see
// verbatim ("unknown flag: --bogus", "flag needs an argument: 'n' in -n", ...).
//
// Supported forms: --name=value, --name value, --bool, -x value, -xvalue, -x=value, -abc
// (combined bool shorthands), "--" ends flags, flags and arguments may be interspersed.
// Names are normalized as kubectl does (underscores become dashes).
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kapi::client {

enum class FlagType {
  kBool,
  kString,
  kInt,          // strconv.ParseInt(s, 0, 64)
  kStringArray,  // repeatable, each value kept as is
  kStringSlice,  // repeatable, each value split on commas
  kDuration,     // time.ParseDuration; the value is kept as given
  kStringToString,  // pflag's stringToString: "k=v[,k2=v2]", repeatable; values keep "k=v"
};

// time.ParseDuration of a duration flag's value, in seconds ("30s", "1m30s", "0", "-1s");
// nullopt if Go would reject it.
std::optional<double> parse_seconds(const std::string& s);

struct Flag {
  std::string name;
  char shorthand = 0;
  FlagType type = FlagType::kString;
  std::string default_value;  // as pflag prints it in help ('' for strings)
  bool changed = false;
  std::string value;                // last value (kBool: "true"/"false", kInt: decimal)
  std::vector<std::string> values;  // kStringArray / kStringSlice
  std::optional<std::string> no_opt_default;  // pflag NoOptDefVal: the value of a bare --name
};

class FlagSet {
 public:
  // Registers a flag; `def` is the initial value. A command's own flag replaces a global one of
  // the same name (cobra skips inherited flags a command defines itself: create rolebinding
  // --user).
  void add_bool(const std::string& name, char shorthand, bool def);
  void add_string(const std::string& name, char shorthand, const std::string& def);
  void add_int(const std::string& name, char shorthand, long long def);
  void add_duration(const std::string& name, const std::string& def);
  void add_string_array(const std::string& name, char shorthand);
  void add_string_slice(const std::string& name, char shorthand);
  void add_string_to_string(const std::string& name, char shorthand);
  // Drops a flag, so a command's own flag of the same name can shadow a global one (cobra's
  // local flags win over persistent ones, shorthand included).
  void remove(const std::string& name);
  // pflag's NoOptDefVal: `--name` without a value sets `value` (kubectl's --dry-run).
  void set_no_opt_default(const std::string& name, const std::string& value);

  // Parses `args`; the non-flag arguments are appended to `positional` (everything after "--"
  // too). Returns pflag's error text on failure. "help"/"-h" must be registered by the caller.
  std::optional<std::string> parse(const std::vector<std::string>& args,
                                   std::vector<std::string>& positional);

  // Cobra's stripFlags: the non-flag words of `args`, skipping the value of a non-bool flag given
  // as a separate argument. Used to find the subcommand before the real parse.
  std::vector<std::string> strip_flags(const std::vector<std::string>& args) const;

  // cobra's ArgsLenAtDash: how many positional arguments came before "--", or -1.
  int args_len_at_dash() const { return args_len_at_dash_; }

  // True if a command flag replaced the global flag `name`.
  bool shadowed(const std::string& name) const;

  const Flag* find(const std::string& name) const;
  bool changed(const std::string& name) const;
  bool get_bool(const std::string& name) const;
  std::string get_string(const std::string& name) const;
  long long get_int(const std::string& name) const;
  std::vector<std::string> get_strings(const std::string& name) const;
  // A kStringToString flag as a map: keys sorted, a later value for a key wins. (Go ranges over
  // the map in random order; kapi uses the sorted one.)
  std::vector<std::pair<std::string, std::string>> get_string_map(const std::string& name) const;

 private:
  Flag* lookup(const std::string& name);
  void add(Flag f);
  Flag* lookup_short(char c);
  const Flag* lookup_short(char c) const;
  std::optional<std::string> set(Flag& f, const std::string& value);
  std::vector<Flag> flags_;
  int args_len_at_dash_ = -1;
  std::vector<std::string> shadowed_;
};

// Normalizes a flag name like kubectl's WordSepNormalizeFunc ("all_namespaces" -> "all-namespaces").
std::string normalize_flag_name(std::string name);

}  // namespace kapi::client
