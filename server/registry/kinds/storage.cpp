// Volumes and storage: core/v1 PersistentVolumeClaim and PersistentVolume, storage.k8s.io/v1
// (StorageClass, CSIDriver, CSINode, CSIStorageCapacity, VolumeAttachment) and node.k8s.io/v1
// RuntimeClass (pkg/registry/{core,storage,node}, pkg/apis/{core,storage,node}/validation,
// printers.go).
#include <nlohmann/json.hpp>

#include <set>

#include <algorithm>
#include <chrono>

#include "pkg/machinery/duration.h"
#include "pkg/machinery/names.h"
#include "pkg/machinery/quantity.h"
#include "server/registry/json_access.h"
#include "server/registry/kinds/kinds.h"
#include "server/registry/kinds/pod_spec.h"

namespace kapi::server {
namespace {

using runtime::StatusCause;

std::string str(const Json& o, const char* k) { return str_at(o, k); }
std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}
std::string now_rfc3339() {
  return machinery::format_rfc3339(std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now()));
}
bool unset(const Json& o, const char* k) { return !o.contains(k) || o[k].is_null(); }

// helper.GetAccessModesAsString: the short names in a fixed order, each once.
std::string access_modes(const Json& modes) {
  std::set<std::string> have;
  for (const auto& m : modes)
    if (m.is_string()) have.insert(m.get<std::string>());
  std::string out;
  for (const auto& [mode, abbrev] : std::vector<std::pair<const char*, const char*>>{
           {"ReadWriteOnce", "RWO"}, {"ReadOnlyMany", "ROX"}, {"ReadWriteMany", "RWX"}, {"ReadWriteOncePod", "RWOP"}})
    if (have.count(mode)) out += (out.empty() ? "" : ",") + std::string(abbrev);
  return out;
}

// helper.GetPersistentVolume(Claim)Class: the beta annotation wins over storageClassName.
std::string storage_class_of(const Json& o) {
  const Json& ann = obj_at(o["metadata"], "annotations");
  if (ann.contains("volume.beta.kubernetes.io/storage-class"))
    return str(ann, "volume.beta.kubernetes.io/storage-class");
  return str(obj_at(o, "spec"), "storageClassName");
}

std::string storage_quantity(const Json& resources) {
  auto it = resources.find("storage");
  if (it == resources.end() || !it->is_string()) return "0";
  return it->get<std::string>();
}

void validate_access_modes(const Json& spec, std::vector<StatusCause>& out) {
  const Json& modes = arr_at(spec, "accessModes");
  if (modes.empty()) {
    out.push_back(runtime::field_required("spec.accessModes", "at least 1 access mode is required"));
    return;
  }
  bool rwop = false;
  for (const auto& m : modes) {
    std::string mode = m.is_string() ? m.get<std::string>() : "";
    if (mode == "ReadWriteOncePod") rwop = true;
    if (mode != "ReadWriteOnce" && mode != "ReadOnlyMany" && mode != "ReadWriteMany" && mode != "ReadWriteOncePod")
      out.push_back(runtime::field_unsupported("spec.accessModes", quote(mode),
                                               {"ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"}));
  }
  if (rwop && modes.size() > 1)
    out.push_back(runtime::field_forbidden("spec.accessModes", "may not use ReadWriteOncePod with other access modes"));
}

void validate_volume_mode(const Json& spec, std::vector<StatusCause>& out) {
  if (!spec.contains("volumeMode") || !spec["volumeMode"].is_string()) return;
  std::string m = spec["volumeMode"].get<std::string>();
  if (m != "Block" && m != "Filesystem")
    out.push_back(runtime::field_unsupported("spec.volumeMode", quote(m), {"Block", "Filesystem"}));
}

