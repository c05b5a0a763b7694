#include "expr/parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

namespace geosim::expr {

namespace {

enum class Tok {
  kEnd,
  kNumber,
  kIdent,
  kDot,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kCaret,
  kLt,
  kLe,
  kGt,
  kGe,
  kEqEq,
  kNe,
  kAssign,
  kPlusAssign,
  kMinusAssign,
  kStarAssign,
  kSlashAssign,
};

struct Token {
  Tok kind = Tok::kEnd;
  int offset = 0;
  std::string text;
  double number = 0;
};

class Parser {
 public:
  Parser(std::string_view text, const SourceLoc& loc) : text_(text), loc_(loc) { advance(); }

  NodePtr expression() { return parse_or(); }

  void expect_end() {
    if (tok_.kind != Tok::kEnd)
      fail(tok_.offset,
           "unexpected " + describe(tok_) + "; expected an operator or the end of the expression");
  }

  Statement statement() {
    Statement s;
    s.target = primary();
    if (s.target->kind != NodeKind::kVar && s.target->kind != NodeKind::kRel)
      fail(s.target->offset, "'" + to_text(*s.target) +
                                 "' cannot be assigned; expected a target such as world.x, self.x, "
                                 "actor.x or relation[a, b]");
    switch (tok_.kind) {
      case Tok::kAssign:
        s.op = AssignOp::kSet;
        break;
      case Tok::kPlusAssign:
        s.op = AssignOp::kAdd;
        break;
      case Tok::kMinusAssign:
        s.op = AssignOp::kSub;
        break;
      case Tok::kStarAssign:
        s.op = AssignOp::kMul;
        break;
      case Tok::kSlashAssign:
        s.op = AssignOp::kDiv;
        break;
      default:
        fail(tok_.offset,
             "found " + describe(tok_) + " after the target; expected =, +=, -=, *= or /=");
    }
    advance();
    s.value = expression();
    expect_end();
    return s;
  }

 private:
  [[noreturn]] void fail(int offset, const std::string& msg) {
    throw UserError(offset_loc_text(offset), msg);
  }

  SourceLoc offset_loc_text(int offset) const { return locate(text_, loc_, offset); }

  static std::string describe(const Token& t) {
    switch (t.kind) {
      case Tok::kEnd:
        return "the end of the expression";
      case Tok::kNumber:
        return "number '" + t.text + "'";
      case Tok::kIdent:
        return "name '" + t.text + "'";
      default:
        return "'" + t.text + "'";
    }
  }

