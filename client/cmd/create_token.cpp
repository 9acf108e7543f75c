// `create token SERVICE_ACCOUNT_NAME [--audience=A] [--duration=D] [--bound-object-kind=K
// --bound-object-name=N [--bound-object-uid=U]]` (kubectl pkg/cmd/create/create_token.go): a
// TokenRequest POSTed to the serviceaccounts/token subresource; prints the token (with a newline
// only on a terminal) or, with -o, the TokenRequest.
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "client/cmd/generated_object.h"
#include "client/factory.h"
#include "pkg/machinery/duration.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

// boundObjectKinds, sorted as sets.List prints them.
const std::vector<std::pair<std::string, std::string>> kBoundKinds = {{"Node", "v1"}, {"Pod", "v1"}, {"Secret", "v1"}};

}  // namespace

void add_create_token_flags(FlagSet& f) {
  f.add_bool("allow-missing-template-keys", 0, true);
  f.add_string_array("audience", 0);
  f.add_string("bound-object-kind", 0, "");
  f.add_string("bound-object-name", 0, "");
  f.add_string("bound-object-uid", 0, "");
  f.add_duration("duration", "0s");
  f.add_string("output", 'o', "");
  f.add_bool("show-managed-fields", 0, false);
  f.add_string("template", 0, "");
}

int run_create_token(CommandEnv& env) {
  const FlagSet& f = env.flags;
  // Complete.
  int argc = f.args_len_at_dash() < 0 ? static_cast<int>(env.args.size()) : f.args_len_at_dash();
  if (argc != 1)
    return report_error(env.out, usage_error(env, "exactly one NAME is required, got " + std::to_string(argc)));
  std::string name = env.args[0];
  auto ns = env.factory.client_config().namespace_for_request();
  if (!ns.ok()) return report_error(env.out, ns.error());
  auto client = env.factory.rest_client();
  if (!client.ok()) return report_error(env.out, client.error());
  auto printer = print_choice(f);
  if (!printer.ok()) return report_error(env.out, printer.error());

  // Validate.
  if (name.empty()) return report_error(env.out, CmdError::msg("service account name is required"));
  if (ns->empty()) return report_error(env.out, CmdError::msg("--namespace is required"));
  auto duration = machinery::parse_go_duration(f.get_string("duration"));
  long long nanos = duration.ok() ? duration->count() : 0;
  if (nanos < 0) return report_error(env.out, CmdError::msg("--duration must be greater than or equal to 0"));
  if (nanos % 1000000000LL != 0)
    return report_error(env.out, CmdError::msg("--duration cannot be expressed in units less than seconds"));
  auto audiences = f.get_strings("audience");
  for (const auto& a : audiences)
    if (a.empty()) return report_error(env.out, CmdError::msg("--audience must not be an empty string"));
  std::string kind = f.get_string("bound-object-kind"), bound_name = f.get_string("bound-object-name"),
              bound_uid = f.get_string("bound-object-uid");
  std::string bound_version;
  if (kind.empty()) {
    if (!bound_name.empty())
      return report_error(env.out, CmdError::msg("--bound-object-name can only be set if --bound-object-kind is provided"));
    if (!bound_uid.empty())
      return report_error(env.out, CmdError::msg("--bound-object-uid can only be set if --bound-object-kind is provided"));
  } else {
    for (const auto& [k, v] : kBoundKinds)
      if (k == kind) bound_version = v;
    if (bound_version.empty())
      return report_error(env.out, CmdError::msg("supported --bound-object-kind values are Node, Pod, Secret"));
    if (bound_name.empty())
      return report_error(env.out, CmdError::msg("--bound-object-name is required if --bound-object-kind is provided"));
  }

  // Run.
  Json spec = Json::object();
  if (!audiences.empty()) spec["audiences"] = audiences;
  if (nanos > 0) spec["expirationSeconds"] = nanos / 1000000000LL;
  if (!kind.empty())
    spec["boundObjectRef"] = {{"kind", kind}, {"apiVersion", bound_version}, {"name", bound_name}, {"uid", bound_uid}};
  Json request = to_typed({{"apiVersion", "authentication.k8s.io/v1"}, {"kind", "TokenRequest"}, {"spec", spec}},
                          "authentication.k8s.io/v1", "TokenRequest");
  std::string path = "/api/v1/namespaces/" + *ns + "/serviceaccounts/" + name + "/token";
  auto r = (*client)->send("POST", path, "application/json", request.dump());
  if (!r.ok()) return report_error(env.out, CmdError::msg("failed to create token: " + message_for_error(r.error())));
  if (r->status >= 400) {
    CmdError e = status_error_from_response(r->status, r->body, "post", "serviceaccounts", name);
    return report_error(env.out, CmdError::msg("failed to create token: " + e.message));
  }
  auto response = Json::parse(r->body, nullptr, false);
  std::string token;
  if (response.is_object() && response.contains("status") && response["status"].is_object())
    token = response["status"].value("token", "");
  if (token.empty()) return report_error(env.out, CmdError::msg("failed to create token: no token in server response"));
  if (f.changed("output") && !f.get_string("output").empty()) {
    const GeneratedKind k{"authentication.k8s.io/v1", "TokenRequest", "serviceaccounts", true};
    if (auto err = print_generated(f, *printer, k, response, "created", DryRun::kNone, env.out))
      return report_error(env.out, *err);
    return 0;
  }
  env.out += token + (::isatty(1) ? "\n" : "");
  return 0;
}

}  // namespace kapi::client