class PvcStrategy : public Strategy {
 public:
  // SetDefaults_PersistentVolumeClaim(Spec).
  void apply_defaults(Json& obj) const override {
    if (obj.contains("spec") && obj["spec"].is_object() && unset(obj["spec"], "volumeMode"))
      obj["spec"]["volumeMode"] = "Filesystem";
  }
  // PrepareForCreate resets status; reading it back defaults the phase.
  void prepare_create(Json& obj) const override { obj["status"] = {{"phase", "Pending"}}; }
  bool has_status() const override { return true; }
  std::vector<StatusCause> validate(const Json& obj) const override {
    std::vector<StatusCause> out;
    const Json& spec = obj_at(obj, "spec");
    validate_access_modes(spec, out);
    const Json& requests = obj_at(obj_at(spec, "resources"), "requests");
    if (!requests.contains("storage")) {
      out.push_back(runtime::field_required("spec.resources[storage]"));
    } else {
      auto q = machinery::Quantity::parse(str(requests, "storage"));
      if (q.ok() && q->sign() <= 0)
        out.push_back(runtime::field_invalid("spec.resources[storage]", quote(str(requests, "storage")), "must be greater than zero"));
    }
    validate_volume_mode(spec, out);
    return out;
  }
  std::vector<StatusCause> validate_update(const Json& obj, const Json& old) const override {
    auto out = validate(obj);
    // ValidatePersistentVolumeClaimUpdate: only requests and the attributes class may change.
    Json a = obj_at(obj, "spec"), b = obj_at(old, "spec");
    for (Json* s : {&a, &b}) {
      if (s->contains("resources") && (*s)["resources"].is_object()) (*s)["resources"].erase("requests");
      s->erase("volumeAttributesClassName");
    }
    // Binding a claim fills volumeName once.
    if (str(b, "volumeName").empty()) a.erase("volumeName"), b.erase("volumeName");
    if (a != b)
      out.push_back(runtime::field_forbidden("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
    return out;
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Status", "string", "", "phase represents the current phase of PersistentVolumeClaim.", 0},
            {"Volume", "string", "", "volumeName is the binding reference to the PersistentVolume backing this claim.", 0},
            {"Capacity", "string", "", "capacity represents the actual resources of the underlying volume.", 0},
            {"Access Modes", "string", "", "accessModes contains the actual access modes the volume backing the PVC has.", 0},
            {"StorageClass", "string", "", "StorageClass of the pvc", 0},
            {"VolumeAttributesClass", "string", "", "VolumeAttributesClass of the pvc", 0}, age_column(),
            {"VolumeMode", "string", "", "volumeMode defines what type of volume is required by the claim.", 1}};
  }
  // printPersistentVolumeClaim.
  Json row(const Json& o) const override {
    const Json& spec = obj_at(o, "spec");
    const Json& st = obj_at(o, "status");
    std::string phase = o["metadata"].contains("deletionTimestamp") ? "Terminating" : str(st, "phase");
    std::string volume = str(spec, "volumeName"), capacity, modes;
    if (!volume.empty()) {
      modes = access_modes(arr_at(st, "accessModes"));
      capacity = storage_quantity(obj_at(st, "capacity"));
    }
    std::string vac = spec.contains("volumeAttributesClassName") && spec["volumeAttributesClassName"].is_string()
                          ? spec["volumeAttributesClassName"].get<std::string>() : "<unset>";
    std::string mode = spec.contains("volumeMode") && spec["volumeMode"].is_string() ? spec["volumeMode"].get<std::string>() : "<unset>";
    return Json::array({o["metadata"].value("name", ""), phase, volume, capacity, modes, storage_class_of(o), vac,
                        age_cell(o), mode});
  }
};

// The volume sources a PersistentVolumeSpec may carry (exactly one).
const char* const kPvSources[] = {"gcePersistentDisk", "awsElasticBlockStore", "hostPath", "glusterfs", "nfs", "rbd",
                                  "iscsi", "cinder", "cephfs", "fc", "flocker", "flexVolume", "azureFile", "vsphereVolume",
                                  "quobyte", "azureDisk", "photonPersistentDisk", "portworxVolume", "scaleIO", "local",
                                  "storageos", "csi"};

class PvStrategy : public Strategy {
 public:
  // SetDefaults_PersistentVolume.
  void apply_defaults(Json& obj) const override {
    if (!obj.contains("spec") || !obj["spec"].is_object()) return;
    Json& spec = obj["spec"];
    if (str(spec, "persistentVolumeReclaimPolicy").empty()) spec["persistentVolumeReclaimPolicy"] = "Retain";
    if (unset(spec, "volumeMode")) spec["volumeMode"] = "Filesystem";
  }
  // PrepareForCreate: a new volume is Pending since now (PersistentVolumeLastPhaseTransitionTime, GA 1.31).
  void prepare_create(Json& obj) const override {
    obj["status"] = {{"phase", "Pending"}, {"lastPhaseTransitionTime", now_rfc3339()}};
  }
  bool has_status() const override { return true; }
  std::vector<StatusCause> validate(const Json& obj) const override {
    std::vector<StatusCause> out;
    const Json& spec = obj_at(obj, "spec");
    validate_access_modes(spec, out);
    if (obj_at(spec, "capacity").empty()) out.push_back(runtime::field_required("spec.capacity"));
    else if (!obj_at(spec, "capacity").contains("storage"))
      out.push_back(runtime::field_unsupported("spec.capacity", quote(obj_at(spec, "capacity").begin().key()), {"storage"}));
    int sources = 0;
    for (const char* s : kPvSources)
      if (spec.contains(s) && spec[s].is_object()) ++sources;
    if (sources == 0) out.push_back(runtime::field_required("spec", "must specify a volume type"));
    else if (sources > 1) out.push_back(runtime::field_forbidden("spec", "may not specify more than 1 volume type"));
    std::string policy = str(spec, "persistentVolumeReclaimPolicy");
    if (policy != "Delete" && policy != "Recycle" && policy != "Retain")
      out.push_back(runtime::field_unsupported("spec.persistentVolumeReclaimPolicy", quote(policy), {"Delete", "Recycle", "Retain"}));
    validate_volume_mode(spec, out);
    return out;
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Capacity", "string", "", "capacity is the description of the persistent volume's resources and capacity.", 0},
            {"Access Modes", "string", "", "accessModes contains all ways the volume can be mounted.", 0},
            {"Reclaim Policy", "string", "", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.", 0},
            {"Status", "string", "", "phase indicates if a volume is available, bound to a claim, or released by a claim.", 0},
            {"Claim", "string", "", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.", 0},
            {"StorageClass", "string", "", "StorageClass of the pv", 0},
            {"VolumeAttributesClass", "string", "", "VolumeAttributesClass of the pv", 0},
            {"Reason", "string", "", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.", 0},
            age_column(), {"VolumeMode", "string", "", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.", 1}};
  }
  // printPersistentVolume.
  Json row(const Json& o) const override {
    const Json& spec = obj_at(o, "spec");
    const Json& st = obj_at(o, "status");
    std::string claim;
    if (spec.contains("claimRef") && spec["claimRef"].is_object())
      claim = str(spec["claimRef"], "namespace") + "/" + str(spec["claimRef"], "name");
    std::string phase = o["metadata"].contains("deletionTimestamp") ? "Terminating" : str(st, "phase");
    std::string vac = spec.contains("volumeAttributesClassName") && spec["volumeAttributesClassName"].is_string()
                          ? spec["volumeAttributesClassName"].get<std::string>() : "<unset>";
    std::string mode = spec.contains("volumeMode") && spec["volumeMode"].is_string() ? spec["volumeMode"].get<std::string>() : "<unset>";
    return Json::array({o["metadata"].value("name", ""), storage_quantity(obj_at(spec, "capacity")),
                        access_modes(arr_at(spec, "accessModes")), str(spec, "persistentVolumeReclaimPolicy"), phase, claim,
                        storage_class_of(o), vac, str(st, "reason"), age_cell(o), mode});
  }
};

// storageutil.IsDefaultAnnotation.
bool is_default_class(const Json& o) {
  const Json& ann = obj_at(o["metadata"], "annotations");
  return str(ann, "storageclass.kubernetes.io/is-default-class") == "true" ||
         str(ann, "storageclass.beta.kubernetes.io/is-default-class") == "true";
}

class StorageClassStrategy : public Strategy {
 public:
  // SetDefaults_StorageClass.
  void apply_defaults(Json& obj) const override {
    if (unset(obj, "reclaimPolicy")) obj["reclaimPolicy"] = "Delete";
    if (unset(obj, "volumeBindingMode")) obj["volumeBindingMode"] = "Immediate";
  }
  std::vector<StatusCause> validate(const Json& obj) const override {
    std::vector<StatusCause> out;
    std::string prov = str(obj, "provisioner");
    if (prov.empty()) out.push_back(runtime::field_required("provisioner"));
    else {
      if (prov.size() > 63) out.push_back(runtime::field_too_long("provisioner", quote(prov), 63));
      for (const auto& e : machinery::is_qualified_name(lower(prov)))
        out.push_back(runtime::field_invalid("provisioner", quote(prov), e));
    }
    std::string policy = str(obj, "reclaimPolicy");
    if (policy != "Delete" && policy != "Retain")
      out.push_back(runtime::field_unsupported("reclaimPolicy", quote(policy), {"Delete", "Retain"}));
    std::string mode = str(obj, "volumeBindingMode");
    if (mode != "Immediate" && mode != "WaitForFirstConsumer")
      out.push_back(runtime::field_unsupported("volumeBindingMode", quote(mode), {"Immediate", "WaitForFirstConsumer"}));
    return out;
  }
  // ValidateStorageClassUpdate.
  std::vector<StatusCause> validate_update(const Json& obj, const Json& old) const override {
    auto out = validate(obj);
    if (obj_at(obj, "parameters") != obj_at(old, "parameters"))
      out.push_back(runtime::field_forbidden("parameters", "updates to parameters are forbidden."));
    if (str(obj, "provisioner") != str(old, "provisioner"))
      out.push_back(runtime::field_forbidden("provisioner", "updates to provisioner are forbidden."));
    if (str(obj, "reclaimPolicy") != str(old, "reclaimPolicy"))
      out.push_back(runtime::field_forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
    if (str(obj, "volumeBindingMode") != str(old, "volumeBindingMode"))
      out.push_back(runtime::field_invalid("volumeBindingMode", quote(str(obj, "volumeBindingMode")), "field is immutable"));
    return out;
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(),
            {"Provisioner", "string", "", "provisioner indicates the type of the provisioner.", 0},
            {"ReclaimPolicy", "string", "", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.", 0},
            {"VolumeBindingMode", "string", "", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.", 0},
            {"AllowVolumeExpansion", "string", "", "allowVolumeExpansion shows whether the storage class allow volume expand.", 0},
            age_column()};
  }
  // printStorageClass.
  Json row(const Json& o) const override {
    std::string name = o["metadata"].value("name", "");
    if (is_default_class(o)) name += " (default)";
    std::string policy = o.contains("reclaimPolicy") && o["reclaimPolicy"].is_string() ? o["reclaimPolicy"].get<std::string>() : "Delete";
    std::string mode = o.contains("volumeBindingMode") && o["volumeBindingMode"].is_string() ? o["volumeBindingMode"].get<std::string>() : "Immediate";
    bool expand = o.contains("allowVolumeExpansion") && o["allowVolumeExpansion"].is_boolean() && o["allowVolumeExpansion"].get<bool>();
    return Json::array({name, str(o, "provisioner"), policy, mode, expand, age_cell(o)});
  }
};

class CsiDriverStrategy : public Strategy {
 public:
  bool tracks_generation() const override { return true; }
  // SetDefaults_CSIDriverSpec.
  void apply_defaults(Json& obj) const override {
    if (!obj.contains("spec") || !obj["spec"].is_object()) obj["spec"] = Json::object();
    Json& spec = obj["spec"];
    if (unset(spec, "attachRequired")) spec["attachRequired"] = true;
    if (unset(spec, "podInfoOnMount")) spec["podInfoOnMount"] = false;
    if (unset(spec, "storageCapacity")) spec["storageCapacity"] = false;
    if (unset(spec, "fsGroupPolicy")) spec["fsGroupPolicy"] = "ReadWriteOnceWithFSType";
    if (unset(spec, "volumeLifecycleModes") || (spec["volumeLifecycleModes"].is_array() && spec["volumeLifecycleModes"].empty()))
      spec["volumeLifecycleModes"] = Json::array({"Persistent"});
    if (unset(spec, "requiresRepublish")) spec["requiresRepublish"] = false;
    if (unset(spec, "seLinuxMount")) spec["seLinuxMount"] = false;
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"AttachRequired", "boolean", "", "attachRequired indicates this CSI volume driver requires an attach operation.", 0},
            {"PodInfoOnMount", "boolean", "", "podInfoOnMount indicates this CSI volume driver requires additional pod information during mount operations.", 0},
            {"StorageCapacity", "boolean", "", "storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the storage capacity.", 0},
            {"TokenRequests", "string", "", "tokenRequests indicates the CSI driver needs pods' service account tokens.", 0},
            {"RequiresRepublish", "boolean", "", "requiresRepublish indicates the CSI driver wants NodePublishVolume being periodically called.", 0},
            {"Modes", "string", "", "volumeLifecycleModes defines what kind of volumes this CSI volume driver supports.", 0}, age_column()};
  }
  Json row(const Json& o) const override {
    const Json& spec = obj_at(o, "spec");
    auto flag = [&](const char* k, bool d) { return spec.contains(k) && spec[k].is_boolean() ? spec[k].get<bool>() : d; };
    std::string modes;
    for (const auto& m : arr_at(spec, "volumeLifecycleModes")) modes += (modes.empty() ? "" : ",") + m.get<std::string>();
    std::string tokens = "<unset>";
    if (spec.contains("tokenRequests") && spec["tokenRequests"].is_array()) {
      tokens.clear();
      for (const auto& t : spec["tokenRequests"]) tokens += (tokens.empty() ? "" : ",") + str(t, "audience");
    }
    return Json::array({o["metadata"].value("name", ""), flag("attachRequired", true), flag("podInfoOnMount", false),
                        flag("storageCapacity", false), tokens, flag("requiresRepublish", false),
                        modes.empty() ? "<none>" : modes, age_cell(o)});
  }
};

class CsiNodeStrategy : public Strategy {
 public:
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Drivers", "integer", "", "Drivers indicates the number of CSI drivers registered on the node", 0}, age_column()};
  }
  Json row(const Json& o) const override {
    return Json::array({o["metadata"].value("name", ""), arr_at(obj_at(o, "spec"), "drivers").size(), age_cell(o)});
  }
};

class CsiStorageCapacityStrategy : public Strategy {
 public:
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"StorageClassName", "string", "", "storageClassName represents the name of the StorageClass that the reported capacity applies to.", 0},
            {"Capacity", "string", "", "capacity is the value reported by the CSI driver in its GetCapacityResponse for a GetCapacityRequest with topology and parameters that match the previous fields.", 0}};
  }
  Json row(const Json& o) const override {
    std::string cap = o.contains("capacity") && o["capacity"].is_string() ? o["capacity"].get<std::string>() : "<unset>";
    return Json::array({o["metadata"].value("name", ""), str(o, "storageClassName"), cap});
  }
};

class VolumeAttachmentStrategy : public Strategy {
 public:
  void prepare_create(Json& obj) const override { obj.erase("status"); }
  bool has_status() const override { return true; }
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Attacher", "string", "name", "attacher indicates the name of the volume driver that MUST handle this request.", 0},
            {"PV", "string", "", "persistentVolumeName represents the name of the persistent volume to attach.", 0},
            {"Node", "string", "", "nodeName represents the node that the volume should be attached to.", 0},
            {"Attached", "boolean", "", "attached indicates the volume is successfully attached.", 0}, age_column()};
  }
  Json row(const Json& o) const override {
    const Json& spec = obj_at(o, "spec");
    const Json& st = obj_at(o, "status");
    return Json::array({o["metadata"].value("name", ""), str(spec, "attacher"), str(obj_at(spec, "source"), "persistentVolumeName"),
                        str(spec, "nodeName"), st.contains("attached") && st["attached"].is_boolean() && st["attached"].get<bool>(),
                        age_cell(o)});
  }
};

