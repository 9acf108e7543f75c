#pragma once
// Client errors, classified the way kubectl's cmdutil.CheckErr classifies Go errors, and the one
// place that turns them into text and an exit code (cmd/util/helpers.go checkErr).
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace kapi::client {

struct CmdError {
  enum class Kind {
    kMessage,        // a plain Go error: printed as "error: <message>"
    kStatus,         // a Status from the server (apierrors.APIStatus)
    kConnRefused,    // *url.Error wrapping "connection refused"; message = host:port
    kConnError,      // other *url.Error; message = the inner error text
    kConfigInvalid,  // clientcmd configuration error: "Error in configuration: <message>"
    kVerbatim,       // already formatted text (usage errors, ...), printed as is
    kExit,           // cmdutil.ErrExit: nothing printed
  };
  Kind kind = Kind::kMessage;
  std::string message;
  // kStatus
  std::string reason;
  int code = 0;
  bool has_details = false;
  std::string details_kind, details_name;
  std::vector<std::pair<std::string, std::string>> causes;  // (field, message)
  int exit_code = 1;
  // kConnRefused / kConnError: the Go error text of the failed dial or request
  // ("dial tcp 127.0.0.1:1: connect: connection refused") and the request URL.
  std::string detail, url;

  static CmdError make(Kind kind, std::string m) {
    CmdError e;
    e.kind = kind;
    e.message = std::move(m);
    return e;
  }
  static CmdError msg(std::string m) { return make(Kind::kMessage, std::move(m)); }
  static CmdError verbatim(std::string m) { return make(Kind::kVerbatim, std::move(m)); }
  static CmdError config(std::string m) { return make(Kind::kConfigInvalid, std::move(m)); }
  static CmdError exit(int code = 1) {
    CmdError e = make(Kind::kExit, "");
    e.exit_code = code;
    return e;
  }
};

// Value-or-CmdError.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T v) : v_(std::in_place_index<0>, std::move(v)) {}  // NOLINT: implicit by design
  Result(CmdError e) : v_(std::in_place_index<1>, std::move(e)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }
  const CmdError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, CmdError> v_;
};

// kubectl's messageForError / StandardErrorMessage: "Error from server (NotFound): ...",
// "The connection to the server ... was refused ...", or the bare message.
std::string message_for_error(const CmdError& err);

// What checkErr prints for one error (ending in a newline, or empty), e.g.
// "error: the server doesn't have a resource type \"foos\"\n".
std::string check_err_text(const CmdError& err);

// checkErr for an aggregate: a single error is unwrapped; several print one message each.
std::string check_err_text(const std::vector<CmdError>& errs);

// A klog error line as kubectl writes it to stderr, e.g.
// E1125 16:32:27.918249   25116 memcache.go:265] "Unhandled Error" err="..."
std::string klog_error_line(const std::string& source, const std::string& message,
                            const std::string& err);
// A klog warning line (klog.Warning), e.g.
// W1125 19:43:27.276598   30246 helpers.go:703] --dry-run is deprecated ...
std::string klog_warning_line(const std::string& source, const std::string& text);
// A printf-style klog line of any severity ('E' for klog.Errorf, 'F' for klog.Fatalf).
std::string klog_line(char severity, const std::string& source, const std::string& text);

// Builds a kStatus error from a response body if it is a Status object; otherwise a generic
// error for the HTTP code as client-go would make it (verb/resource/name complete the message).
CmdError status_error_from_response(int http_code, const std::string& body,
                                    const std::string& verb = "get",
                                    const std::string& qualified_resource = "",
                                    const std::string& name = "");

// client-go's newUnstructuredResponseError: the error for a non-2xx answer whose body was not
// decoded (kubectl's discovery requests never decode a Status): the server message is the
// trimmed body of a text/plain answer, else "unknown"; 401 and most codes keep their generic
// text, 403 and 5xx carry the server message.
CmdError unstructured_response_error(int http_code, const std::string& body, const std::string& content_type);

}  // namespace kapi::client
