#include "client/help.h"

#include "client/help_texts.h"

namespace kapi::client {
namespace {

// Captured from kubectl 1.33.1 (`kubectl get --help`, `kubectl version --help`,
// `kubectl options`).
const char* const kGetHelp = R"KUBECTL(Display one or many resources.

 Prints a table of the most important information about the specified resources. You can filter the list using a label selector and the --selector flag. If the desired resource type is namespaced you will only see results in the current namespace if you don't specify any namespace.

 By specifying the output as 'template' and providing a Go template as the value of the --template flag, you can filter the attributes of the fetched resources.

Use "kubectl api-resources" for a complete list of supported resources.

Examples:
  # List all pods in ps output format
  kubectl get pods
  
  # List all pods in ps output format with more information (such as node name)
  kubectl get pods -o wide
  
  # List a single replication controller with specified NAME in ps output format
  kubectl get replicationcontroller web
  
  # List deployments in JSON output format, in the "v1" version of the "apps" API group
  kubectl get deployments.v1.apps -o json
  
  # List a single pod in JSON output format
  kubectl get -o json pod web-pod-13je7
  
  # List a pod identified by type and name specified in "pod.yaml" in JSON output format
  kubectl get -f pod.yaml -o json
  
  # List resources from a directory with kustomization.yaml - e.g. dir/kustomization.yaml
  kubectl get -k dir/
  
  # Return only the phase value of the specified pod
  kubectl get -o template pod/web-pod-13je7 --template={{.status.phase}}
  
  # List resource information in custom columns
  kubectl get pod test-pod -o custom-columns=CONTAINER:.spec.containers[0].name,IMAGE:.spec.containers[0].image
  
  # List all replication controllers and services together in ps output format
  kubectl get rc,services
  
  # List one or more resources by their type and names
  kubectl get rc/web service/frontend pods/web-pod-13je7
  
  # List the 'status' subresource for a single pod
  kubectl get pod web-pod-13je7 --subresource status
  
  # List all deployments in namespace 'backend'
  kubectl get deployments.apps --namespace backend
  
  # List all pods existing in all namespaces
  kubectl get pods --all-namespaces

Options:
    -A, --all-namespaces=false:
	If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.

    --allow-missing-template-keys=true:
	If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.

    --chunk-size=500:
	Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.

    --field-selector='':
	Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type.

    -f, --filename=[]:
	Filename, directory, or URL to files identifying the resource to get from a server.

    --ignore-not-found=false:
	If the requested object does not exist the command will return exit code 0.

    -k, --kustomize='':
	Process the kustomization directory. This flag can't be used together with -f or -R.

    -L, --label-columns=[]:
	Accepts a comma separated list of labels that are going to be presented as columns. Names are case-sensitive. You can also use multiple flag options like -L label1 -L label2...

    --no-headers=false:
	When using the default or custom-column output format, don't print headers (default print headers).

    -o, --output='':
	Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide). See custom columns [https://kubernetes.io/docs/reference/kubectl/#custom-columns], golang template [http://golang.org/pkg/text/template/#pkg-overview] and jsonpath template [https://kubernetes.io/docs/reference/kubectl/jsonpath/].

    --output-watch-events=false:
	Output watch event objects when --watch or --watch-only is used. Existing objects are output as initial ADDED events.

    --raw='':
	Raw URI to request from the server.  Uses the transport specified by the kubeconfig file.

    -R, --recursive=false:
	Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.

    -l, --selector='':
	Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.

    --server-print=true:
	If true, have the server return the appropriate table output. Supports extension APIs and CRDs.

    --show-kind=false:
	If present, list the resource type for the requested object(s).

    --show-labels=false:
	When printing, show all labels as the last column (default hide labels column)

    --show-managed-fields=false:
	If true, keep the managedFields when printing objects in JSON or YAML format.

    --sort-by='':
	If non-empty, sort list types using this field specification.  The field specification is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified by this JSONPath expression must be an integer or a string.

    --subresource='':
	If specified, gets the subresource of the requested object.

    --template='':
	Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].

    -w, --watch=false:
	After listing/getting the requested object, watch for changes.

    --watch-only=false:
	Watch for changes to the requested object(s), without listing/getting first.

Usage:
  kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]

Use "kubectl options" for a list of global command-line options (applies to all commands).
)KUBECTL";

