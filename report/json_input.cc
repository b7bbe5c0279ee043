// The JSON reader under every input parser: nlohmann's SAX parser fed byte by
// byte, so a large file is never held twice and nesting is bounded.
#include "report/json_input.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <utility>

#include "report/bench_json.h"

namespace relu::report {
namespace {

using nlohmann::json;

// Large enough that reads are few, small beside any input worth streaming.
constexpr size_t kBlockBytes = size_t{1} << 20;

// The longest literal replaced ("-Infinity") and the byte after it.
constexpr size_t kLiteralLookahead = 10;

constexpr std::string_view kNonFinite[] = {"-Infinity", "Infinity", "-NaN",
                                           "NaN"};

bool IsWordByte(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

// What nlohmann's iterator adapter needs: a char-valued input iterator. All
// copies share the source, so the parser's copy advances it.
class SourceIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = char;

  SourceIterator() = default;  // the end
  explicit SourceIterator(JsonSource* source) : source_(source) {}

  // Bytes are taken from the source only when the parser looks at them, so
  // the source's count is exactly what the parser has read.
  char operator*() const {
    Load();
    return static_cast<char>(current_);
  }
  SourceIterator& operator++() {
    Load();
    loaded_ = false;
    return *this;
  }
  bool operator==(const SourceIterator& other) const {
    return AtEnd() == other.AtEnd();
  }
  bool operator!=(const SourceIterator& other) const {
    return !(*this == other);
  }

 private:
  bool AtEnd() const {
    if (source_ == nullptr) return true;
    Load();
    return current_ < 0;
  }
  void Load() const {
    if (!loaded_) {
      current_ = source_->Get();
      loaded_ = true;
    }
  }

  JsonSource* source_ = nullptr;
  mutable int current_ = -1;
  mutable bool loaded_ = false;
};

std::string Shorten(std::string s, size_t max) {
  if (s.size() > max) s = s.substr(0, max) + "...";
  return s;
}

// nlohmann's message without its own position, which counts the parser's
// bytes, not the file's.
std::string Reason(const std::string& what) {
  std::string reason = what;
  if (size_t col = reason.find("column "); col != std::string::npos) {
    if (size_t colon = reason.find(": ", col); colon != std::string::npos) {
      reason = reason.substr(colon + 2);
    }
  }
  return reason;
}

// Adapts nlohmann's SAX interface to JsonSink, moving the path along and
// turning every parser complaint into one InputError.
class SaxAdapter {
 public:
  SaxAdapter(JsonSource& source, const std::string& file, JsonPath* path,
             JsonSink* sink)
      : source_(source), file_(file), path_(path), sink_(sink) {}

  bool null() { return Scalar(nullptr); }
  bool boolean(bool v) { return Scalar(v); }
  bool number_integer(json::number_integer_t v) { return Scalar(v); }
  bool number_unsigned(json::number_unsigned_t v) { return Scalar(v); }
  bool number_float(json::number_float_t v, const json::string_t&) {
    return Scalar(v);
  }
  bool string(json::string_t& v) { return Scalar(std::move(v)); }
  bool binary(json::binary_t&) { return Scalar(nullptr); }  // not in text
  bool start_object(std::size_t) {
    Enter();
    sink_->BeginObject();
    path_->Push(false);
    return true;
  }
  bool key(json::string_t& k) {
    path_->SetKey(k);
    sink_->Key(k);
    return true;
  }
  bool end_object() {
    path_->Pop();
    sink_->EndObject();
    path_->ValueDone();
    return true;
  }
  bool start_array(std::size_t) {
    Enter();
    sink_->BeginArray();
    path_->Push(true);
    return true;
  }
  bool end_array() {
    path_->Pop();
    sink_->EndArray();
    path_->ValueDone();
    return true;
  }
  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception& ex) {
    if (!source_.SawContent()) throw InputError(file_, "empty file");
    // `position` counts bytes read, the failing one included.
    size_t line = 0, column = 0;
    source_.Where(position == 0 ? 0 : position - 1, &line, &column);
    if (ex.id == 406) {  // out_of_range: a number beyond a double
      throw InputError(
          file_, fmt::format("number {} at line {}, column {}{} is too large "
                             "for a double",
                             Shorten(last_token, 40), line, column, Where()));
    }
    throw InputError(
        file_, fmt::format("invalid JSON at line {}, column {}{}: {}", line,
                           column, Where(), Reason(ex.what())));
  }

