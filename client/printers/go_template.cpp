// Execution of a parsed go-template (text/template's exec.go): the walk over the tree, variable
// scopes, field chains on decoded maps, function calls with Go's argument checks, and errors
// located at the node Go would name.
#include "client/printers/go_template.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "client/printers/go_template_tree.h"
#include "client/printers/go_template_value.h"
#include "pkg/machinery/go_format.h"

namespace kapi::client {
namespace {

using namespace gotmpl;  // NOLINT: the engine's internal types

struct ExecError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Flow { kNormal, kBreak, kContinue };

class State {
 public:
  State(const Tree& tree, std::string& out, bool missing_error)
      : tree_(tree), out_(out), missing_error_(missing_error) {}

  void run(const Value& dot) {
    vars_.push_back({"$", dot});
    walk(dot, *tree_.root);
  }

 private:
  struct Var {
    std::string name;
    Value value;
  };

  void at(const Node& n) { node_ = &n; }

  [[noreturn]] void errorf(const std::string& msg) {
    const std::string& name = tree_.name;
    if (!node_) throw ExecError("template: " + name + ": " + msg);
    size_t pos = node_->pos;
    std::string before = tree_.text.substr(0, pos);
    size_t nl = before.rfind('\n');
    size_t col = nl == std::string::npos ? pos : pos - (nl + 1);
    int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
    throw ExecError("template: " + name + ":" + std::to_string(line) + ":" + std::to_string(col) +
                    ": executing " + machinery::gofmt::quote(name) + " at <" + node_->str() + ">: " + msg);
  }

  Flow walk(const Value& dot, const Node& node) {
    switch (node.type) {
      case NodeType::kAction: {
        const auto& a = static_cast<const ActionNode&>(node);
        Value v = eval_pipeline(dot, *a.pipe);
        if (a.pipe->decl.empty()) print_value(node, v);
        return Flow::kNormal;
      }
      case NodeType::kBreak: return Flow::kBreak;
      case NodeType::kContinue: return Flow::kContinue;
      case NodeType::kIf: case NodeType::kWith: {
        const auto& b = static_cast<const BranchNode&>(node);
        size_t mark = vars_.size();
        Value v = eval_pipeline(dot, *b.pipe);
        Flow f = Flow::kNormal;
        if (truth(unwrap(v))) f = walk(node.type == NodeType::kWith ? v : dot, *b.list);
        else if (b.else_list) f = walk(dot, *b.else_list);
        vars_.resize(mark);
        return f;
      }
      case NodeType::kList:
        for (const auto& n : static_cast<const ListNode&>(node).nodes) {
          Flow f = walk(dot, *n);
          if (f != Flow::kNormal) return f;
        }
        return Flow::kNormal;
      case NodeType::kRange: walk_range(dot, static_cast<const BranchNode&>(node)); return Flow::kNormal;
      case NodeType::kText: out_ += static_cast<const TextNode&>(node).text; return Flow::kNormal;
      case NodeType::kTemplate:
        at(node);
        errorf("template " + machinery::gofmt::quote(static_cast<const LeafNode&>(node).value) + " not defined");
      default: errorf("unknown node: " + node.str());
    }
  }

  void walk_range(const Value& dot, const BranchNode& r) {
    at(r);
    size_t outer = vars_.size();
    Value val = unwrap(eval_pipeline(dot, *r.pipe));
    size_t mark = vars_.size();
    const auto& decl = r.pipe->decl;
    auto one = [&](const Value& index, const Value& elem) -> bool {
      if (!decl.empty()) {
        if (r.pipe->is_assign) set_var(decl[0], decl.size() > 1 ? index : elem);
        else vars_[vars_.size() - 1].value = elem;
      }
      if (decl.size() > 1) {
        if (r.pipe->is_assign) set_var(decl[1], elem);
        else vars_[vars_.size() - 2].value = index;
      }
      Flow f = walk(elem, *r.list);
      vars_.resize(mark);
      return f != Flow::kBreak;
    };
    bool empty = true;
    if (val.k == Value::K::kSlice) {
      empty = val.j->empty();
      for (size_t i = 0; i < val.j->size(); ++i)
        if (!one(Value::of_int(static_cast<int64_t>(i)), Value::of_json(&(*val.j)[i], true, val.hold))) break;
    } else if (val.k == Value::K::kMap) {
      empty = val.j->empty();
      std::vector<std::string> keys;
      for (const auto& [k, _] : val.j->items()) keys.push_back(k);
      std::sort(keys.begin(), keys.end());
      for (const auto& k : keys)
        if (!one(Value::of_string(k), Value::of_json(&val.j->at(k), true, val.hold))) break;
    } else if (val.k == Value::K::kInt) {  // Go 1.22: range over an integer
      empty = val.i <= 0;
      for (int64_t i = 0; i < val.i; ++i)
        if (!one(Value::of_int(i, val.int_type), Value::of_int(i, val.int_type))) break;
    } else if (val.valid()) {
      errorf("range can't iterate over " + format_v(val));
    }
    if (empty && r.else_list) walk(dot, *r.else_list);
    vars_.resize(outer);
  }

