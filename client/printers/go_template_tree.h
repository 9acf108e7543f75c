#pragma once
// Internal to the go-template engine: the parse tree (text/template/parse's node types, reduced
// to what kapi evaluates). Positions are byte offsets into the template text, as Go's are, so
// execution errors can name line:column.
#include <memory>
#include <string>
#include <vector>

namespace kapi::client::gotmpl {

enum class NodeType {
  kText, kAction, kIf, kRange, kWith, kList, kPipe, kCommand,
  kField, kVariable, kChain, kIdentifier, kDot, kNil, kBool, kNumber, kString,
  kBreak, kContinue, kEnd, kElse, kTemplate,
};

struct Node {
  NodeType type;
  size_t pos = 0;
  explicit Node(NodeType t, size_t p) : type(t), pos(p) {}
  virtual ~Node() = default;
  // The node as Go's String() writes it (used in error context).
  virtual std::string str() const = 0;
};
using NodePtr = std::unique_ptr<Node>;

struct ListNode : Node {
  std::vector<NodePtr> nodes;
  explicit ListNode(size_t p) : Node(NodeType::kList, p) {}
  std::string str() const override;
};

struct TextNode : Node {
  std::string text;
  TextNode(size_t p, std::string t) : Node(NodeType::kText, p), text(std::move(t)) {}
  std::string str() const override;
};

struct VariableNode;

struct CommandNode : Node {
  std::vector<NodePtr> args;
  explicit CommandNode(size_t p) : Node(NodeType::kCommand, p) {}
  std::string str() const override;
};

struct PipeNode : Node {
  bool is_assign = false;
  std::vector<std::string> decl;  // variable names ("$x")
  std::vector<std::unique_ptr<CommandNode>> cmds;
  explicit PipeNode(size_t p) : Node(NodeType::kPipe, p) {}
  std::string str() const override;
};

struct ActionNode : Node {
  std::unique_ptr<PipeNode> pipe;
  ActionNode(size_t p, std::unique_ptr<PipeNode> pp) : Node(NodeType::kAction, p), pipe(std::move(pp)) {}
  std::string str() const override;
};

// if / range / with.
struct BranchNode : Node {
  std::unique_ptr<PipeNode> pipe;
  std::unique_ptr<ListNode> list, else_list;
  BranchNode(NodeType t, size_t p) : Node(t, p) {}
  std::string str() const override;
};

struct FieldNode : Node {
  std::vector<std::string> ident;  // without dots
  FieldNode(size_t p, std::vector<std::string> i) : Node(NodeType::kField, p), ident(std::move(i)) {}
  std::string str() const override;
};

struct VariableNode : Node {
  std::vector<std::string> ident;  // "$x", then field names
  VariableNode(size_t p, std::vector<std::string> i) : Node(NodeType::kVariable, p), ident(std::move(i)) {}
  std::string str() const override;
};

struct ChainNode : Node {
  NodePtr node;
  std::vector<std::string> field;
  ChainNode(size_t p, NodePtr n) : Node(NodeType::kChain, p), node(std::move(n)) {}
  std::string str() const override;
};

struct LeafNode : Node {  // identifier, dot, nil, bool, number, string, break, continue, end, else,
                          // template (text: the whole action, value: the template name)
  std::string text;       // identifier name, number text, quoted string as written, "true"
  std::string value;      // the unquoted string
  LeafNode(NodeType t, size_t p, std::string tx = "", std::string v = "")
      : Node(t, p), text(std::move(tx)), value(std::move(v)) {}
  std::string str() const override;
};

struct Tree {
  std::string name;
  std::string text;
  std::unique_ptr<ListNode> root;
};

// Parses `text`; nullptr with Go's error message on failure.
std::unique_ptr<Tree> parse(const std::string& name, const std::string& text, std::string* error);

// True for the functions kubectl's template printer knows.
bool is_function(const std::string& name);

}  // namespace kapi::client::gotmpl