 private:
  template <typename V>
  bool Scalar(V&& v) {
    sink_->Scalar(json(std::forward<V>(v)));
    path_->ValueDone();
    return true;
  }
  void Enter() {
    if (path_->Depth() >= static_cast<size_t>(kMaxJsonDepth)) {
      size_t line = 0, column = 0;
      source_.Where(source_.Count() - 1, &line, &column);
      throw InputError(
          file_, fmt::format("JSON nested deeper than {} levels at line {}, "
                             "column {}{}",
                             kMaxJsonDepth, line, column, Where()));
    }
  }
  std::string Where() const {
    std::string p = path_->Text();
    return p.empty() ? "" : " (in " + p + ")";
  }

  JsonSource& source_;
  const std::string& file_;
  JsonPath* path_;
  JsonSink* sink_;
};

}  // namespace

JsonSource::JsonSource(std::string_view text) : text_(text), eof_(true) {}

JsonSource::JsonSource(int fd, std::string file)
    : fd_(fd), file_(std::move(file)) {
  buffer_.resize(kBlockBytes);
  text_ = std::string_view(buffer_.data(), 0);
}

void JsonSource::Fill(size_t want) {
  if (eof_ || text_.size() - pos_ >= want) return;
  // Keep the unread tail, then read behind it.
  const size_t unread = text_.size() - pos_;
  std::memmove(buffer_.data(), text_.data() + pos_, unread);
  size_t filled = unread;
  pos_ = 0;
  while (filled < want && !eof_) {
    ssize_t n = read(fd_, buffer_.data() + filled, buffer_.size() - filled);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw InputError(file_,
                       fmt::format("cannot read: {}", std::strerror(errno)));
    }
    if (n == 0) eof_ = true;
    filled += static_cast<size_t>(n);
  }
  text_ = std::string_view(buffer_.data(), filled);
}

int JsonSource::PeekRaw(size_t ahead) {
  if (pos_ + ahead >= text_.size()) {
    Fill(ahead + 1);
    if (pos_ + ahead >= text_.size()) return -1;
  }
  return static_cast<unsigned char>(text_[pos_ + ahead]);
}

size_t JsonSource::NonFiniteLiteral() {
  PeekRaw(kLiteralLookahead - 1);  // fills the lookahead where there is one
  std::string_view rest = text_.substr(pos_);
  for (std::string_view token : kNonFinite) {
    if (rest.substr(0, token.size()) != token) continue;
    if (rest.size() > token.size() &&
        IsWordByte(static_cast<unsigned char>(rest[token.size()]))) {
      continue;
    }
    return token.size();
  }
  return 0;
}

void JsonSource::Remember(size_t line, size_t column) {
  hist_line_[count_ % kHistory] =
      static_cast<uint32_t>(std::min<size_t>(line, UINT32_MAX));
  hist_col_[count_ % kHistory] =
      static_cast<uint32_t>(std::min<size_t>(column, UINT32_MAX));
  ++count_;
}

int JsonSource::Get() {
  if (pending_null_ > 0) {
    // The rest of "null" in place of a literal: all of it points at the
    // literal's first byte.
    const char c = "null"[4 - pending_null_];
    --pending_null_;
    Remember(literal_line_, literal_column_);
    return c;
  }
  const int c = PeekRaw(0);
  if (c < 0) return -1;
  if (in_string_) {
    if (escaped_) {
      escaped_ = false;
    } else if (c == '\\') {
      escaped_ = true;
    } else if (c == '"') {
      in_string_ = false;
    }
  } else if (c == '"') {
    in_string_ = true;
  } else if (c == 'N' || c == 'I' || c == '-') {
    if (size_t len = NonFiniteLiteral(); len > 0) {
      saw_content_ = true;
      literal_line_ = line_;
      literal_column_ = column_;
      Remember(line_, column_);
      pos_ += len;
      column_ += len;
      pending_null_ = 3;
      return 'n';
    }
  }
  if (c != ' ' && c != '\t' && c != '\r' && c != '\n') saw_content_ = true;
  Remember(line_, column_);
  ++pos_;
  if (c == '\n') {
    ++line_;
    column_ = 1;
  } else {
    ++column_;
  }
  return c;
}

