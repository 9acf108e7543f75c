#include "pkg/machinery/quantity.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

#include <nlohmann/json.hpp>

#include "pkg/machinery/go_strconv.h"

namespace kapi::machinery {

namespace {

const char* const kErrFormatWrong =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const char* const kErrNumeric = "unable to parse numeric part of quantity";
const char* const kErrSuffix = "unable to parse quantity's suffix";
const std::string kMaxInt64 = "9223372036854775807";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// ---- magnitude arithmetic on decimal digit strings ----

std::string strip_leading(std::string d) {
  size_t i = 0;
  while (i + 1 < d.size() && d[i] == '0') ++i;
  return d.substr(i);
}

int cmp_mag(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

std::string mul_small(const std::string& a, uint32_t m) {
  std::string out(a.size() + 10, '0');
  uint64_t carry = 0;
  size_t k = out.size();
  for (size_t i = a.size(); i-- > 0;) {
    uint64_t v = static_cast<uint64_t>(a[i] - '0') * m + carry;
    out[--k] = static_cast<char>('0' + v % 10);
    carry = v / 10;
  }
  while (carry) {
    out[--k] = static_cast<char>('0' + carry % 10);
    carry /= 10;
  }
  return strip_leading(out.substr(k));
}

// Returns quotient; `rem` receives the remainder.
std::string divmod_small(const std::string& a, uint32_t d, uint32_t& rem) {
  std::string q;
  uint64_t r = 0;
  for (char c : a) {
    r = r * 10 + static_cast<uint64_t>(c - '0');
    q += static_cast<char>('0' + r / d);
    r %= d;
  }
  rem = static_cast<uint32_t>(r);
  return strip_leading(q.empty() ? "0" : q);
}

std::string add_mag(const std::string& a, const std::string& b) {
  std::string out;
  int carry = 0;
  for (size_t i = 0; i < std::max(a.size(), b.size()) || carry; ++i) {
    int s = carry;
    if (i < a.size()) s += a[a.size() - 1 - i] - '0';
    if (i < b.size()) s += b[b.size() - 1 - i] - '0';
    out += static_cast<char>('0' + s % 10);
    carry = s / 10;
  }
  std::reverse(out.begin(), out.end());
  return strip_leading(out);
}

// a - b with a >= b.
std::string sub_mag(const std::string& a, const std::string& b) {
  std::string out;
  int borrow = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    int s = (a[a.size() - 1 - i] - '0') - borrow - (i < b.size() ? b[b.size() - 1 - i] - '0' : 0);
    borrow = s < 0;
    out += static_cast<char>('0' + (s + 10) % 10);
  }
  std::reverse(out.begin(), out.end());
  return strip_leading(out);
}

// Rounds digits*10^exp away from zero to a multiple of 10^target_exp. Returns exactness.
bool round_up_mag(std::string& digits, int64_t& exp, int64_t target_exp) {
  if (exp >= target_exp) return true;
  int64_t drop = target_exp - exp;
  bool nonzero_dropped;
  if (drop >= static_cast<int64_t>(digits.size())) {
    nonzero_dropped = digits != "0";
    digits = nonzero_dropped ? "1" : "0";
    exp = target_exp;
    return !nonzero_dropped;
  }
  std::string kept = digits.substr(0, digits.size() - static_cast<size_t>(drop));
  std::string dropped = digits.substr(kept.size());
  nonzero_dropped = dropped.find_first_not_of('0') != std::string::npos;
  if (nonzero_dropped) kept = add_mag(kept, "1");
  digits = strip_leading(kept);
  exp = target_exp;
  return !nonzero_dropped;
}

// Shifts both operands to the smaller exponent so their digit strings line up.
void align(std::string& a, int64_t ea, std::string& b, int64_t eb, int64_t& e) {
  e = std::min(ea, eb);
  if (a != "0") a += std::string(static_cast<size_t>(ea - e), '0');
  if (b != "0") b += std::string(static_cast<size_t>(eb - e), '0');
}

int cmp_decimal(bool an, const std::string& ad, int64_t ae, bool bn, const std::string& bd, int64_t be) {
  bool az = ad == "0", bz = bd == "0";
  int as = az ? 0 : (an ? -1 : 1), bs = bz ? 0 : (bn ? -1 : 1);
  if (as != bs) return as < bs ? -1 : 1;
  if (as == 0) return 0;
  int mag;
  int64_t oa = static_cast<int64_t>(ad.size()) + ae, ob = static_cast<int64_t>(bd.size()) + be;
  if (oa != ob) {
    mag = oa < ob ? -1 : 1;
  } else {
    std::string x = ad, y = bd;
    int64_t e;
    align(x, ae, y, be, e);
    mag = cmp_mag(x, y);
  }
  return as > 0 ? mag : -mag;
}

// Integer value of digits*10^exp when exact, else nullopt.
std::optional<std::string> as_integer(const std::string& digits, int64_t exp) {
  if (digits == "0") return std::string("0");
  if (exp >= 0) return digits + std::string(static_cast<size_t>(exp), '0');
  auto n = static_cast<size_t>(-exp);
  if (n >= digits.size()) return std::nullopt;
  if (digits.substr(digits.size() - n).find_first_not_of('0') != std::string::npos) return std::nullopt;
  return digits.substr(0, digits.size() - n);
}

struct Parsed {
  bool positive = true;
  std::string value, num, denom, suffix;
};

// parseQuantityString, step for step.
std::optional<Parsed> parse_quantity_string(std::string_view str) {
  Parsed p;
  size_t pos = 0, end = str.size();
  if (pos < end) {
    if (str[0] == '-') {
      p.positive = false;
      ++pos;
    } else if (str[0] == '+') {
      ++pos;
    }
  }
  for (size_t i = pos;; ++i) {  // leading zeroes
    if (i >= end) {
      p.num = "0";
      p.value = p.num;
      return p;
    }
    if (str[i] != '0') break;
    ++pos;
  }
  for (size_t i = pos;; ++i) {  // integer part
    if (i >= end) {
      p.num = std::string(str.substr(pos));
      p.value = std::string(str);
      return p;
    }
    if (!is_digit(str[i])) {
      p.num = std::string(str.substr(pos, i - pos));
      pos = i;
      break;
    }
  }
  if (p.num.empty()) p.num = "0";
  if (pos < end && str[pos] == '.') {
    ++pos;
    for (size_t i = pos;; ++i) {
      if (i >= end) {
        p.denom = std::string(str.substr(pos));
        p.value = std::string(str);
        return p;
      }
      if (!is_digit(str[i])) {
        p.denom = std::string(str.substr(pos, i - pos));
        pos = i;
        break;
      }
    }
  }
  p.value = std::string(str.substr(0, pos));
  size_t suffix_start = pos;
  for (size_t i = pos;; ++i) {
    if (i >= end) {
      p.suffix = std::string(str.substr(suffix_start));
      return p;
    }
    if (std::string_view("eEinumkKMGTP").find(str[i]) == std::string_view::npos) {
      pos = i;
      break;
    }
  }
  if (pos < end && (str[pos] == '-' || str[pos] == '+')) ++pos;
  for (size_t i = pos;; ++i) {
    if (i >= end) {
      p.suffix = std::string(str.substr(suffix_start));
      return p;
    }
    if (!is_digit(str[i])) break;
  }
  return std::nullopt;
}

struct Suffix {
  int base;
  int64_t exponent;
  Quantity::Format format;
};

std::optional<Suffix> interpret_suffix(std::string_view s) {
  using F = Quantity::Format;
  static const std::pair<std::string_view, int> kDec[] = {{"n", -9}, {"u", -6}, {"m", -3}, {"", 0},  {"k", 3},
                                                          {"M", 6},  {"G", 9},  {"T", 12}, {"P", 15}, {"E", 18}};
  static const std::pair<std::string_view, int> kBin[] = {{"Ki", 10}, {"Mi", 20}, {"Gi", 30},
                                                          {"Ti", 40}, {"Pi", 50}, {"Ei", 60}};
  for (auto [k, e] : kDec) {
    if (s == k) return Suffix{10, e, F::DecimalSI};
  }
  for (auto [k, e] : kBin) {
    if (s == k) return Suffix{2, e, F::BinarySI};
  }
  if (s.size() > 1 && (s[0] == 'e' || s[0] == 'E')) {
    auto parsed = gofmt::parse_int64(s.substr(1));
    if (!parsed) return std::nullopt;
    return Suffix{10, static_cast<int32_t>(*parsed), F::DecimalExponent};  // int32 truncation as upstream
  }
  return std::nullopt;
}

std::string_view decimal_si_suffix(int64_t exp) {
  switch (exp) {
    case -9: return "n";
    case -6: return "u";
    case -3: return "m";
    case 3: return "k";
    case 6: return "M";
    case 9: return "G";
    case 12: return "T";
    case 15: return "P";
    case 18: return "E";
    default: return "";  // upstream ignores a missing suffix
  }
}

std::string_view binary_si_suffix(int times) {
  static const std::string_view kBin[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  return times >= 0 && times <= 6 ? kBin[times] : "";
}

// int64Multiply overflow check for the fast path.
bool mul_fits(int64_t a, int64_t b) {
  if (a == 0 || b == 0 || a == 1 || b == 1) return true;
  __int128 c = static_cast<__int128>(a) * b;
  return c <= std::numeric_limits<int64_t>::max() && c >= std::numeric_limits<int64_t>::min();
}

}  // namespace

Result<Quantity> Quantity::parse(std::string_view str) {
  using R = Result<Quantity>;
  if (str.empty()) return R::failure(kErrFormatWrong);
  Quantity q;
  if (str == "0") {
    q.cached_ = "0";
    return q;
  }
  auto p = parse_quantity_string(str);
  if (!p) return R::failure(kErrFormatWrong);
  auto suf = interpret_suffix(p->suffix);
  if (!suf) return R::failure(kErrSuffix);

  // Upstream's int64 fast path decides whether the input text is kept verbatim.
  int64_t precision = 0, scale = 0, mantissa = 1;
  if (suf->format == Format::BinarySI) {
    if (suf->exponent >= 0 && p->denom.empty()) {
      mantissa = int64_t{1} << suf->exponent;
      precision = 15 - static_cast<int64_t>(p->num.size()) - suf->exponent * 3 / 10 - 1;
    } else {
      precision = -1;
    }
  } else {
    scale = suf->exponent;
    precision = 18 - static_cast<int64_t>(p->num.size() + p->denom.size());
  }
  bool fast = false;
  if (precision >= 0) {
    scale -= static_cast<int64_t>(p->denom.size());
    if (scale >= -9) {
      std::string shifted = p->num + p->denom;
      auto value = gofmt::parse_int64(shifted);
      if (!value) return R::failure(kErrNumeric);
      if (mul_fits(*value, mantissa)) {
        fast = true;
        bool keep = suf->format == Format::BinarySI
                        ? (suf->exponent % 10 == 0 && (*value & 0x07) != 0)
                        : (scale % 3 == 0 && !(shifted.size() >= 3 && shifted.ends_with("000")) && shifted[0] != '0');
        if (keep) q.cached_ = std::string(str);
      }
    }
  }
  if (!fast && std::none_of(p->value.begin(), p->value.end(), is_digit)) return R::failure(kErrNumeric);

  q.neg_ = !p->positive;
  q.format_ = suf->format;
  q.digits_ = strip_leading(p->num + p->denom);
  q.exp_ = -static_cast<int64_t>(p->denom.size());
  if (suf->base == 10) {
    q.exp_ += suf->exponent;
  } else {
    for (int64_t e = suf->exponent; e > 0; e -= 10) q.digits_ = mul_small(q.digits_, 1u << std::min<int64_t>(e, 10));
  }
  if (fast) {
    if (q.is_zero()) q.neg_ = false;
    return q;
  }
  if (!q.is_zero()) round_up_mag(q.digits_, q.exp_, -9);
  if (q.format_ == Format::BinarySI) {
    if (cmp_decimal(false, q.digits_, q.exp_, false, kMaxInt64, 0) > 0) {
      q.digits_ = kMaxInt64;
      q.exp_ = 0;
    }
    if (!q.is_zero() && cmp_decimal(false, q.digits_, q.exp_, false, "1", 0) < 0) q.format_ = Format::DecimalSI;
  }
  if (q.is_zero()) q.neg_ = false;
  return q;
}

Result<Quantity> Quantity::from_json(const nlohmann::ordered_json& v) {
  if (v.is_null()) return Quantity();
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    auto b = s.find_first_not_of(" \t\r\n\v\f");
    auto e = s.find_last_not_of(" \t\r\n\v\f");
    return parse(b == std::string::npos ? "" : std::string_view(s).substr(b, e - b + 1));
  }
  if (v.is_number()) return parse(v.dump());
  return Result<Quantity>::failure(kErrFormatWrong);
}

Quantity Quantity::from_int(int64_t value, Format format) { return from_decimal(value, 0, format); }

Quantity Quantity::from_milli(int64_t milli, Format format) { return from_decimal(milli, -3, format); }

Quantity Quantity::from_scaled(int64_t value, int scale) { return from_decimal(value, scale, Format::DecimalSI); }

Quantity Quantity::from_decimal(int64_t value, int exp, Format format) {
  Quantity q;
  q.neg_ = value < 0;
  uint64_t mag = value < 0 ? uint64_t{0} - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  q.digits_ = std::to_string(mag);
  q.exp_ = exp;
  q.format_ = format;
  if (q.is_zero()) q.neg_ = false;
  return q;
}

std::string Quantity::to_string() const {
  if (!cached_.empty()) return cached_;
  if (is_zero()) return "0";
  std::string sign = neg_ ? "-" : "";
  Format f = format_;
  std::optional<std::string> integer;
  if (f == Format::BinarySI) {
    if (cmp_decimal(false, digits_, exp_, false, "1024", 0) < 0) {
      f = Format::DecimalSI;
    } else if (!(integer = as_integer(digits_, exp_))) {
      f = Format::DecimalSI;
    }
  }
  if (f == Format::BinarySI) {
    std::string v = *integer;
    int times = 0;
    while (true) {
      uint32_t rem;
      std::string q = divmod_small(v, 1024, rem);
      if (rem != 0 || v == "0") break;
      v = q;
      ++times;
    }
    return sign + v + std::string(binary_si_suffix(times));
  }
  std::string d = digits_;
  int64_t e = exp_;
  while (d.size() > 1 && d.back() == '0') {
    d.pop_back();
    ++e;
  }
  while (e % 3 != 0) {
    d += '0';
    --e;
  }
  if (f == Format::DecimalExponent) return sign + d + (e == 0 ? "" : "e" + std::to_string(e));
  return sign + d + std::string(decimal_si_suffix(e));
}

nlohmann::ordered_json Quantity::to_json() const { return to_string(); }

int Quantity::cmp(const Quantity& o) const { return cmp_decimal(neg_, digits_, exp_, o.neg_, o.digits_, o.exp_); }

int Quantity::cmp_int64(int64_t v) const { return cmp(from_scaled(v, 0)); }

int64_t Quantity::scaled_value(int scale) const {
  std::string d = digits_;
  int64_t e = exp_ - scale;
  round_up_mag(d, e, 0);
  if (e > 0) {
    if (d == "0") return 0;
    if (static_cast<int64_t>(d.size()) + e > 19) return 0;
    d += std::string(static_cast<size_t>(e), '0');
  }
  if (cmp_mag(d, neg_ ? "9223372036854775808" : kMaxInt64) > 0) return 0;
  uint64_t mag = std::strtoull(d.c_str(), nullptr, 10);
  return neg_ ? static_cast<int64_t>(uint64_t{0} - mag) : static_cast<int64_t>(mag);
}

double Quantity::as_approximate_float64() const {
  std::string s = (neg_ ? "-" : "") + digits_ + "e" + std::to_string(exp_);
  return std::strtod(s.c_str(), nullptr);
}

void Quantity::add(const Quantity& y) {
  cached_.clear();
  if (is_zero()) format_ = y.format_;
  if (y.is_zero()) return;
  std::string a = digits_, b = y.digits_;
  int64_t e;
  align(a, exp_, b, y.exp_, e);
  if (neg_ == y.neg_) {
    digits_ = add_mag(a, b);
  } else if (cmp_mag(a, b) >= 0) {
    digits_ = sub_mag(a, b);
  } else {
    digits_ = sub_mag(b, a);
    neg_ = y.neg_;
  }
  exp_ = e;
  if (is_zero()) neg_ = false;
}

void Quantity::sub(const Quantity& y) {
  Quantity n = y;
  n.neg();
  Format keep = format_;
  bool was_zero = is_zero();
  add(n);
  format_ = was_zero ? y.format_ : keep;
}

void Quantity::neg() {
  cached_.clear();
  if (!is_zero()) neg_ = !neg_;
}

bool Quantity::round_up(int scale) {
  if (exp_ >= scale) return true;
  cached_.clear();
  bool exact = round_up_mag(digits_, exp_, scale);
  if (is_zero()) neg_ = false;
  return exact;
}

}  // namespace kapi::machinery
