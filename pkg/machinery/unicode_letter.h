#pragma once
// Go's unicode.IsLetter (categories Lu, Ll, Lt, Lm, Lo) and unicode.IsDigit (Nd), for orderings
// that must match Go's.
#include <cstdint>

namespace kapi::machinery {

bool is_unicode_letter(uint32_t code_point);
bool is_unicode_digit(uint32_t code_point);

}  // namespace kapi::machinery