const char* const kApplyHelp = R"KUBECTL(Apply a configuration to a resource by file name or stdin. The resource name must be specified. This resource will be created if it doesn't exist yet. To use 'apply', always create the resource initially with either 'apply' or 'create --save-config'.

 JSON and YAML formats are accepted.

 Alpha Disclaimer: the --prune functionality is not yet complete. Do not use unless you are aware of what the current state is. See https://issues.k8s.io/34274.

Examples:
  # Apply the configuration in pod.json to a pod
  kubectl apply -f ./pod.json
  
  # Apply resources from a directory containing kustomization.yaml - e.g. dir/kustomization.yaml
  kubectl apply -k dir/
  
  # Apply the JSON passed into stdin to a pod
  cat pod.json | kubectl apply -f -
  
  # Apply the configuration from all files that end with '.json'
  kubectl apply -f '*.json'
  
  # Note: --prune is still in Alpha
  # Apply the configuration in manifest.yaml that matches label app=nginx and delete all other resources that are not in the file and match label app=nginx
  kubectl apply --prune -f manifest.yaml -l app=nginx
  
  # Apply the configuration in manifest.yaml and delete all the other config maps that are not in the file
  kubectl apply --prune -f manifest.yaml --all --prune-allowlist=core/v1/ConfigMap

Available Commands:
  edit-last-applied   Edit latest last-applied-configuration annotations of a resource/object
  set-last-applied    Set the last-applied-configuration annotation on a live object to match the contents of a file
  view-last-applied   View the latest last-applied-configuration annotations of a resource/object

Options:
    --all=false:
	Select all resources in the namespace of the specified resource types.

    --allow-missing-template-keys=true:
	If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.

    --cascade='background':
	Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.

    --dry-run='none':
	Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.

    --field-manager='kubectl-client-side-apply':
	Name of the manager used to track field ownership.

    -f, --filename=[]:
	The files that contain the configurations to apply.

    --force=false:
	If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.

    --force-conflicts=false:
	If true, server-side apply will force the changes against conflicts.

    --grace-period=-1:
	Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).

    -k, --kustomize='':
	Process a kustomization directory. This flag can't be used together with -f or -R.

    --openapi-patch=true:
	If true, use openapi to calculate diff when the openapi presents and the resource can be found in the openapi spec. Otherwise, fall back to use baked-in types.

    -o, --output='':
	Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).

    --overwrite=true:
	Automatically resolve conflicts between the modified and live configuration by using values from the modified configuration

    --prune=false:
	Automatically delete resource objects, that do not appear in the configs and are created by either apply or create --save-config. Should be used with either -l or --all.

    --prune-allowlist=[]:
	Overwrite the default allowlist with <group/version/kind> for --prune

    -R, --recursive=false:
	Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.

    -l, --selector='':
	Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.

    --server-side=false:
	If true, apply runs in the server instead of the client.

    --show-managed-fields=false:
	If true, keep the managedFields when printing objects in JSON or YAML format.

    --subresource='':
	If specified, apply will operate on the subresource of the requested object.  Only allowed when using --server-side.

    --template='':
	Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].

    --timeout=0s:
	The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object

    --validate='strict':
	Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.

    --wait=false:
	If true, wait for resources to be gone before returning. This waits for finalizers.

Usage:
  kubectl apply (-f FILENAME | -k DIRECTORY) [options]

Use "kubectl apply <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
)KUBECTL";

const char* const kCreateHelp = R"KUBECTL(Create a resource from a file or from stdin.

 JSON and YAML formats are accepted.

Examples:
  # Create a pod using the data in pod.json
  kubectl create -f ./pod.json
  
  # Create a pod based on the JSON passed into stdin
  cat pod.json | kubectl create -f -
  
  # Edit the data in registry.yaml in JSON then create the resource using the edited data
  kubectl create -f registry.yaml --edit -o json

Available Commands:
  clusterrole           Create a cluster role
  clusterrolebinding    Create a cluster role binding for a particular cluster role
  configmap             Create a config map from a local file, directory or literal value
  cronjob               Create a cron job with the specified name
  deployment            Create a deployment with the specified name
  ingress               Create an ingress with the specified name
  job                   Create a job with the specified name
  namespace             Create a namespace with the specified name
  poddisruptionbudget   Create a pod disruption budget with the specified name
  priorityclass         Create a priority class with the specified name
  quota                 Create a quota with the specified name
  role                  Create a role with single rule
  rolebinding           Create a role binding for a particular role or cluster role
  secret                Create a secret using a specified subcommand
  service               Create a service using a specified subcommand
  serviceaccount        Create a service account with the specified name
  token                 Request a service account token