  void advance() {
    size_t i = pos_;
    while (i < text_.size() && std::isspace(static_cast<unsigned char>(text_[i]))) ++i;
    tok_ = Token{};
    tok_.offset = static_cast<int>(i);
    if (i >= text_.size()) {
      pos_ = i;
      tok_.kind = Tok::kEnd;
      return;
    }
    char c = text_[i];
    auto two = [&](char next) { return i + 1 < text_.size() && text_[i + 1] == next; };
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && i + 1 < text_.size() &&
         std::isdigit(static_cast<unsigned char>(text_[i + 1])))) {
      size_t j = i;
      while (j < text_.size() &&
             (std::isdigit(static_cast<unsigned char>(text_[j])) || text_[j] == '.'))
        ++j;
      if (j < text_.size() && (text_[j] == 'e' || text_[j] == 'E')) {
        size_t k = j + 1;
        if (k < text_.size() && (text_[k] == '+' || text_[k] == '-')) ++k;
        if (k < text_.size() && std::isdigit(static_cast<unsigned char>(text_[k]))) {
          j = k;
          while (j < text_.size() && std::isdigit(static_cast<unsigned char>(text_[j]))) ++j;
        }
      }
      tok_.kind = Tok::kNumber;
      tok_.text = std::string(text_.substr(i, j - i));
      auto [p, ec] =
          std::from_chars(tok_.text.data(), tok_.text.data() + tok_.text.size(), tok_.number);
      if (ec != std::errc() || p != tok_.text.data() + tok_.text.size() ||
          !std::isfinite(tok_.number))
        fail(tok_.offset, "malformed number '" + tok_.text +
                              "'; expected a finite decimal number such as 0.5 or 1e-3");
      pos_ = j;
      return;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t j = i;
      while (j < text_.size() &&
             (std::isalnum(static_cast<unsigned char>(text_[j])) || text_[j] == '_'))
        ++j;
      tok_.kind = Tok::kIdent;
      tok_.text = std::string(text_.substr(i, j - i));
      pos_ = j;
      return;
    }
    size_t len = 1;
    switch (c) {
      case '.':
        tok_.kind = Tok::kDot;
        break;
      case '(':
        tok_.kind = Tok::kLParen;
        break;
      case ')':
        tok_.kind = Tok::kRParen;
        break;
      case '[':
        tok_.kind = Tok::kLBracket;
        break;
      case ']':
        tok_.kind = Tok::kRBracket;
        break;
      case ',':
        tok_.kind = Tok::kComma;
        break;
      case '^':
        tok_.kind = Tok::kCaret;
        break;
      case '+':
        tok_.kind = two('=') ? (len = 2, Tok::kPlusAssign) : Tok::kPlus;
        break;
      case '-':
        tok_.kind = two('=') ? (len = 2, Tok::kMinusAssign) : Tok::kMinus;
        break;
      case '*':
        tok_.kind = two('=') ? (len = 2, Tok::kStarAssign) : Tok::kStar;
        break;
      case '/':
        tok_.kind = two('=') ? (len = 2, Tok::kSlashAssign) : Tok::kSlash;
        break;
      case '<':
        tok_.kind = two('=') ? (len = 2, Tok::kLe) : Tok::kLt;
        break;
      case '>':
        tok_.kind = two('=') ? (len = 2, Tok::kGe) : Tok::kGt;
        break;
      case '=':
        tok_.kind = two('=') ? (len = 2, Tok::kEqEq) : Tok::kAssign;
        break;
      case '!':
        if (two('=')) {
          tok_.kind = Tok::kNe;
          len = 2;
          break;
        }
        [[fallthrough]];
      default: {
        std::string shown(1, c);
        if (static_cast<unsigned char>(c) < 32 || static_cast<unsigned char>(c) >= 127) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
          shown = buf;
        }
        fail(tok_.offset, "unexpected character '" + shown +
                              "'; expected a number, a name, an operator (+ - * / ^ < <= > >= == "
                              "!= and or not) or parentheses");
      }
    }
    tok_.text = std::string(text_.substr(i, len));
    pos_ = i + len;
  }

  bool is_keyword(const char* k) const { return tok_.kind == Tok::kIdent && tok_.text == k; }

  NodePtr make(NodeKind k, int offset) {
    auto n = std::make_unique<Node>();
    n->kind = k;
    n->offset = offset;
    return n;
  }

  // Every composite node checks its height, so recursion over the tree stays bounded.
  void set_depth(Node& n) {
    int d = 0;
    for (const auto& k : n.kids) d = std::max(d, k->depth);
    n.depth = d + 1;
    if (n.depth > kMaxExpressionDepth) too_deep(n.offset);
  }
  [[noreturn]] void too_deep(int offset) {
    fail(offset, "expression more than " + std::to_string(kMaxExpressionDepth) +
                     " levels deep (each parenthesis, function call, unary operator, ^, and "
                     "each operator of a chain such as a + b + c counts as a level); expected a "
                     "simpler expression (split it with intermediate variables)");
  }
  // Guards the parser's own recursion (parentheses, unary operators, call arguments).
  struct Nesting {
    Parser& p;
    explicit Nesting(Parser& parser, int offset) : p(parser) {
      if (++p.nesting_ > kMaxExpressionDepth) p.too_deep(offset);
    }
    ~Nesting() { --p.nesting_; }
  };

  NodePtr binary(BinaryOp op, NodePtr l, NodePtr r, int offset) {
    auto n = make(NodeKind::kBinary, offset);
    n->binary = op;
    n->kids.push_back(std::move(l));
    n->kids.push_back(std::move(r));
    set_depth(*n);
    return n;
  }

  NodePtr parse_or() {
    NodePtr l = parse_and();
    while (is_keyword("or")) {
      int off = l->offset;
      advance();
      l = binary(BinaryOp::kOr, std::move(l), parse_and(), off);
    }
    return l;
  }

  NodePtr parse_and() {
    NodePtr l = parse_not();
    while (is_keyword("and")) {
      int off = l->offset;
      advance();
      l = binary(BinaryOp::kAnd, std::move(l), parse_not(), off);
    }
    return l;
  }

  NodePtr parse_not() {
    if (is_keyword("not")) {
      int off = tok_.offset;
      Nesting guard(*this, off);
      advance();
      auto n = make(NodeKind::kUnary, off);
      n->unary = '!';
      n->kids.push_back(parse_not());
      set_depth(*n);
      return n;
    }
    return parse_comparison();
  }

  NodePtr parse_comparison() {
    NodePtr l = parse_additive();
    for (;;) {
      BinaryOp op;
      switch (tok_.kind) {
        case Tok::kLt:
          op = BinaryOp::kLt;
          break;
        case Tok::kLe:
          op = BinaryOp::kLe;
          break;
        case Tok::kGt:
          op = BinaryOp::kGt;
          break;
        case Tok::kGe:
          op = BinaryOp::kGe;
          break;
        case Tok::kEqEq:
          op = BinaryOp::kEq;
          break;
        case Tok::kNe:
          op = BinaryOp::kNe;
          break;
        case Tok::kAssign:
          fail(tok_.offset,
               "found '=' inside an expression; expected '==' to compare (assignments belong in "
               "effects and dynamics)");
        default:
          return l;
      }
      int off = l->offset;
      advance();
      l = binary(op, std::move(l), parse_additive(), off);
    }
  }

  NodePtr parse_additive() {
    NodePtr l = parse_multiplicative();
    while (tok_.kind == Tok::kPlus || tok_.kind == Tok::kMinus) {
      BinaryOp op = tok_.kind == Tok::kPlus ? BinaryOp::kAdd : BinaryOp::kSub;
      int off = l->offset;
      advance();
      l = binary(op, std::move(l), parse_multiplicative(), off);
    }
    return l;
  }

  NodePtr parse_multiplicative() {
    NodePtr l = parse_unary();
    while (tok_.kind == Tok::kStar || tok_.kind == Tok::kSlash) {
      BinaryOp op = tok_.kind == Tok::kStar ? BinaryOp::kMul : BinaryOp::kDiv;
      int off = l->offset;
      advance();
      l = binary(op, std::move(l), parse_unary(), off);
    }
    return l;
  }

  NodePtr parse_unary() {
    if (tok_.kind == Tok::kMinus || tok_.kind == Tok::kPlus) {
      bool neg = tok_.kind == Tok::kMinus;
      int off = tok_.offset;
      Nesting guard(*this, off);
      advance();
      NodePtr operand = parse_unary();
      if (!neg) return operand;
      auto n = make(NodeKind::kUnary, off);
      n->unary = '-';
      n->kids.push_back(std::move(operand));
      set_depth(*n);
      return n;
    }
    return parse_power();
  }

  NodePtr parse_power() {
    NodePtr base = primary();
    if (tok_.kind == Tok::kCaret) {
      int off = base->offset;
      Nesting guard(*this, off);  // 2^2^...^2 recurses here once per ^
      advance();
      NodePtr exponent = parse_unary();  // right-associative: 2^3^2 = 2^(3^2)
      return binary(BinaryOp::kPow, std::move(base), std::move(exponent), off);
    }
    return base;
  }

  std::string expect_ident(const char* what) {
    if (tok_.kind != Tok::kIdent)
      fail(tok_.offset, "found " + describe(tok_) + "; expected " + what);
    std::string s = tok_.text;
    advance();
    return s;
  }

  NodePtr primary() {
    int off = tok_.offset;
    switch (tok_.kind) {
      case Tok::kNumber: {
        auto n = make(NodeKind::kNumber, off);
        n->number = tok_.number;
        advance();
        return n;
      }
      case Tok::kLParen: {
        Nesting guard(*this, off);
        advance();
        NodePtr inner = expression();
        if (tok_.kind != Tok::kRParen)
          fail(tok_.offset, "found " + describe(tok_) +
                                "; expected ')' to close the '(' at column offset " +
                                std::to_string(off + 1));
        advance();
        return inner;
      }
      case Tok::kIdent:
        break;
      default:
        fail(off, "found " + describe(tok_) + "; expected a number, a name or '('");
    }
    std::string id = tok_.text;
    if (id == "and" || id == "or" || id == "not")
      fail(off, "found keyword '" + id + "' where a value was expected");
    advance();
    if (id == "true" || id == "false") {
      auto n = make(NodeKind::kNumber, off);
      n->number = id == "true" ? 1.0 : 0.0;
      return n;
    }
    if (tok_.kind == Tok::kDot) {
      advance();
      auto n = make(NodeKind::kVar, off);
      n->scope = id;
      n->name = expect_ident(("a variable name after '" + id + ".'").c_str());
      if (tok_.kind == Tok::kDot)
        fail(tok_.offset,
             "found a second '.' in '" + id + "." + n->name + ".'; expected scope.variable");
      return n;
    }
    if (tok_.kind == Tok::kLBracket) {
      advance();
      auto n = make(NodeKind::kRel, off);
      n->scope = id;
      n->rel_a = expect_ident("an actor id or 'self' as the first index");
      if (tok_.kind != Tok::kComma)
        fail(tok_.offset, "found " + describe(tok_) + "; expected ',' between the two actors of " +
                              id + "[a, b]");
      advance();
      n->rel_b_offset = tok_.offset;
      n->rel_b = expect_ident("an actor id or 'self' as the second index");
      if (tok_.kind != Tok::kRBracket)
        fail(tok_.offset, "found " + describe(tok_) + "; expected ']' after " + id + "[" +
                              n->rel_a + ", " + n->rel_b);
      advance();
      return n;
    }
    if (tok_.kind == Tok::kLParen) {
      Nesting guard(*this, off);
      advance();
      auto n = make(NodeKind::kCall, off);
      n->scope = id;
      if (tok_.kind != Tok::kRParen) {
        for (;;) {
          n->kids.push_back(expression());
          if (tok_.kind == Tok::kComma) {
            advance();
            continue;
          }
          if (tok_.kind == Tok::kRParen) break;
          fail(tok_.offset, "found " + describe(tok_) +
                                "; expected ',' or ')' in the arguments of " + id + "()");
        }
      }
      advance();
      set_depth(*n);
      return n;
    }
    auto n = make(NodeKind::kName, off);
    n->name = id;
    return n;
  }

  std::string_view text_;
  SourceLoc loc_;
  int nesting_ = 0;
  size_t pos_ = 0;
  Token tok_;
};

