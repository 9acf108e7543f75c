#pragma once
// What the mutating commands share on the way out: the write query (fieldManager,
// fieldValidation), the last-applied annotation, POSTing an object, the "kind/name verb" lines
// and the aggregate error of a streaming visit.
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "client/cmd/cmd_util.h"
#include "client/cmd/object_reader.h"
#include "client/rest_client.h"

namespace kapi::machinery {
class PatchSchema;
}

namespace kapi::client {

inline constexpr const char* kLastApplied = "kubectl.kubernetes.io/last-applied-configuration";

// ?[dryRun=All&]fieldManager=...&fieldValidation=... from --dry-run (as resolved),
// --field-manager (unless `field_manager` overrides it) and --validate.
std::string write_query(const FlagSet& f, DryRun dry_run = DryRun::kNone, const std::string& field_manager = "");

// The strategic-merge-patch schema of a built-in kind; nullptr for others (CRDs).
const machinery::PatchSchema* patch_schema_for(const RestMapping& m);

// metadata.annotations of `obj`, or {}.
nlohmann::ordered_json annotations_of(const nlohmann::ordered_json& obj);

// util.GetModifiedConfiguration(obj, annotate): the object without (annotate=false) or with
// (annotate=true) its new last-applied annotation, encoded as json.Encoder does (with "\n").
// With annotate the object keeps the annotation.
std::string modified_configuration(nlohmann::ordered_json& obj, bool annotate);

// The JSON object of a response body.
Result<nlohmann::ordered_json> parse_object(const HttpResponse& r);

// POSTs an object with `query` (write_query); the answer, or nullopt with the error (kubectl's
// `error when creating "FILE": ...` form) added to errs.
std::optional<HttpResponse> create_object(Session& s, const std::string& query, const ObjectInfo& info,
                                          std::vector<CmdError>& errs);

// "deployment.apps/web configured\n".
std::string name_line(const ObjectInfo& i, const std::string& op);

// The error of a streaming visit (create, delete): the per-object errors, then the decoding and
// mapping errors as one aggregate ("[a, b]" when there are several). With `flatten`
// (delete --ignore-not-found filters through utilerrors.FilterOut) every error gets its own
// line and none the "error: " prefix.
int report_visit_errors(std::string& out, std::vector<CmdError> errs, const std::vector<CmdError>& read_errs,
                        bool flatten);

}  // namespace kapi::client