Options:
    --allow-missing-template-keys=true:
	If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.

    --dry-run='none':
	Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.

    --edit=false:
	Edit the API resource before creating

    --field-manager='kubectl-create':
	Name of the manager used to track field ownership.

    -f, --filename=[]:
	Filename, directory, or URL to files to use to create the resource

    -k, --kustomize='':
	Process the kustomization directory. This flag can't be used together with -f or -R.

    -o, --output='':
	Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).

    --raw='':
	Raw URI to POST to the server.  Uses the transport specified by the kubeconfig file.

    -R, --recursive=false:
	Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.

    --save-config=false:
	If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.

    -l, --selector='':
	Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.

    --show-managed-fields=false:
	If true, keep the managedFields when printing objects in JSON or YAML format.

    --template='':
	Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].

    --validate='strict':
	Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.

    --windows-line-endings=false:
	Only relevant if --edit=true. Defaults to the line ending native to your platform.

Usage:
  kubectl create -f FILENAME [options]

Use "kubectl create <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
)KUBECTL";

const char* const kDeleteHelp = R"KUBECTL(Delete resources by file names, stdin, resources and names, or by resources and label selector.

 JSON and YAML formats are accepted. Only one type of argument may be specified: file names, resources and names, or resources and label selector.

 Some resources, such as pods, support graceful deletion. These resources define a default period before they are forcibly terminated (the grace period) but you may override that value with the --grace-period flag, or pass --now to set a grace-period of 1. Because these resources often represent entities in the cluster, deletion may not be acknowledged immediately. If the node hosting a pod is down or cannot reach the API server, termination may take significantly longer than the grace period. To force delete a resource, you must specify the --force flag. Note: only a subset of resources support graceful deletion. In absence of the support, the --grace-period flag is ignored.

 IMPORTANT: Force deleting pods does not wait for confirmation that the pod's processes have been terminated, which can leave those processes running until the node detects the deletion and completes graceful deletion. If your processes use shared storage or talk to a remote API and depend on the name of the pod to identify themselves, force deleting those pods may result in multiple processes running on different machines using the same identification which may lead to data corruption or inconsistency. Only force delete pods when you are sure the pod is terminated, or if your application can tolerate multiple copies of the same pod running at once. Also, if you force delete pods, the scheduler may place new pods on those nodes before the node has released those resources and causing those pods to be evicted immediately.

 Note that the delete command does NOT do resource version checks, so if someone submits an update to a resource right when you submit a delete, their update will be lost along with the rest of the resource.

 After a CustomResourceDefinition is deleted, invalidation of discovery cache may take up to 6 hours. If you don't want to wait, you might want to run "kubectl api-resources" to refresh the discovery cache.

Examples:
  # Delete a pod using the type and name specified in pod.json
  kubectl delete -f ./pod.json
  
  # Delete resources from a directory containing kustomization.yaml - e.g. dir/kustomization.yaml
  kubectl delete -k dir
  
  # Delete resources from all files that end with '.json'
  kubectl delete -f '*.json'
  
  # Delete a pod based on the type and name in the JSON passed into stdin
  cat pod.json | kubectl delete -f -
  
  # Delete pods and services with same names "baz" and "foo"
  kubectl delete pod,service baz foo
  
  # Delete pods and services with label name=myLabel
  kubectl delete pods,services -l name=myLabel
  
  # Delete a pod with minimal delay
  kubectl delete pod foo --now
  
  # Force delete a pod on a dead node
  kubectl delete pod foo --force
  
  # Delete all pods
  kubectl delete pods --all
  
  # Delete all pods only if the user confirms the deletion
  kubectl delete pods --all --interactive

