// describeVolumes: each volume source's own block (describe.go print*VolumeSource).
#include <nlohmann/json.hpp>

#include "client/describe/common.h"
#include "client/describe/containers.h"
#include "pkg/machinery/quantity.h"

namespace kapi::client::describe {
namespace {

// How a field prints with %v in Go.
enum class V { kStr, kBool, kInt, kAny, kRef, kOptBool, kOptStr };

struct Field {
  const char* label;  // text before the tab, e.g. "Path:" (some upstream labels lack the colon)
  const char* json;
  V how;
};

struct Source {
  const char* json;
  const char* type_line;
  std::vector<Field> fields;
};

std::string value_of(const Json& src, const Field& f) {
  const Json& v = at(src, f.json);
  switch (f.how) {
    case V::kStr:
      return str(src, f.json);
    case V::kBool:
      return boolean(src, f.json) ? "true" : "false";
    case V::kInt:
      return std::to_string(num(src, f.json));
    case V::kAny:
      return v.is_null() ? (f.json == std::string("options") ? "map[]" : "[]") : sprint(v);
    case V::kRef:
      return v.is_null() ? "nil" : "&LocalObjectReference{Name:" + str(v, "name") + ",}";
    case V::kOptBool:
      return boolean(src, f.json) ? "true" : "false";
    case V::kOptStr:
      return str(src, f.json);
  }
  return "";
}

// Sources whose block is a type line and %v fields, in describeVolumes' switch order.
const std::vector<Source>& simple_sources() {
  static const std::vector<Source> kSources = {
      {"gcePersistentDisk",
       "GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)",
       {{"PDName:", "pdName", V::kStr},
        {"FSType:", "fsType", V::kStr},
        {"Partition:", "partition", V::kInt},
        {"ReadOnly:", "readOnly", V::kBool}}},
      {"awsElasticBlockStore",
       "AWSElasticBlockStore (a Persistent Disk resource in AWS)",
       {{"VolumeID:", "volumeID", V::kStr},
        {"FSType:", "fsType", V::kStr},
        {"Partition:", "partition", V::kInt},
        {"ReadOnly:", "readOnly", V::kBool}}},
      {"gitRepo",
       "GitRepo (a volume that is pulled from git when the pod is created)",
       {{"Repository:", "repository", V::kStr}, {"Revision:", "revision", V::kStr}}},
      {"secret",
       "Secret (a volume populated by a Secret)",
       {{"SecretName:", "secretName", V::kStr}, {"Optional:", "optional", V::kOptBool}}},
      {"configMap",
       "ConfigMap (a volume populated by a ConfigMap)",
       {{"Name:", "name", V::kStr}, {"Optional:", "optional", V::kOptBool}}},
      {"nfs",
       "NFS (an NFS mount that lasts the lifetime of a pod)",
       {{"Server:", "server", V::kStr},
        {"Path:", "path", V::kStr},
        {"ReadOnly:", "readOnly", V::kBool}}},
      {"iscsi",
       "ISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then "
       "exposed to the pod)",
       {{"TargetPortal:", "targetPortal", V::kStr},
        {"IQN:", "iqn", V::kStr},
        {"Lun:", "lun", V::kInt},
        {"ISCSIInterface", "iscsiInterface", V::kStr},
        {"FSType:", "fsType", V::kStr},
        {"ReadOnly:", "readOnly", V::kBool},
        {"Portals:", "portals", V::kAny},
        {"DiscoveryCHAPAuth:", "chapAuthDiscovery", V::kBool},
        {"SessionCHAPAuth:", "chapAuthSession", V::kBool},
        {"SecretRef:", "secretRef", V::kRef},
        {"InitiatorName:", "initiatorName", V::kOptStr}}},
      {"glusterfs",
       "Glusterfs (a Glusterfs mount on the host that shares a pod's lifetime)",
       {{"EndpointsName:", "endpoints", V::kStr},
        {"Path:", "path", V::kStr},
        {"ReadOnly:", "readOnly", V::kBool}}},
      {"persistentVolumeClaim",
       "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
       {{"ClaimName:", "claimName", V::kStr}, {"ReadOnly:", "readOnly", V::kBool}}},
      {"ephemeral", "", {}},
      {"rbd",
       "RBD (a Rados Block Device mount on the host that shares a pod's lifetime)",
       {{"CephMonitors:", "monitors", V::kAny},
        {"RBDImage:", "image", V::kStr},
        {"FSType:", "fsType", V::kStr},
        {"RBDPool:", "pool", V::kStr},
        {"RadosUser:", "user", V::kStr},
        {"Keyring:", "keyring", V::kStr},
        {"SecretRef:", "secretRef", V::kRef},
        {"ReadOnly:", "readOnly", V::kBool}}},
      {"quobyte",
       "Quobyte (a Quobyte mount on the host that shares a pod's lifetime)",
       {{"Registry:", "registry", V::kStr},
        {"Volume:", "volume", V::kStr},
        {"ReadOnly:", "readOnly", V::kBool}}},
      {"downwardAPI", "", {}},
      {"azureDisk",
       "AzureDisk (an Azure Data Disk mount on the host and bind mount to the pod)",
       {{"DiskName:", "diskName", V::kStr},
        {"DiskURI:", "diskURI", V::kStr},
        {"Kind: ", "kind", V::kStr},
        {"FSType:", "fsType", V::kStr},
        {"CachingMode:", "cachingMode", V::kStr},
        {"ReadOnly:", "readOnly", V::kBool}}},
      {"vsphereVolume",
       "vSphereVolume (a Persistent Disk resource in vSphere)",
       {{"VolumePath:", "volumePath", V::kStr},
        {"FSType:", "fsType", V::kStr},
        {"StoragePolicyName:", "storagePolicyName", V::kStr}}},
      {"cinder",
       "Cinder (a Persistent Disk resource in OpenStack)",
       {{"VolumeID:", "volumeID", V::kStr},
        {"FSType:", "fsType", V::kStr},
        {"ReadOnly:", "readOnly", V::kBool},
        {"SecretRef:", "secretRef", V::kRef}}},
      {"photonPersistentDisk",
       "PhotonPersistentDisk (a Persistent Disk resource in photon platform)",
       {{"PdID:", "pdID", V::kStr}, {"FSType:", "fsType", V::kStr}}},
      {"portworxVolume",
       "PortworxVolume (a Portworx Volume resource)",
       {{"VolumeID:", "volumeID", V::kStr}}},
      {"scaleIO",
       "ScaleIO (a persistent volume backed by a block device in ScaleIO)",
       {{"Gateway:", "gateway", V::kStr},
        {"System:", "system", V::kStr},
        {"Protection Domain:", "protectionDomain", V::kStr},
        {"Storage Pool:", "storagePool", V::kStr},
        {"Storage Mode:", "storageMode", V::kStr},
        {"VolumeName:", "volumeName", V::kStr},
        {"FSType:", "fsType", V::kStr},
        {"ReadOnly:", "readOnly", V::kBool}}},
      {"cephfs",
       "CephFS (a CephFS mount on the host that shares a pod's lifetime)",
       {{"Monitors:", "monitors", V::kAny},
        {"Path:", "path", V::kStr},
        {"User:", "user", V::kStr},
        {"SecretFile:", "secretFile", V::kStr},
        {"SecretRef:", "secretRef", V::kRef},
        {"ReadOnly:", "readOnly", V::kBool}}},
      {"storageos",
       "StorageOS (a StorageOS Persistent Disk resource)",
       {{"VolumeName:", "volumeName", V::kStr},
        {"VolumeNamespace:", "volumeNamespace", V::kStr},
        {"FSType:", "fsType", V::kStr},
        {"ReadOnly:", "readOnly", V::kBool}}},
      {"fc", "", {}},
      {"azureFile",
       "AzureFile (an Azure File Service mount on the host and bind mount to the pod)",
       {{"SecretName:", "secretName", V::kStr},
        {"ShareName:", "shareName", V::kStr},
        {"ReadOnly:", "readOnly", V::kBool}}},
      {"flexVolume",
       "FlexVolume (a generic volume resource that is provisioned/attached using an exec based "
       "plugin)",
       {{"Driver:", "driver", V::kStr},
        {"FSType:", "fsType", V::kStr},
        {"SecretRef:", "secretRef", V::kRef},
        {"ReadOnly:", "readOnly", V::kBool},
        {"Options:", "options", V::kAny}}},
      {"flocker",
       "Flocker (a Flocker volume mounted by the Flocker agent)",
       {{"DatasetName:", "datasetName", V::kStr}, {"DatasetUUID:", "datasetUUID", V::kStr}}},
      {"projected", "", {}},
      {"csi", "", {}},
      {"image",
       "Image (a container image or OCI artifact)",
       {{"Reference:", "reference", V::kStr}, {"PullPolicy:", "pullPolicy", V::kStr}}},
  };
  return kSources;
}

void print_simple(const Source& s, const Json& src, PrefixWriter& w) {
  std::string text = std::string("Type:\t") + s.type_line + "\n";
  for (const auto& f : s.fields) {
    std::string v = value_of(src, f);
    if (f.how == V::kOptStr && !has(src, f.json)) v = "<none>";
    text += std::string("    ") + f.label + "\t" + v + "\n";
  }
  w.write(kLevel2, text);
}

void print_csi_attributes(PrefixWriter& w, const Json& attrs) {
  w.write(kLevel2, "VolumeAttributes:\t");
  auto keys = sorted_keys(attrs);
  if (keys.empty()) {
    w.write_line("<none>");
    return;
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i != 0) {
      w.write(kLevel2, "");
      w.write(kLevel2, "\t");
    }
    std::string line = keys[i] + "=" + str(attrs, keys[i].c_str());
    if (line.size() > 140)
      w.write(kLevel2, line.substr(0, 140) + "...\n");
    else
      w.write(kLevel2, line + "\n");
  }
}

void print_special(const std::string& kind, const Json& src, PrefixWriter& w) {
  if (kind == "ephemeral") {
    w.write(kLevel2,
            "Type:\tEphemeralVolume (an inline specification for a volume that gets created and "
            "deleted with the pod)\n");
    if (has(src, "volumeClaimTemplate")) {
      NestedPrefixWriter nested(w, kLevel2);
      print_pvc_template(nested, at(src, "volumeClaimTemplate"));
    }
  } else if (kind == "downwardAPI") {
    w.write(kLevel2,
            "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
    for (const auto& m : items(at(src, "items"))) {
      if (has(m, "fieldRef"))
        w.write(kLevel3, str(at(m, "fieldRef"), "fieldPath") + " -> " + str(m, "path") + "\n");
      if (has(m, "resourceFieldRef"))
        w.write(kLevel3,
                str(at(m, "resourceFieldRef"), "resource") + " -> " + str(m, "path") + "\n");
    }
  } else if (kind == "fc") {
    std::string lun = has(src, "lun") ? std::to_string(num(src, "lun")) : "<none>";
    w.write(kLevel2, "Type:\tFC (a Fibre Channel disk)\n    TargetWWNs:\t" +
                         join(strings_of(at(src, "targetWWNs")), ", ") + "\n    LUN:\t" + lun +
                         "\n    FSType:\t" + str(src, "fsType") + "\n    ReadOnly:\t" +
                         (boolean(src, "readOnly") ? "true" : "false") + "\n");
  } else if (kind == "projected") {
    w.write(kLevel2,
            "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
    for (const auto& s : items(at(src, "sources"))) {
      if (has(s, "secret")) {
        w.write(kLevel2, "SecretName:\t" + str(at(s, "secret"), "name") + "\n    Optional:\t" +
                             (boolean(at(s, "secret"), "optional") ? "true" : "false") + "\n");
      } else if (has(s, "downwardAPI")) {
        w.write(kLevel2, "DownwardAPI:\ttrue\n");
      } else if (has(s, "configMap")) {
        w.write(kLevel2, "ConfigMapName:\t" + str(at(s, "configMap"), "name") +
                             "\n    Optional:\t" +
                             (boolean(at(s, "configMap"), "optional") ? "true" : "false") + "\n");
      } else if (has(s, "serviceAccountToken")) {
        w.write(kLevel2,
                "TokenExpirationSeconds:\t" +
                    std::to_string(num(at(s, "serviceAccountToken"), "expirationSeconds")) + "\n");
      }
    }
  } else if (kind == "csi") {
    w.write(kLevel2,
            "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t" +
                str(src, "driver") + "\n    FSType:\t" + str(src, "fsType") + "\n    ReadOnly:\t" +
                (boolean(src, "readOnly") ? "true" : "false") + "\n");
    print_csi_attributes(w, at(src, "volumeAttributes"));
  }
}

}  // namespace

void describe_volumes(const Json& volumes, PrefixWriter& w, const std::string& space) {
  if (size_of(volumes) == 0) {
    w.write(kLevel0, space + "Volumes:\t<none>\n");
    return;
  }
  w.write(kLevel0, space + "Volumes:\n");
  for (const auto& v : items(volumes)) {
    w.write(kLevel1, (space.empty() ? "" : " ") + str(v, "name") + ":\n");
    if (has(v, "hostPath")) {
      const Json& hp = at(v, "hostPath");
      std::string type = has(hp, "type") ? str(hp, "type") : "<none>";
      w.write(kLevel2, "Type:\tHostPath (bare host directory volume)\n    Path:\t" +
                           str(hp, "path") + "\n    HostPathType:\t" + type + "\n");
      continue;
    }
    if (has(v, "emptyDir")) {
      const Json& ed = at(v, "emptyDir");
      std::string limit = "<unset>";
      if (has(ed, "sizeLimit")) {
        auto q = machinery::Quantity::from_json(at(ed, "sizeLimit"));
        if (q.ok() && q->sign() > 0) limit = q->to_string();
      }
      w.write(
          kLevel2,
          "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t" +
              str(ed, "medium") + "\n    SizeLimit:\t" + limit + "\n");
      continue;
    }
    bool done = false;
    for (const auto& s : simple_sources()) {
      if (!has(v, s.json)) continue;
      if (s.type_line[0] == '\0')
        print_special(s.json, at(v, s.json), w);
      else
        print_simple(s, at(v, s.json), w);
      done = true;
      break;
    }
    if (!done) w.write(kLevel1, "<unknown>\n");
  }
}

}  // namespace kapi::client::describe
