// `kapi edit (TYPE NAME | TYPE/NAME | TYPE | -f FILE)` (kubectl pkg/cmd/edit, cmd/util/editor): the
// objects are written (YAML or -o json, managed fields hidden, several as a v1 List) under
// kubectl's header comment to a temp file, the editor ($KUBE_EDITOR, $EDITOR, vi) runs on it,
// and each changed object is PATCHed (strategic merge for built-in kinds, JSON merge
// otherwise). Invalid edits and objects the server rejects as Invalid reopen the editor with the
// reasons in the header; other failures keep the file and say where it is.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "client/cmd/command.h"
#include "client/cmd/object_visitor.h"
#include "client/cmd/object_writer.h"
#include "client/cmd/print_flags.h"
#include "client/factory.h"
#include "client/printers/go_json.h"
#include "client/printers/object_printer.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"
#include "pkg/machinery/json_patch.h"
#include "pkg/machinery/strategic_patch.h"
#include "pkg/runtime/yaml.h"

extern char** environ;

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kHeader =
    "# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
    "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
    "# reopened with the relevant failures.\n"
    "#\n";

struct Reason {
  std::string head;
  std::vector<std::string> other;
};

// editResults: what one save produced.
struct Results {
  std::vector<Reason> reasons;
  std::vector<ObjectInfo> edit;  // objects rejected as Invalid, edited again
  int notfound = 0, retryable = 0;
  std::string file;
};

std::string hash_on_line_break(const std::string& s) {
  std::string r;
  for (char c : s) {
    r += c;
    if (c == '\n') r += "# ";
  }
  return r;
}

std::string header_text(const std::vector<Reason>& reasons) {
  std::string w = kHeader;
  for (const auto& r : reasons) {
    w += "# " + hash_on_line_break(r.head) + (r.other.empty() ? "\n" : ":\n");
    for (const auto& o : r.other) w += "# * " + hash_on_line_break(o) + "\n";
    w += "#\n";
  }
  return w;
}

// cmdutil.ManualStrip: drops comment lines ('#', but not "#!").
std::string manual_strip(const std::string& file) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t nl = file.find('\n', pos);
    std::string line = file.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    size_t b = line.find_first_not_of(" \t\r\v\f");
    bool comment = b != std::string::npos && line[b] == '#' && line.compare(b, 2, "#!") != 0;
    if (!comment) {
      out += line;
      if (nl != std::string::npos) out += '\n';
    }
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return out;
}

// cmdutil.StripComments: the document as JSON when it parses (so layout does not count as a
// change), else the text without comment lines.
std::string strip_comments(const std::string& file) {
  std::vector<Json> docs;
  std::string err;
  if (runtime::yaml_to_json(file, docs, &err) && !docs.empty()) return docs[0].dump();
  return manual_strip(file);
}

std::string resource_string(const ObjectInfo& i) {
  const auto& r = i.mapping.resource;
  return r.group.empty() ? r.name : r.name + "." + r.group;
}

// editResults.addError: the line printed now; Invalid objects are queued for another round.
std::string add_error(Results& res, const CmdError& err, ObjectInfo info) {
  std::string rs = resource_string(info), quoted = go_json_quote(info.name);
  if (err.kind == CmdError::Kind::kStatus && err.reason == "Invalid") {
    Reason reason{rs + " " + quoted + " was not valid", {}};
    for (const auto& [field, message] : err.causes) reason.other.push_back(field + ": " + message);
    res.reasons.push_back(std::move(reason));
    res.edit.push_back(std::move(info));
    return "error: " + rs + " " + quoted + " is invalid";
  }
  if (err.kind == CmdError::Kind::kStatus && err.reason == "NotFound") {
    ++res.notfound;
    return "error: " + rs + " " + quoted + " could not be found on the server";
  }
  ++res.retryable;
  return "error: " + rs + " " + quoted + " could not be patched: " + err.message;
}

// preservedFile: the error, after telling where the edited file was kept.
CmdError preserved(CmdError err, const std::string& path) {
  if (!path.empty() && ::access(path.c_str(), F_OK) == 0)
    write_stderr("A copy of your changes has been stored to " + go_json_quote(path) + "\n");
  return err;
}