Options:
    --all=false:
	Delete all resources, in the namespace of the specified resource types.

    -A, --all-namespaces=false:
	If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.

    --cascade='background':
	Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.

    --dry-run='none':
	Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.

    --field-selector='':
	Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type.

    -f, --filename=[]:
	containing the resource to delete.

    --force=false:
	If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.

    --grace-period=-1:
	Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).

    --ignore-not-found=false:
	Treat "resource not found" as a successful delete. Defaults to "true" when --all is specified.

    -i, --interactive=false:
	If true, delete resource only when user confirms.

    -k, --kustomize='':
	Process a kustomization directory. This flag can't be used together with -f or -R.

    --now=false:
	If true, resources are signaled for immediate shutdown (same as --grace-period=1).

    -o, --output='':
	Output mode. Use "-o name" for shorter output (resource/name).

    --raw='':
	Raw URI to DELETE to the server.  Uses the transport specified by the kubeconfig file.

    -R, --recursive=false:
	Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.

    -l, --selector='':
	Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.

    --timeout=0s:
	The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object

    --wait=true:
	If true, wait for resources to be gone before returning. This waits for finalizers.

Usage:
  kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]

Use "kubectl options" for a list of global command-line options (applies to all commands).
)KUBECTL";

// `kubectl describe --help` (1.33.1).
const char* const kDescribeHelp = R"KUBECTL(Show details of a specific resource or group of resources.

 Print a detailed description of the selected resources, including related resources such as events or controllers. You may select a single object by name, all objects of that type, provide a name prefix, or label selector. For example:

        $ kubectl describe TYPE NAME_PREFIX
        
 will first check for an exact match on TYPE and NAME_PREFIX. If no such resource exists, it will output details for every resource that has a name prefixed with NAME_PREFIX.

Use "kubectl api-resources" for a complete list of supported resources.

Examples:
  # Describe a node
  kubectl describe nodes kubernetes-node-emt8.c.myproject.internal
  
  # Describe a pod
  kubectl describe pods/nginx
  
  # Describe a pod identified by type and name in "pod.json"
  kubectl describe -f pod.json
  
  # Describe all pods
  kubectl describe pods
  
  # Describe pods by label name=myLabel
  kubectl describe pods -l name=myLabel
  
  # Describe all pods managed by the 'frontend' replication controller
  # (rc-created pods get the name of the rc as a prefix in the pod name)
  kubectl describe pods frontend

Options:
    -A, --all-namespaces=false:
	If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.

    --chunk-size=500:
	Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.

    -f, --filename=[]:
	Filename, directory, or URL to files containing the resource to describe

    -k, --kustomize='':
	Process the kustomization directory. This flag can't be used together with -f or -R.

    -R, --recursive=false:
	Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.

    -l, --selector='':
	Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.

    --show-events=true:
	If true, display events related to the described object.

Usage:
  kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]

Use "kubectl options" for a list of global command-line options (applies to all commands).
)KUBECTL";

const char* const kVersionHelp = R"KUBECTL(Print the client and server version information for the current context.

Examples:
  # Print the client and server versions for the current context
  kubectl version

Options:
    --client=false:
	If true, shows client version only (no server required).

    -o, --output='':
	One of 'yaml' or 'json'.

Usage:
  kubectl version [flags] [options]

Use "kubectl options" for a list of global command-line options (applies to all commands).
)KUBECTL";

const char* const kOptionsHelp = R"KUBECTL(The following options can be passed to any command:

    --as='':
	Username to impersonate for the operation. User could be a regular user or a service account in a namespace.

    --as-group=[]:
	Group to impersonate for the operation, this flag can be repeated to specify multiple groups.

    --as-uid='':
	UID to impersonate for the operation.

    --cache-dir='@CACHE_DIR@':
	Default cache directory

    --certificate-authority='':
	Path to a cert file for the certificate authority

    --client-certificate='':
	Path to a client certificate file for TLS

    --client-key='':
	Path to a client key file for TLS

    --cluster='':
	The name of the kubeconfig cluster to use

    --context='':
	The name of the kubeconfig context to use

    --disable-compression=false:
	If true, opt-out of response compression for all requests to the server

    --insecure-skip-tls-verify=false:
	If true, the server's certificate will not be checked for validity. This will make your HTTPS connections insecure

    --kubeconfig='':
	Path to the kubeconfig file to use for CLI requests.

    --log-flush-frequency=5s:
	Maximum number of seconds between log flushes

    --match-server-version=false:
	Require server version to match client version

    -n, --namespace='':
	If present, the namespace scope for this CLI request

    --password='':
	Password for basic authentication to the API server

    --profile='none':
	Name of profile to capture. One of (none|cpu|heap|goroutine|threadcreate|block|mutex)

    --profile-output='profile.pprof':
	Name of the file to write the profile to

    --request-timeout='0':
	The length of time to wait before giving up on a single server request. Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). A value of zero means don't timeout requests.

    -s, --server='':
	The address and port of the Kubernetes API server

    --tls-server-name='':
	Server name to use for server certificate validation. If it is not provided, the hostname used to contact the server is used

    --token='':
	Bearer token for authentication to the API server

    --user='':
	The name of the kubeconfig user to use

    --username='':
	Username for basic authentication to the API server

    -v, --v=0:
	number for the log level verbosity

    --vmodule=:
	comma-separated list of pattern=N settings for file-filtered logging (only works for the default text log format)

    --warnings-as-errors=false:
	Treat warnings received from the server as errors and exit with a non-zero exit code

)KUBECTL";

