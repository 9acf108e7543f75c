#include "pkg/http/reader.h"

#include <algorithm>
#include <cstring>

namespace kapi::http {

bool Reader::fill() {
  if (pos_ == end_) {
    pos_ = end_ = 0;
  } else if (pos_ > 0 && cap_ - end_ < kBlock / 4) {
    std::memmove(buf_.get(), buf_.get() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (cap_ - end_ < kBlock / 4) {  // a head longer than the buffer: grow it
    std::unique_ptr<char[]> bigger(new char[cap_ + kBlock]);
    if (end_ > pos_) std::memcpy(bigger.get(), buf_.get() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
    buf_ = std::move(bigger);
    cap_ += kBlock;
  }
  size_t n = t_.read(buf_.get() + end_, cap_ - end_);
  end_ += n;
  return n > 0;
}

bool Reader::read_exact(size_t n, std::string* out) {
  size_t from_buf = std::min(n, end_ - pos_);
  if (out) out->append(buf_.get() + pos_, from_buf);
  pos_ += from_buf;
  n -= from_buf;
  if (n == 0) return true;
  if (!out) {
    while (n > 0) {
      if (!fill()) return false;
      size_t take = std::min(n, end_ - pos_);
      pos_ += take;
      n -= take;
    }
    return true;
  }
  // Large bodies go straight into their string, not through the buffer.
  size_t at = out->size();
  out->resize(at + n);
  while (n > 0) {
    size_t got = t_.read(out->data() + at, n);
    if (got == 0) {
      out->resize(at);
      return false;
    }
    at += got;
    n -= got;
  }
  return true;
}

bool Reader::read_line(size_t max, std::string* line) {
  size_t scanned = 0;
  for (;;) {
    std::string_view b = buffered();
    size_t nl = b.find('\n', scanned);
    if (nl != std::string_view::npos) {
      if (nl > max + 1) return false;
      std::string_view l = b.substr(0, nl);
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      line->assign(l);
      consume(nl + 1);
      return true;
    }
    if (b.size() > max + 1) return false;
    scanned = b.size();
    if (!fill()) return false;
  }
}

BodyResult read_sized_body(Reader& r, size_t length, size_t max, std::string* body) {
  if (length > max) return r.read_exact(length, nullptr) ? BodyResult::kTooLarge : BodyResult::kEof;
  body->reserve(length);
  return r.read_exact(length, body) ? BodyResult::kOk : BodyResult::kEof;
}

BodyResult read_chunked_body(Reader& r, size_t max, std::string* body) {
  static constexpr size_t kMaxLine = 4096;
  std::string line;
  bool too_large = false;
  for (;;) {
    if (!r.read_line(kMaxLine, &line)) return BodyResult::kBad;
    std::string_view size_text = std::string_view(line).substr(0, line.find(';'));
    while (!size_text.empty() && (size_text.back() == ' ' || size_text.back() == '\t')) size_text.remove_suffix(1);
    if (size_text.empty() || size_text.size() > 15) return BodyResult::kBad;
    size_t size = 0;
    for (char c : size_text) {
      int d = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
      if (d < 0) return BodyResult::kBad;
      size = size * 16 + static_cast<size_t>(d);
    }
    if (size == 0) break;
    too_large = too_large || body->size() + size > max;
    if (!r.read_exact(size, too_large ? nullptr : body)) return BodyResult::kEof;
    if (!r.read_line(0, &line) || !line.empty()) return BodyResult::kBad;  // the CRLF after the data
  }
  // Trailer fields up to the blank line.
  do {
    if (!r.read_line(kMaxLine, &line)) return BodyResult::kBad;
  } while (!line.empty());
  if (too_large) {
    body->clear();
    return BodyResult::kTooLarge;
  }
  return BodyResult::kOk;
}

}  // namespace kapi::http