  void set_var(const std::string& name, const Value& v) {
    for (size_t i = vars_.size(); i-- > 0;)
      if (vars_[i].name == name) {
        vars_[i].value = v;
        return;
      }
    errorf("undefined variable: " + name);
  }

  void print_value(const Node& n, const Value& v) {
    at(n);
    out_ += v.valid() ? format_v(v) : "<no value>";
  }

  Value eval_pipeline(const Value& dot, const PipeNode& pipe) {
    at(pipe);
    std::optional<Value> value;
    for (const auto& cmd : pipe.cmds) value = unwrap(eval_command(dot, *cmd, value));
    Value v = value ? *value : Value();
    for (const auto& name : pipe.decl) {
      if (pipe.is_assign) set_var(name, v);
      else vars_.push_back({name, v});
    }
    return v;
  }

  void not_a_function(const std::vector<NodePtr>& args, const std::optional<Value>& final) {
    if (args.size() > 1 || final) errorf("can't give argument to non-function " + args[0]->str());
  }

  Value eval_command(const Value& dot, const CommandNode& cmd, const std::optional<Value>& final) {
    const Node& first = *cmd.args[0];
    switch (first.type) {
      case NodeType::kField: {
        const auto& f = static_cast<const FieldNode&>(first);
        at(f);
        return eval_field_chain(dot, f.ident, 0, cmd.args, final);
      }
      case NodeType::kChain: return eval_chain(dot, static_cast<const ChainNode&>(first), cmd.args, final);
      case NodeType::kIdentifier: return eval_function(dot, static_cast<const LeafNode&>(first), cmd, cmd.args, final);
      case NodeType::kPipe:
        not_a_function(cmd.args, final);
        return eval_pipeline(dot, static_cast<const PipeNode&>(first));
      case NodeType::kVariable: return eval_variable(dot, static_cast<const VariableNode&>(first), cmd.args, final);
      default: break;
    }
    at(first);
    not_a_function(cmd.args, final);
    const auto& leaf = static_cast<const LeafNode&>(first);
    switch (first.type) {
      case NodeType::kBool: return Value::of_bool(leaf.text == "true");
      case NodeType::kDot: return dot;
      case NodeType::kNil: errorf("nil is not a command");
      case NodeType::kNumber: return ideal_constant(leaf);
      case NodeType::kString: return Value::of_string(leaf.value);
      default: errorf("can't evaluate command " + machinery::gofmt::quote(first.str()));
    }
  }

  Value ideal_constant(const LeafNode& n) {
    const std::string& t = n.value;
    bool hex = t.find("0x") != std::string::npos || t.find("0X") != std::string::npos;
    if (!hex && n.text[0] != '\'' && t.find_first_of(".eE") != std::string::npos) return Value::of_float(std::stod(t));
    return Value::of_int(std::stoll(t, nullptr, 0));
  }

  Value eval_chain(const Value& dot, const ChainNode& chain, const std::vector<NodePtr>& args,
                   const std::optional<Value>& final) {
    at(chain);
    if (chain.node->type == NodeType::kNil) errorf("indirection through explicit nil in " + chain.str());
    Value pipe = eval_arg(dot, *chain.node, false);
    return eval_field_chain(pipe, chain.field, 0, args, final);
  }

  Value eval_variable(const Value& dot, const VariableNode& v, const std::vector<NodePtr>& args,
                      const std::optional<Value>& final) {
    at(v);
    Value value;
    bool found = false;
    for (size_t i = vars_.size(); i-- > 0;)
      if (vars_[i].name == v.ident[0]) {
        value = vars_[i].value;
        found = true;
        break;
      }
    if (!found) errorf("undefined variable: " + v.ident[0]);
    if (v.ident.size() == 1) {
      not_a_function(args, final);
      return value;
    }
    (void)dot;
    return eval_field_chain(value, v.ident, 1, args, final);
  }

  // Fields ident[from..] of `receiver`; the last gets the command's arguments.
  Value eval_field_chain(Value receiver, const std::vector<std::string>& ident, size_t from,
                         const std::vector<NodePtr>& args, const std::optional<Value>& final) {
    static const std::vector<NodePtr> kNoArgs;
    for (size_t i = from; i + 1 < ident.size(); ++i) receiver = eval_field(ident[i], kNoArgs, std::nullopt, receiver);
    return eval_field(ident.back(), args, final, receiver);
  }

  Value eval_field(const std::string& name, const std::vector<NodePtr>& args, const std::optional<Value>& final,
                   const Value& receiver) {
    if (!receiver.valid()) {
      if (missing_error_) errorf("nil data; no entry for key " + machinery::gofmt::quote(name));
      return {};
    }
    std::string typ = receiver.type_name();
    if (receiver.k == Value::K::kNil) errorf("nil pointer evaluating " + typ + "." + name);
    if (receiver.k == Value::K::kMap) {
      if (args.size() > 1 || final) errorf(name + " is not a method but has arguments");
      auto it = receiver.j->find(name);
      if (it != receiver.j->end()) return Value::of_json(&*it, true, receiver.hold);
      if (missing_error_) errorf("map has no entry for key " + machinery::gofmt::quote(name));
      return {};
    }
    errorf("can't evaluate field " + name + " in type " + typ);
  }