struct Entry {
  const char* name;
  const char* short_desc;
};
struct Group {
  const char* message;
  std::vector<Entry> commands;
};

// cmd.go's command groups, in kubectl's order.
const std::vector<Group>& groups() {
  static const std::vector<Group> kGroups = {
      {"Basic Commands (Beginner):",
       {{"create", "Create a resource from a file or from stdin"},
        {"expose", "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service"},
        {"run", "Run a particular image on the cluster"},
        {"set", "Set specific features on objects"}}},
      {"Basic Commands (Intermediate):",
       {{"explain", "Get documentation for a resource"},
        {"get", "Display one or many resources"},
        {"edit", "Edit a resource on the server"},
        {"delete", "Delete resources by file names, stdin, resources and names, or by resources and label selector"}}},
      {"Deploy Commands:",
       {{"rollout", "Manage the rollout of a resource"},
        {"scale", "Set a new size for a deployment, replica set, or replication controller"},
        {"autoscale", "Auto-scale a deployment, replica set, stateful set, or replication controller"}}},
      {"Cluster Management Commands:",
       {{"certificate", "Modify certificate resources"},
        {"cluster-info", "Display cluster information"},
        {"top", "Display resource (CPU/memory) usage"},
        {"cordon", "Mark node as unschedulable"},
        {"uncordon", "Mark node as schedulable"},
        {"drain", "Drain node in preparation for maintenance"},
        {"taint", "Update the taints on one or more nodes"}}},
      {"Troubleshooting and Debugging Commands:",
       {{"describe", "Show details of a specific resource or group of resources"},
        {"logs", "Print the logs for a container in a pod"},
        {"attach", "Attach to a running container"},
        {"exec", "Execute a command in a container"},
        {"port-forward", "Forward one or more local ports to a pod"},
        {"proxy", "Run a proxy to the Kubernetes API server"},
        {"cp", "Copy files and directories to and from containers"},
        {"auth", "Inspect authorization"},
        {"debug", "Create debugging sessions for troubleshooting workloads and nodes"},
        {"events", "List events"}}},
      {"Advanced Commands:",
       {{"diff", "Diff the live version against a would-be applied version"},
        {"apply", "Apply a configuration to a resource by file name or stdin"},
        {"patch", "Update fields of a resource"},
        {"replace", "Replace a resource by file name or stdin"},
        {"wait", "Experimental: Wait for a specific condition on one or many resources"},
        {"kustomize", "Build a kustomization target from a directory or URL"}}},
      {"Settings Commands:",
       {{"label", "Update the labels on a resource"},
        {"annotate", "Update the annotations on a resource"},
        {"completion", "Output shell completion code for the specified shell (bash, zsh, fish, or powershell)"}}},
  };
  return kGroups;
}

// Commands outside the groups, listed under "Other Commands:" (sorted, as cobra sorts them).
const std::vector<Entry>& other_commands() {
  static const std::vector<Entry> kOther = {
      {"api-resources", "Print the supported API resources on the server"},
      {"api-versions", "Print the supported API versions on the server, in the form of \"group/version\""},
      {"config", "Modify kubeconfig files"},
      {"plugin", "Provides utilities for interacting with plugins"},
      {"version", "Print the client and server version information"},
  };
  return kOther;
}

// kubectl's templater: "  " + rpad(name, NamePadding) + "   " + Short. Root subcommands pad to
// the longest root command name (13, "api-resources"); plugin entries have no parent and pad to
// cobra's minimum of 11.
std::string line(const std::string& name, size_t padding, const std::string& desc) {
  std::string n = name;
  if (n.size() < padding) n.append(padding - n.size(), ' ');
  return "  " + n + "   " + desc;
}