// editor.NewDefaultEditor: KUBE_EDITOR, EDITOR or vi; split on spaces, or run by the shell when
// the command quotes or escapes anything.
std::vector<std::string> editor_args(bool& shell) {
  std::string editor;
  for (const char* name : {"KUBE_EDITOR", "EDITOR"}) {
    const char* v = std::getenv(name);
    if (v && *v) {
      editor = v;
      break;
    }
  }
  if (editor.empty()) editor = "vi";
  shell = false;
  if (editor.find(' ') == std::string::npos) return {editor};
  if (editor.find_first_of("\"'\\") == std::string::npos) {
    std::vector<std::string> parts;
    size_t pos = 0;
    while (true) {
      size_t sp = editor.find(' ', pos);
      parts.push_back(editor.substr(pos, sp == std::string::npos ? std::string::npos : sp - pos));
      if (sp == std::string::npos) break;
      pos = sp + 1;
    }
    return parts;
  }
  shell = true;
  const char* sh = std::getenv("SHELL");
  return {sh && *sh ? sh : "/bin/bash", "-c", editor};
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? " " : "") + v[i];
  return s;
}

// Editor.Launch on `path`.
std::optional<CmdError> launch_editor(const std::string& path) {
  bool shell = false;
  std::vector<std::string> args = editor_args(shell);
  std::string shown = join(args);
  if (shell)
    args.back() += " " + path;
  else
    args.push_back(path);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  if (posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0)
    return CmdError::msg("unable to launch the editor " + go_json_quote(shown));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return CmdError::msg("there was a problem with the editor " + go_json_quote(shown));
  return std::nullopt;
}

// LaunchTempFile: writes `text` to $TMPDIR/<prog>-edit-NNNN<ext>, runs the editor, reads it back.
std::optional<CmdError> edit_temp_file(const std::string& prefix, const std::string& ext, const std::string& text,
                                       std::string& edited, std::string& file) {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/" + prefix + "XXXXXX" + ext;
  int fd = ::mkstemps(tmpl.data(), static_cast<int>(ext.size()));
  if (fd < 0) return CmdError::msg("open " + tmpl + ": " + std::strerror(errno));
  file = tmpl;
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  ::close(fd);
  if (auto err = launch_editor(file)) return err;
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  edited = ss.str();
  return std::nullopt;
}

// The objects of the edited file (a List is flattened); an error message on a syntax error.
std::optional<std::string> parse_edited(const std::string& text, std::vector<Json>& objs) {
  std::vector<Json> docs;
  std::string err;
  if (!runtime::yaml_to_json(text, docs, &err)) return err;
  for (auto& d : docs) {
    if (d.is_null()) continue;
    if (!d.is_object()) return std::string("error unmarshaling JSON: json: cannot unmarshal into Object");
    if (d.value("kind", "") == "List" && d.contains("items") && d["items"].is_array()) {
      for (auto& item : d["items"]) objs.push_back(item);
    } else {
      objs.push_back(std::move(d));
    }
  }
  return std::nullopt;
}

// The schema check of the edited file (ValidateBytes): it must parse and name its kind.
std::optional<std::string> validate(const std::string& stripped) {
  std::vector<Json> docs;
  std::string err;
  if (!runtime::yaml_to_json(manual_strip(stripped), docs, &err)) {
    // ValidateBytes reports the YAML parser's own message.
    const std::string prefix = "error converting YAML to JSON: ";
    return err.rfind(prefix, 0) == 0 ? err.substr(prefix.size()) : err;
  }
  if (docs.empty() || !docs[0].is_object()) return std::string("Object 'Kind' is missing in '" + stripped + "'");
  if (docs[0].value("kind", "").empty()) return std::string("Object 'Kind' is missing in '" + docs[0].dump() + "'");
  return std::nullopt;
}

std::string meta_string(const Json& obj, const char* key) {
  if (!obj.is_object() || !obj.contains("metadata") || !obj["metadata"].is_object()) return "";
  const Json& v = obj["metadata"][key];
  return v.is_string() ? v.get<std::string>() : "";
}

bool same_json(const Json& a, const Json& b) { return nlohmann::json::parse(a.dump()) == nlohmann::json::parse(b.dump()); }

struct EditOptions {
  std::string format = "yaml";
  bool output_patch = false;
  bool save_config = false;
  std::string subresource;
};

// The edit's printer: -o json|yaml prints the object, else "kind/name <operation>".
std::optional<CmdError> print_result(Session& s, const std::string& operation, Json obj) {
  if (auto err = print_with_flags(s.env.flags, operation, std::move(obj), s.env.out,
                                  /*printer_per_object=*/true))
    return err;
  flush_stdout(s.env.out);
  return std::nullopt;
}

