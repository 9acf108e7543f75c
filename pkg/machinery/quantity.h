#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "pkg/machinery/result.h"

namespace kapi::machinery {

// resource.Quantity (apimachinery pkg/api/resource): parsing, canonical String() and
// arithmetic. Values are exact decimals (digits x 10^exp), rounded up to nano units on
// parse as upstream does.
class Quantity {
 public:
  enum class Format { DecimalExponent, BinarySI, DecimalSI };

  Quantity() = default;  // zero, DecimalSI
  // ParseQuantity; errors: "quantities must match the regular expression '...'",
  // "unable to parse quantity's suffix", "unable to parse numeric part of quantity".
  static Result<Quantity> parse(std::string_view s);
  // UnmarshalJSON: a string (trimmed) or a bare number; null is zero.
  static Result<Quantity> from_json(const nlohmann::ordered_json& v);
  static Quantity from_int(int64_t value, Format format = Format::DecimalSI);        // NewQuantity
  static Quantity from_milli(int64_t milli, Format format = Format::DecimalSI);      // NewMilliQuantity
  static Quantity from_scaled(int64_t value, int scale);                            // NewScaledQuantity
  // value * 10^exp in the given format (upstream's inf.Dec-backed quantities).
  static Quantity from_decimal(int64_t value, int exp, Format format);

  // Canonical String() (or the parsed text when upstream keeps it verbatim).
  std::string to_string() const;
  nlohmann::ordered_json to_json() const;
  Format format() const { return format_; }

  int cmp(const Quantity& other) const;
  int cmp_int64(int64_t v) const;
  bool operator==(const Quantity& o) const { return cmp(o) == 0; }
  bool operator<(const Quantity& o) const { return cmp(o) < 0; }
  bool is_zero() const { return digits_ == "0"; }
  int sign() const { return is_zero() ? 0 : (neg_ ? -1 : 1); }

  // Value()/MilliValue()/ScaledValue(scale): rounded away from zero; 0 when out of int64 range.
  int64_t value() const { return scaled_value(0); }
  int64_t milli_value() const { return scaled_value(-3); }
  int64_t scaled_value(int scale) const;
  double as_approximate_float64() const;

  void add(const Quantity& y);
  void sub(const Quantity& y);
  void neg();
  // RoundUp(scale): round away from zero to a multiple of 10^scale; true when exact.
  bool round_up(int scale);

 private:
  bool neg_ = false;
  std::string digits_ = "0";  // magnitude, no leading zeros
  int64_t exp_ = 0;           // value = digits_ * 10^exp_
  Format format_ = Format::DecimalSI;
  std::string cached_;  // verbatim input kept by upstream's fast path
};

}  // namespace kapi::machinery