std::string groups_text(const std::vector<PluginEntry>& plugins) {
  constexpr size_t kRootPadding = 13;
  std::string out;
  for (const auto& g : groups()) {
    out += g.message;
    for (const auto& c : g.commands) out += "\n" + line(c.name, kRootPadding, c.short_desc);
    out += "\n\n";
  }
  out += "Subcommands provided by plugins:";
  for (const auto& p : plugins)
    out += "\n" + line(p.name, 11, "The command " + p.name + " is a plugin installed by the user");
  out += "\n\nOther Commands:";
  for (const auto& c : other_commands()) out += "\n" + line(c.name, kRootPadding, c.short_desc);
  return out;
}

}  // namespace

std::string with_program(std::string text, const std::string& program) {
  if (program == "kubectl") return text;
  const std::string from = "kubectl";
  size_t pos = 0;
  while ((pos = text.find(from, pos)) != std::string::npos) {
    text.replace(pos, from.size(), program);
    pos += program.size();
  }
  return text;
}

// with_program, leaving names that merely start with "kubectl" (the annotation
// kubectl.kubernetes.io/..., field managers kubectl-client-side-apply, ...) alone.
std::string with_program_keep_names(std::string text, const std::string& program) {
  if (program == "kubectl") return text;
  const std::string from = "kubectl";
  size_t pos = 0;
  while ((pos = text.find(from, pos)) != std::string::npos) {
    char next = pos + from.size() < text.size() ? text[pos + from.size()] : ' ';
    if (next == '.' && text.compare(pos + from.size(), 11, ".kubernetes") == 0) {
      pos += from.size();
      continue;
    }
    if (next == '-' || next == '_') {
      pos += from.size();
      continue;
    }
    text.replace(pos, from.size(), program);
    pos += program.size();
  }
  return text;
}

std::string root_usage(const std::string& program, const std::vector<PluginEntry>& plugins) {
  // The plugin names are the user's; only the template text is renamed.
  std::string head = "\n\n" + groups_text(plugins);
  std::string tail = with_program(
      "\n\nUsage:\n  kubectl [flags] [options]\n\n"
      "Use \"kubectl <command> --help\" for more information about a given command.\n"
      "Use \"kubectl options\" for a list of global command-line options (applies to all commands).\n",
      program);
  return head + tail;
}

std::string root_help(const std::string& program, const std::vector<PluginEntry>& plugins) {
  return with_program(
             "kubectl controls the Kubernetes cluster manager.\n\n"
             " Find more information at: https://kubernetes.io/docs/reference/kubectl/",
             program) +
         root_usage(program, plugins);
}

std::string command_help(const std::string& program, const std::string& command) {
  if (command == "get") return with_program(kGetHelp, program);
  if (command == "version") return with_program(kVersionHelp, program);
  if (command == "apply") return with_program_keep_names(kApplyHelp, program);
  if (command == "create") return with_program_keep_names(kCreateHelp, program);
  if (command == "delete") return with_program_keep_names(kDeleteHelp, program);
  if (command == "describe") return with_program(kDescribeHelp, program);
  if (command == "help") return help_help(program);
  std::string path = command == "config use" ? "config use-context" : command;
  // Names that merely start with "kubectl" (field managers kubectl-patch, install-kubectl-linux)
  // stay as they are.
  for (const auto* texts :
       {&more_help_texts(), &workload_help_texts(), &stream_help_texts(), &debug_help_texts()})
    for (const auto& h : *texts)
      if (path == h.command) return with_program_keep_names(h.text, program);
  return "";
}

std::string options_help(const std::string& cache_dir) {
  std::string text = kOptionsHelp;
  const std::string marker = "@CACHE_DIR@";
  text.replace(text.find(marker), marker.size(), cache_dir);
  return text;
}

std::string help_help(const std::string& program) {
  return with_program(
      "Help provides help for any command in the application.\n"
      "Simply type kubectl help [path to command] for full details.\n\n"
      "Usage:\n  kubectl help [command] [flags] [options]\n\n"
      "Use \"kubectl options\" for a list of global command-line options (applies to all commands).\n",
      program);
}

}  // namespace kapi::client