const char* op_text(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSub:
      return "-";
    case BinaryOp::kMul:
      return "*";
    case BinaryOp::kDiv:
      return "/";
    case BinaryOp::kPow:
      return "^";
    case BinaryOp::kLt:
      return "<";
    case BinaryOp::kLe:
      return "<=";
    case BinaryOp::kGt:
      return ">";
    case BinaryOp::kGe:
      return ">=";
    case BinaryOp::kEq:
      return "==";
    case BinaryOp::kNe:
      return "!=";
    case BinaryOp::kAnd:
      return "and";
    case BinaryOp::kOr:
      return "or";
  }
  return "?";
}

}  // namespace

NodePtr parse_expression(std::string_view text, const SourceLoc& loc) {
  Parser p(text, loc);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw UserError(loc, "empty expression; expected a value such as 0.5 or world.x > 0");
  NodePtr n = p.expression();
  p.expect_end();
  return n;
}

Statement parse_statement(std::string_view text, const SourceLoc& loc) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw UserError(loc, "empty statement; expected 'target = expression'");
  Parser p(text, loc);
  return p.statement();
}

SourceLoc locate(std::string_view text, const SourceLoc& loc, int offset) {
  SourceLoc l = loc;
  int line_start = 0;
  int lines = 0;
  for (int i = 0; i < offset && i < static_cast<int>(text.size()); ++i) {
    if (text[i] == '\n') {
      ++lines;
      line_start = i + 1;
    }
  }
  if (l.line > 0) {
    if (lines > 0) {
      l.line += lines;
      l.column = 1 + (offset - line_start);
    } else if (l.column > 0) {
      l.column += offset;
    }
  }
  return l;
}

std::string to_text(const Node& n) {
  switch (n.kind) {
    case NodeKind::kNumber: {
      char buf[32];
      auto [p, ec] = std::to_chars(buf, buf + sizeof buf, n.number);
      return std::string(buf, p);
    }
    case NodeKind::kName:
      return n.name;
    case NodeKind::kVar:
      return n.scope + "." + n.name;
    case NodeKind::kRel:
      return n.scope + "[" + n.rel_a + ", " + n.rel_b + "]";
    case NodeKind::kUnary:
      return n.unary == '-' ? "-" + to_text(*n.kids[0]) : "not " + to_text(*n.kids[0]);
    case NodeKind::kBinary:
      return "(" + to_text(*n.kids[0]) + " " + op_text(n.binary) + " " + to_text(*n.kids[1]) + ")";
    case NodeKind::kCall: {
      std::string s = n.scope + "(";
      for (size_t i = 0; i < n.kids.size(); ++i) s += (i ? ", " : "") + to_text(*n.kids[i]);
      return s + ")";
    }
  }
  return "?";
}

}  // namespace geosim::expr