class RuntimeClassStrategy : public Strategy {
 public:
  std::vector<StatusCause> validate(const Json& obj) const override {
    std::vector<StatusCause> out;
    std::string handler = str(obj, "handler");
    if (handler.empty()) out.push_back(runtime::field_required("handler"));
    else
      for (const auto& e : machinery::is_dns1123_label(handler))
        out.push_back(runtime::field_invalid("handler", quote(handler), e));
    return out;
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Handler", "string", "", "", 0}, age_column()};
  }
  Json row(const Json& o) const override {
    return Json::array({o["metadata"].value("name", ""), str(o, "handler"), age_cell(o)});
  }
};

}  // namespace

const Strategy* storage_strategy(const std::string& group, const std::string& resource) {
  static PvcStrategy pvc;
  static PvStrategy pv;
  static StorageClassStrategy sc;
  static CsiDriverStrategy csi_driver;
  static CsiNodeStrategy csi_node;
  static CsiStorageCapacityStrategy csi_capacity;
  static VolumeAttachmentStrategy attachment;
  static RuntimeClassStrategy runtime_class;
  if (group.empty() && resource == "persistentvolumeclaims") return &pvc;
  if (group.empty() && resource == "persistentvolumes") return &pv;
  if (group == "storage.k8s.io") {
    if (resource == "storageclasses") return &sc;
    if (resource == "csidrivers") return &csi_driver;
    if (resource == "csinodes") return &csi_node;
    if (resource == "csistoragecapacities") return &csi_capacity;
    if (resource == "volumeattachments") return &attachment;
  }
  if (group == "node.k8s.io" && resource == "runtimeclasses") return &runtime_class;
  return nullptr;
}

}  // namespace kapi::server
