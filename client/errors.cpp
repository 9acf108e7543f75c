#include "client/errors.h"

#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

namespace kapi::client {
namespace {

std::string with_newline(std::string s) {
  if (!s.empty() && s.back() != '\n') s += '\n';
  return s;
}

// Default reason/message pairs of apierrors.NewGenericServerResponse.
void generic_reason(int code, std::string& reason, std::string& message) {
  switch (code) {
    case 409: reason = "Conflict"; message = "the server reported a conflict"; break;
    case 404: reason = "NotFound"; message = "the server could not find the requested resource"; break;
    case 400: reason = "BadRequest"; message = "the server rejected our request for an unknown reason"; break;
    case 401: reason = "Unauthorized"; message = "the server has asked for the client to provide credentials"; break;
    case 403: reason = "Forbidden"; message = "the server does not allow access to the requested resource"; break;
    case 405: reason = "MethodNotAllowed"; message = "the server does not allow this method on the requested resource"; break;
    case 406: reason = "NotAcceptable"; message = "the server was unable to respond with a content type that the client supports"; break;
    case 410: reason = "Gone"; message = "the server has asked for the client to provide credentials"; break;
    case 413: reason = "RequestEntityTooLarge"; message = "the server has rejected the request because the request entity is too large"; break;
    case 415: reason = "UnsupportedMediaType"; message = "the server was unable to handle the media type requested"; break;
    case 422: reason = "Invalid"; message = "the server rejected our request due to an error in our request"; break;
    case 429: reason = "TooManyRequests"; message = "the server has received too many requests and has asked us to try again later"; break;
    case 500: reason = "InternalError"; message = "an error on the server has prevented the request from succeeding"; break;
    case 503: reason = "ServiceUnavailable"; message = "the server is currently unable to handle the request"; break;
    case 504: reason = "Timeout"; message = "the server was unable to return a response in the time allotted, but may still be processing the request"; break;
    default:
      reason = code >= 500 ? "InternalError" : "";
      message = "an error on the server (\"\") has prevented the request from succeeding";
  }
}

}  // namespace

// "E1125 16:32:27.918249   25116 ": severity, local time, process id.
static std::string klog_head(char severity) {
  struct timeval tv;
  gettimeofday(&tv, nullptr);
  struct tm tm;
  localtime_r(&tv.tv_sec, &tm);
  char head[64];
  std::snprintf(head, sizeof head, "%c%02d%02d %02d:%02d:%02d.%06ld %7d ", severity, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long>(tv.tv_usec), static_cast<int>(::getpid()));
  return head;
}

// A klog key=value: Go-quoted, or for a multi-line string klog's block form
// ("=<\n\tline\n\tline\n >", each line tab-indented, the closing " >" on its own line).
static std::string klog_value(const std::string& s) {
  if (s.find('\n') == std::string::npos) {
    std::string out = "=\"";
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\', out += c;
      else if (c == '\t') out += "\\t";
      else out += c;
    }
    return out + "\"";
  }
  std::string out = "=<\n";
  size_t start = 0, nl;
  while ((nl = s.find('\n', start)) != std::string::npos) {
    out += "\t" + s.substr(start, nl + 1 - start);
    start = nl + 1;
  }
  if (start == s.size()) return out + " >";
  return out + "\t" + s.substr(start) + "\n >";
}

std::string klog_error_line(const std::string& source, const std::string& message,
                            const std::string& err) {
  std::string quoted_message = "\"";  // the message is always Go-quoted
  for (char c : message) {
    if (c == '"' || c == '\\') quoted_message += '\\', quoted_message += c;
    else if (c == '\n') quoted_message += "\\n";
    else if (c == '\t') quoted_message += "\\t";
    else quoted_message += c;
  }
  quoted_message += "\"";
  return klog_head('E') + source + "] " + quoted_message + " err" + klog_value(err) + "\n";
}

std::string klog_warning_line(const std::string& source, const std::string& text) {
  return klog_head('W') + source + "] " + text + "\n";
}

std::string klog_line(char severity, const std::string& source, const std::string& text) {
  return klog_head(severity) + source + "] " + text + "\n";
}

std::string message_for_error(const CmdError& err) {
  switch (err.kind) {
    case CmdError::Kind::kStatus:
      if (err.reason == "Unauthorized") return "error: You must be logged in to the server (" + err.message + ")";
      if (!err.reason.empty()) return "Error from server (" + err.reason + "): " + err.message;
      return "Error from server: " + err.message;
    case CmdError::Kind::kConnRefused:
      return "The connection to the server " + err.message +
             " was refused - did you specify the right host or port?";
    case CmdError::Kind::kConnError:
      return "Unable to connect to the server: " + err.message;
    case CmdError::Kind::kConfigInvalid:
    case CmdError::Kind::kMessage:
    case CmdError::Kind::kVerbatim:
    case CmdError::Kind::kExit:
      return err.message;
  }
  return err.message;
}

