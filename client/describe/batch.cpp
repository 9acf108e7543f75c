// JobDescriber and CronJobDescriber (describe.go describeJob, describeCronJob).
#include <nlohmann/json.hpp>

#include "client/describe/common.h"
#include "client/describe/containers.h"
#include "client/describe/describer.h"
#include "pkg/machinery/duration.h"

namespace kapi::client::describe {
namespace {

std::string cap_indexes(const std::string& indexes, size_t soft_limit) {
  if (indexes.empty()) return "<none>";
  size_t ix = soft_limit;
  for (; ix < indexes.size(); ++ix)
    if (indexes[ix] == ',') break;
  if (ix >= indexes.size()) return indexes;
  return indexes.substr(0, ix + 1) + "...";
}

std::string selector_line(const Json& selector) {
  auto s = selector_string(selector);
  return s;
}

void describe_job_template(const Json& tmpl, PrefixWriter& w) {
  const Json& spec = at(tmpl, "spec");
  if (has(spec, "selector"))
    w.write(kLevel0, "Selector:\t" + selector_line(at(spec, "selector")) + "\n");
  else
    w.write(kLevel0, "Selector:\t<unset>\n");
  w.write(kLevel0,
          "Parallelism:\t" +
              (has(spec, "parallelism") ? std::to_string(num(spec, "parallelism")) : "<unset>") +
              "\n");
  w.write(kLevel0,
          "Completions:\t" +
              (has(spec, "completions") ? std::to_string(num(spec, "completions")) : "<unset>") +
              "\n");
  if (has(spec, "activeDeadlineSeconds"))
    w.write(kLevel0, "Active Deadline Seconds:\t" +
                         std::to_string(num(spec, "activeDeadlineSeconds")) + "s\n");
  describe_pod_template(at(spec, "template"), w);
}

}  // namespace

Result<std::string> describe_job(Describe& d, const Json& job) {
  const Json& meta = at(job, "metadata");
  const Json& spec = at(job, "spec");
  const Json& status = at(job, "status");
  std::vector<Json> events;
  if (d.settings().show_events) events = d.events_for(job, "Job");
  TabbedWriter w;
  w.write(kLevel0, "Name:\t" + str(meta, "name") + "\n");
  w.write(kLevel0, "Namespace:\t" + str(meta, "namespace") + "\n");
  w.write(kLevel0, "Selector:\t" + selector_line(at(spec, "selector")) + "\n");
  print_labels_multiline(w, "Labels", at(meta, "labels"));
  print_annotations_multiline(w, "Annotations", at(meta, "annotations"));
  if (auto c = controlled_by(job); !c.empty()) w.write(kLevel0, "Controlled By:\t" + c + "\n");
  if (has(spec, "parallelism"))
    w.write(kLevel0, "Parallelism:\t" + std::to_string(num(spec, "parallelism")) + "\n");
  w.write(kLevel0,
          "Completions:\t" +
              (has(spec, "completions") ? std::to_string(num(spec, "completions")) : "<unset>") +
              "\n");
  if (has(spec, "completionMode"))
    w.write(kLevel0, "Completion Mode:\t" + str(spec, "completionMode") + "\n");
  if (has(spec, "suspend"))
    w.write(kLevel0,
            std::string("Suspend:\t") + (boolean(spec, "suspend") ? "true" : "false") + "\n");
  if (has(spec, "backoffLimit"))
    w.write(kLevel0, "Backoff Limit:\t" + std::to_string(num(spec, "backoffLimit")) + "\n");
  if (has(spec, "ttlSecondsAfterFinished"))
    w.write(kLevel0, "TTL Seconds After Finished:\t" +
                         std::to_string(num(spec, "ttlSecondsAfterFinished")) + "\n");
  if (has(status, "startTime"))
    w.write(kLevel0, "Start Time:\t" + rfc1123z(at(status, "startTime")) + "\n");
  if (has(status, "completionTime"))
    w.write(kLevel0, "Completed At:\t" + rfc1123z(at(status, "completionTime")) + "\n");
  if (has(status, "startTime") && has(status, "completionTime")) {
    auto a = machinery::parse_rfc3339(str(status, "startTime"));
    auto b = machinery::parse_rfc3339(str(status, "completionTime"));
    if (a.ok() && b.ok())
      w.write(kLevel0, "Duration:\t" + machinery::human_duration(*b - *a) + "\n");
  }
  if (has(spec, "activeDeadlineSeconds"))
    w.write(kLevel0, "Active Deadline Seconds:\t" +
                         std::to_string(num(spec, "activeDeadlineSeconds")) + "s\n");
  std::string counts = std::to_string(num(status, "active")) + " Active";
  if (has(status, "ready")) counts += " (" + std::to_string(num(status, "ready")) + " Ready)";
  counts += " / " + std::to_string(num(status, "succeeded")) + " Succeeded / " +
            std::to_string(num(status, "failed")) + " Failed";
  w.write(kLevel0, "Pods Statuses:\t" + counts + "\n");
  if (str(spec, "completionMode") == "Indexed")
    w.write(kLevel0,
            "Completed Indexes:\t" + cap_indexes(str(status, "completedIndexes"), 50) + "\n");
  describe_pod_template(at(spec, "template"), w);
  if (d.settings().show_events) describe_events(events, w);
  return w.str();
}

Result<std::string> describe_cron_job(Describe& d, const Json& cj) {
  const Json& meta = at(cj, "metadata");
  const Json& spec = at(cj, "spec");
  const Json& status = at(cj, "status");
  std::vector<Json> events;
  if (d.settings().show_events) events = d.events_for(cj, "CronJob");
  TabbedWriter w;
  w.write(kLevel0, "Name:\t" + str(meta, "name") + "\n");
  w.write(kLevel0, "Namespace:\t" + str(meta, "namespace") + "\n");
  print_labels_multiline(w, "Labels", at(meta, "labels"));
  print_annotations_multiline(w, "Annotations", at(meta, "annotations"));
  w.write(kLevel0, "Schedule:\t" + str(spec, "schedule") + "\n");
  w.write(kLevel0, "Concurrency Policy:\t" + str(spec, "concurrencyPolicy") + "\n");
  w.write(kLevel0,
          std::string("Suspend:\t") +
              (has(spec, "suspend") ? (boolean(spec, "suspend") ? "True" : "False") : "<unset>") +
              "\n");
  auto opt = [&](const char* key, const char* suffix) {
    return has(spec, key) ? std::to_string(num(spec, key)) + suffix : std::string("<unset>");
  };
  w.write(kLevel0,
          "Successful Job History Limit:\t" + opt("successfulJobsHistoryLimit", "") + "\n");
  w.write(kLevel0, "Failed Job History Limit:\t" + opt("failedJobsHistoryLimit", "") + "\n");
  w.write(kLevel0, "Starting Deadline Seconds:\t" + opt("startingDeadlineSeconds", "s") + "\n");
  describe_job_template(at(spec, "jobTemplate"), w);
  if (has(status, "lastScheduleTime"))
    w.write(kLevel0, "Last Schedule Time:\t" + rfc1123z(at(status, "lastScheduleTime")) + "\n");
  else
    w.write(kLevel0, "Last Schedule Time:\t<unset>\n");
  w.write(kLevel0, "Active Jobs:\t");
  if (size_of(at(status, "active")) == 0) {
    w.write_line("<none>");
  } else {
    std::vector<std::string> names;
    for (const auto& j : items(at(status, "active"))) names.push_back(str(j, "name"));
    w.write(kLevel0, join(names, ", "));
    w.write_line("");
  }
  if (d.settings().show_events) describe_events(events, w);
  return w.str();
}

}  // namespace kapi::client::describe