  // evalArg for a parameter of type interface{} / reflect.Value (as_string: a Go string).
  Value eval_arg(const Value& dot, const Node& n, bool as_string) {
    at(n);
    static const std::vector<NodePtr> kNoArgs;
    Value v;
    switch (n.type) {
      case NodeType::kDot: v = dot; break;
      case NodeType::kNil:
        if (as_string) errorf("cannot assign nil to string");
        return {};
      case NodeType::kField: {
        const auto& f = static_cast<const FieldNode&>(n);
        at(f);
        v = eval_field_chain(dot, f.ident, 0, kNoArgs, std::nullopt);
        break;
      }
      case NodeType::kVariable: v = eval_variable(dot, static_cast<const VariableNode&>(n), kNoArgs, std::nullopt); break;
      case NodeType::kPipe: v = eval_pipeline(dot, static_cast<const PipeNode&>(n)); break;
      case NodeType::kIdentifier: {
        const auto& id = static_cast<const LeafNode&>(n);
        static const std::vector<NodePtr> kNone;
        v = eval_function(dot, id, n, kNone, std::nullopt);
        break;
      }
      case NodeType::kChain: v = eval_chain(dot, static_cast<const ChainNode&>(n), kNoArgs, std::nullopt); break;
      default: {
        const auto& leaf = static_cast<const LeafNode&>(n);
        if (as_string) {
          if (n.type != NodeType::kString) errorf("expected string; found " + n.str());
          return Value::of_string(leaf.value);
        }
        switch (n.type) {
          case NodeType::kBool: return Value::of_bool(leaf.text == "true");
          case NodeType::kNumber: return ideal_constant(leaf);
          case NodeType::kString: return Value::of_string(leaf.value);
          default: errorf("can't handle " + n.str() + " for arg of type interface {}");
        }
      }
    }
    return as_string ? validate_string(v) : v;
  }

  Value validate_string(const Value& v) {
    if (!v.valid()) errorf("invalid value; expected string");
    if (v.k != Value::K::kString)
      errorf("wrong type for value; expected string; got " + (v.k == Value::K::kNil ? v.type_name() : v.concrete_type()));
    return unwrap(v);
  }

  Value eval_function(const Value& dot, const LeafNode& ident, const Node& cmd, const std::vector<NodePtr>& cmd_args,
                      const std::optional<Value>& final) {
    at(ident);
    const std::string& name = ident.text;
    const FuncSpec* fn = find_func(name);
    size_t nargs = cmd_args.empty() ? 0 : cmd_args.size() - 1;  // cmd_args[0] is the name
    size_t num_in = nargs + (final ? 1 : 0);
    size_t fixed = static_cast<size_t>(fn->min_args);
    if (fn->variadic) {
      if (num_in < fixed)
        errorf("wrong number of args for " + name + ": want at least " + std::to_string(fixed) + " got " +
               std::to_string(nargs));
    } else if (num_in != fixed) {
      errorf("wrong number of args for " + name + ": want " + std::to_string(fixed) + " got " + std::to_string(num_in));
    }
    if (name == "and" || name == "or") {  // short-circuit, returning the deciding value
      Value v;
      for (size_t i = 1; i < cmd_args.size(); ++i) {
        v = unwrap(eval_arg(dot, *cmd_args[i], false));
        if (truth(v) == (name == "or")) return v;
      }
      if (final) v = *final;
      return v;
    }
    std::vector<Value> argv;
    for (size_t i = 1; i < cmd_args.size(); ++i)
      argv.push_back(eval_arg(dot, *cmd_args[i], static_cast<int>(i - 1) < fn->string_params));
    if (final) {
      if (static_cast<int>(argv.size()) < fn->string_params) argv.push_back(validate_string(*final));
      else argv.push_back(*final);
    }
    std::string err;
    Value result = fn->fn(argv, &err);
    if (!err.empty()) {
      at(cmd);
      errorf("error calling " + name + ": " + err);
    }
    return result;
  }

  const Tree& tree_;
  std::string& out_;
  bool missing_error_;
  std::vector<Var> vars_;
  const Node* node_ = nullptr;
};

}  // namespace

GoTemplate::GoTemplate() = default;
GoTemplate::~GoTemplate() = default;
GoTemplate::GoTemplate(GoTemplate&&) noexcept = default;
GoTemplate& GoTemplate::operator=(GoTemplate&&) noexcept = default;

bool GoTemplate::parse(const std::string& text, std::string* error, const std::string& name) {
  tree_ = gotmpl::parse(name, text, error);
  return tree_ != nullptr;
}

std::string GoTemplate::format_data(const nlohmann::ordered_json& data) {
  return format_v(Value::of_json(&data, false));
}

bool GoTemplate::execute(const nlohmann::ordered_json& data, std::string& out, std::string* error) const {
  State s(*tree_, out, !allow_missing_);
  try {
    s.run(Value::of_json(&data, false));
  } catch (const ExecError& e) {
    if (error) *error = e.what();
    return false;
  }
  return true;
}

}  // namespace kapi::client