std::string check_err_text(const CmdError& err) {
  switch (err.kind) {
    case CmdError::Kind::kExit: return "";
    case CmdError::Kind::kVerbatim: return with_newline(err.message);
    case CmdError::Kind::kConfigInvalid: return with_newline("Error in configuration: " + err.message);
    case CmdError::Kind::kStatus:
      if (err.reason == "Invalid") {
        std::string s = "The request is invalid";
        if (!err.has_details) {
          if (!err.message.empty()) s += ": " + err.message;
          return with_newline(s);
        }
        if (!err.details_kind.empty() || !err.details_name.empty()) {
          s = "The " + err.details_kind + " \"" + err.details_name + "\" is invalid";
        } else if (!err.message.empty() && err.causes.empty()) {
          s += ": " + err.message;
        }
        if (err.causes.empty()) return with_newline(s);
        auto cause_text = [](const std::pair<std::string, std::string>& c) {
          return c.first.empty() ? c.second : c.first + ": " + c.second;
        };
        if (err.causes.size() == 1) return with_newline(s + ": " + cause_text(err.causes[0]));
        std::string out = s + ": \n";
        for (const auto& c : err.causes) out += "* " + cause_text(c) + "\n";
        return out;
      }
      return with_newline(message_for_error(err));
    case CmdError::Kind::kConnRefused:
    case CmdError::Kind::kConnError:
      return with_newline(message_for_error(err));
    case CmdError::Kind::kMessage: {
      std::string m = err.message;
      if (m.rfind("error: ", 0) != 0) m = "error: " + m;
      return with_newline(m);
    }
  }
  return "";
}

std::string check_err_text(const std::vector<CmdError>& errs) {
  if (errs.empty()) return "";
  if (errs.size() == 1) return check_err_text(errs[0]);
  std::string out;
  for (const auto& e : errs) out += message_for_error(e) + "\n";
  return out;
}

CmdError status_error_from_response(int http_code, const std::string& body, const std::string& verb,
                                    const std::string& qualified_resource, const std::string& name) {
  CmdError e;
  e.kind = CmdError::Kind::kStatus;
  e.code = http_code;
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_object() && j.value("kind", "") == "Status" && j.contains("status")) {
    e.message = j.value("message", "");
    e.reason = j.value("reason", "");
    if (j.contains("code") && j["code"].is_number_integer()) e.code = j["code"].get<int>();
    if (j.contains("details") && j["details"].is_object()) {
      const auto& d = j["details"];
      e.has_details = true;
      e.details_kind = d.value("kind", "");
      e.details_name = d.value("name", "");
      if (d.contains("causes") && d["causes"].is_array())
        for (const auto& c : d["causes"])
          if (c.is_object()) e.causes.emplace_back(c.value("field", ""), c.value("message", ""));
    }
    if (e.message.empty() && e.reason.empty()) generic_reason(http_code, e.reason, e.message);
    return e;
  }
  // apierrors.NewGenericServerResponse
  std::string reason, message;
  generic_reason(http_code, reason, message);
  if (http_code >= 500 && http_code != 503 && http_code != 504 && !body.empty()) {
    std::string trimmed = body.size() > 1024 ? body.substr(0, 1024) : body;
    message = "an error on the server (\"" + trimmed + "\") has prevented the request from succeeding";
  }
  if (!qualified_resource.empty()) {
    message += " (" + verb + " " + qualified_resource + (name.empty() ? "" : " " + name) + ")";
  }
  e.reason = reason;
  e.message = message;
  return e;
}

CmdError unstructured_response_error(int http_code, const std::string& body, const std::string& content_type) {
  std::string server_message = "unknown";
  if (content_type.rfind("text/plain", 0) == 0) {
    std::string b = body.substr(0, 1024);
    size_t s = b.find_first_not_of(" \t\r\n"), e = b.find_last_not_of(" \t\r\n");
    server_message = s == std::string::npos ? "" : b.substr(s, e - s + 1);
  }
  CmdError err;
  err.kind = CmdError::Kind::kStatus;
  err.code = http_code;
  generic_reason(http_code, err.reason, err.message);
  if (http_code == 403) {
    err.message = server_message;
  } else if (http_code >= 500 && http_code != 503 && http_code != 504) {
    err.message = "an error on the server (" + nlohmann::json(server_message).dump() +
                  ") has prevented the request from succeeding";
  }
  return err;
}

}  // namespace kapi::client