// visitToPatch for one edited object.
std::optional<CmdError> patch_edited(Session& s, const EditOptions& o, const std::vector<ObjectInfo>& originals,
                                     const std::map<std::string, Json>& managed, Json edited, Results& res) {
  std::string uid = meta_string(edited, "uid");
  const ObjectInfo* found = nullptr;
  for (const auto& i : originals)
    if (meta_string(*i.object, "uid") == uid) found = &i;
  if (!found) return CmdError::msg("no original object found for " + edited.dump());
  ObjectInfo restored;
  restored.mapping = found->mapping;
  restored.name = found->name;
  restored.namespace_ = found->namespace_;
  *restored.object = *found->object;
  const ObjectInfo* orig = &restored;
  if (auto m = managed.find(uid); m != managed.end()) {
    // restoreManagedFields: back into both sides, so the patch leaves them alone (and
    // --save-config records them, as kubectl does).
    (*restored.object)["metadata"]["managedFields"] = m->second;
    if (edited["metadata"].is_object()) edited["metadata"]["managedFields"] = m->second;
  }
  if (o.save_config) {
    // The annotation is refreshed from the edited object, as apply would record it.
    edited["metadata"]["annotations"][kLastApplied] = modified_configuration(edited, false);
  }
  ObjectInfo info;
  info.mapping = orig->mapping;
  info.name = orig->name;
  info.namespace_ = orig->namespace_;
  *info.object = edited;
  if (same_json(*orig->object, edited)) {
    return print_result(s, "skipped", edited);
  }
  const machinery::PatchSchema* schema = patch_schema_for(orig->mapping);
  auto patch = schema ? machinery::create_two_way_merge_patch(*orig->object, edited, schema)
                      : machinery::create_merge_patch(*orig->object, edited);
  if (!patch.ok()) return CmdError::msg(patch.error());
  // The preconditions: apiVersion, kind, metadata.name and managedFields stay.
  const Json& p = *patch;
  if (p.contains("apiVersion") || p.contains("kind") || p.contains("managedFields") ||
      (p.contains("metadata") && p["metadata"].is_object() && p["metadata"].contains("name")))
    return CmdError::msg("At least one of apiVersion, kind and name was changed");
  std::string patch_text = to_go_json(p);
  if (o.output_patch) {
    s.env.out += "Patch: " + patch_text + "\n";
    flush_stdout(s.env.out);
  }
  std::string path = ResourceBuilder::path_for(orig->mapping, orig->namespace_, orig->name);
  if (!o.subresource.empty()) path += "/" + o.subresource;
  auto r = s.client->send("PATCH", path + write_query(s.env.flags),
                          schema ? "application/strategic-merge-patch+json" : "application/merge-patch+json",
                          patch_text);
  if (!r.ok()) return r.error();
  if (r->status >= 400) {
    CmdError err = status_error_from_response(r->status, r->body, "patch", orig->mapping.resource.name, orig->name);
    write_stderr(add_error(res, err, std::move(info)) + "\n");
    return std::nullopt;
  }
  auto answer = parse_object(*r);
  if (!answer.ok()) return answer.error();
  return print_result(s, "edited", std::move(*answer));
}

// The text of the objects to edit: one object, or a v1 List of them.
Result<std::string> print_for_edit(const EditOptions& o, const std::vector<ObjectInfo>& infos) {
  Json obj;
  if (infos.size() == 1) {
    obj = *infos[0].object;
  } else {
    obj = Json{{"apiVersion", "v1"}, {"items", Json::array()}, {"kind", "List"}, {"metadata", Json::object()}};
    for (const auto& i : infos) obj["items"].push_back(*i.object);
  }
  ObjectPrintOptions po;
  po.format = o.format;
  return print_object(po, std::move(obj));
}