void JsonSource::Where(size_t index, size_t* line, size_t* column) const {
  if (index >= count_) {
    *line = line_;
    *column = column_;
    return;
  }
  if (count_ - index > kHistory) index = count_ - 1;
  *line = hist_line_[index % kHistory];
  *column = hist_col_[index % kHistory];
}

void JsonPath::Push(bool array) {
  frames_.push_back(Frame());
  frames_.back().array = array;
}

void JsonPath::Pop() { frames_.pop_back(); }

void JsonPath::SetKey(const std::string& key) {
  frames_.back().key = key;
  frames_.back().has_key = true;
}

void JsonPath::ValueDone() {
  if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
}

std::string JsonPath::Text() const {
  auto component = [](const Frame& f, bool first) -> std::string {
    if (f.array) return fmt::format("[{}]", f.index);
    if (!f.has_key) return "";
    bool plain =
        !f.key.empty() && std::all_of(f.key.begin(), f.key.end(), [](char c) {
          return IsWordByte(static_cast<unsigned char>(c));
        });
    if (plain) return (first ? "" : ".") + Shorten(f.key, 40);
    return fmt::format("[{}]", Shorten(json(f.key).dump(), 40));
  };
  // A path deeper than a dozen levels only ever comes from nesting abuse:
  // its head and tail say where.
  constexpr size_t kHead = 6, kTail = 3;
  std::string out;
  for (size_t i = 0; i < frames_.size(); ++i) {
    if (frames_.size() > kHead + kTail + 1 && i == kHead) {
      out += "...";
      i = frames_.size() - kTail - 1;
      continue;
    }
    out += component(frames_[i], out.empty());
  }
  return out;
}

void ReadJson(JsonSource& source, const std::string& file, JsonPath* path,
              JsonSink* sink) {
  SaxAdapter sax(source, file, path, sink);
  // Strict: nothing but whitespace may follow the value.
  json::sax_parse(SourceIterator(&source), SourceIterator(), &sax,
                  json::input_format_t::json, /*strict=*/true,
                  /*ignore_comments=*/false);
}

json* JsonBuilder::Add(json&& value) {
  if (stack_.empty()) {
    root_ = std::move(value);
    started_ = true;
    return &root_;
  }
  json& parent = *stack_.back();
  if (parent.is_array()) {
    parent.push_back(std::move(value));
    return &parent.back();
  }
  json& slot = parent[key_];
  slot = std::move(value);
  return &slot;
}

void JsonBuilder::Scalar(json&& value) { Add(std::move(value)); }

void JsonBuilder::BeginObject() { stack_.push_back(Add(json::object())); }

void JsonBuilder::Key(const std::string& key) {
  if (stack_.back()->contains(key)) {
    throw InputError(file_, fmt::format("{}: duplicate key", path_.Text()));
  }
  key_ = key;
}

void JsonBuilder::EndObject() { stack_.pop_back(); }

void JsonBuilder::BeginArray() { stack_.push_back(Add(json::array())); }

void JsonBuilder::EndArray() { stack_.pop_back(); }

json JsonBuilder::Take() {
  json value = std::move(root_);
  root_ = json();
  stack_.clear();
  started_ = false;
  return value;
}

const char* JsonTypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::discarded:
      return "nothing";
    default:
      return "a number";
  }
}

std::string JsonDescribe(const json& v) {
  if (v.is_null() || v.is_structured()) return JsonTypeName(v);
  return fmt::format("{} ({})", JsonTypeName(v), Shorten(v.dump(), 40));
}

}  // namespace relu::report