int run_edit_loop(Session& s, const EditOptions& o, std::vector<ObjectInfo> infos) {
  CommandEnv& env = s.env;
  std::string prefix = env.factory.program() + "-edit-", ext = o.format == "json" ? ".json" : ".yaml";
  Results results;
  std::string original, edited, edited_diff;
  bool contains_error = false;
  // The editor does not see managedFields; they are put back before the patch is computed.
  std::map<std::string, Json> managed;
  for (const auto& i : infos) {
    const Json& obj = *i.object;
    if (obj.contains("metadata") && obj["metadata"].is_object() && obj["metadata"].contains("managedFields"))
      managed[meta_string(obj, "uid")] = obj["metadata"]["managedFields"];
    strip_managed_fields(*i.object);
  }
  while (true) {
    if (infos.empty()) return report_error(env.out, CmdError::msg("edit cancelled, no objects found"));
    std::string buf = header_text(results.reasons);
    if (!contains_error) {
      auto text = print_for_edit(o, infos);
      if (!text.ok()) return report_error(env.out, preserved(text.error(), results.file));
      buf += *text;
      original = buf;
    } else {
      buf += manual_strip(edited);
    }
    std::string file;
    if (auto err = edit_temp_file(prefix, ext, buf, edited, file))
      return report_error(env.out, preserved(*err, results.file));
    if (contains_error && strip_comments(edited_diff) == strip_comments(edited))
      return report_error(env.out, preserved(CmdError::msg("Edit cancelled, no valid changes were saved."), file));
    edited_diff = edited;  // what the next round's "no valid changes" test compares against
    if (!results.file.empty() && results.file != file) ::unlink(results.file.c_str());
    std::vector<ObjectInfo> originals = std::move(infos);
    infos.clear();
    results = Results{};
    results.file = file;
    if (auto verr = validate(strip_comments(edited))) {
      contains_error = true;
      std::string rs = resource_string(originals[0]), quoted = go_json_quote(originals[0].name);
      results.reasons.push_back(
          {rs + " " + quoted + " was not valid",
           {"<nil>: Invalid value: \"The edited file failed validation\": " + *verr}});
      write_stderr("error: " + rs + " " + quoted + " is invalid\n");
      infos = std::move(originals);
      continue;
    }
    if (strip_comments(original) == strip_comments(edited)) {
      ::unlink(file.c_str());
      write_stderr("Edit cancelled, no changes made.\n");
      return 0;
    }
    if (manual_strip(edited).find_first_not_of(" \t\r\n") == std::string::npos) {
      ::unlink(file.c_str());
      write_stderr("Edit cancelled, saved file was empty.\n");
      return 0;
    }
    std::vector<Json> objs;
    if (auto perr = parse_edited(edited, objs)) {
      contains_error = true;
      results.reasons.push_back({"The edited file had a syntax error: " + *perr, {}});
      infos = std::move(originals);
      continue;
    }
    contains_error = false;
    for (auto& obj : objs)
      if (auto err = patch_edited(s, o, originals, managed, std::move(obj), results))
        return report_error(env.out, preserved(*err, results.file));
    if (results.retryable > 0) {
      write_stderr("You can run `" + env.factory.program() + " replace -f " + file +
                   "` to try this update again.\n");
      return report_error(env.out, CmdError::exit());
    }
    if (results.notfound > 0) {
      write_stderr("The edits you made on deleted resources have been saved to " + go_json_quote(file) + "\n");
      return report_error(env.out, CmdError::exit());
    }
    if (results.edit.empty()) {
      ::unlink(file.c_str());
      return 0;
    }
    // The rejected objects are edited again from what the user saved.
    contains_error = true;
    infos = std::move(results.edit);
    results.edit.clear();
  }
}

}  // namespace

void add_edit_flags(FlagSet& f) {
  add_file_flags(f);
  f.add_string("output", 'o', "");
  f.add_string("template", 0, "");
  f.add_bool("allow-missing-template-keys", 0, true);
  f.add_bool("show-managed-fields", 0, false);
  f.add_string("field-manager", 0, "kubectl-edit");
  f.add_bool("output-patch", 0, false);
  f.add_bool("save-config", 0, false);
  f.add_string("subresource", 0, "");
  f.add_string("validate", 0, "strict");
  f.add_bool("windows-line-endings", 0, false);
}

int run_edit(CommandEnv& env) {
  EditOptions o;
  std::string out = env.flags.get_string("output");
  if (!out.empty() && out != "yaml" && out != "json")
    return report_error(env.out, CmdError::msg("unable to match a printer suitable for the output format " +
                                               go_json_quote(out) + ", allowed formats are: json,yaml"));
  if (out == "json") o.format = "json";
  o.output_patch = env.flags.get_bool("output-patch");
  o.save_config = env.flags.get_bool("save-config");
  o.subresource = env.flags.get_string("subresource");
  auto directive = validation_directive(env.flags);
  if (!directive.ok()) return report_error(env.out, directive.error());
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  VisitOptions vo;
  vo.args = env.args;
  vo.subresource = o.subresource;
  vo.latest = true;
  std::vector<CmdError> errs;
  std::vector<ObjectInfo> infos;
  auto fatal = visit_objects(
      s, vo,
      [&](ObjectInfo& info) -> std::optional<CmdError> {
        infos.push_back(std::move(info));
        return std::nullopt;
      },
      errs);
  if (fatal) return report_error(env.out, *fatal);
  if (!errs.empty()) return report_errors(env.out, errs);
  return run_edit_loop(s, o, std::move(infos));
}

}  // namespace kapi::client
