// Streaming JSON reading shared by every input parser: Google Benchmark's
// non-finite literals, a nesting limit, number overflow, and errors that name
// the line, column and JSON path.
#ifndef RELU_REPORT_JSON_INPUT_H_
#define RELU_REPORT_JSON_INPUT_H_

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace relu::report {

// Deepest nesting of arrays and objects an input may have. Benchmark,
// semantics and claims files nest four levels at most; the limit keeps every
// recursive walk of a parsed value (dump, comparison) far from the end of the
// stack, where 100k levels used to crash the tool.
inline constexpr int kMaxJsonDepth = 64;

// Bytes of a JSON input, from memory or a file descriptor, as the parser sees
// them: Google Benchmark writes non-finite doubles as bare NaN, Infinity and
// -Infinity, which are not JSON, so outside strings they read as null. It
// remembers where recent bytes came from, so errors point at the line and
// column of the file as written, without a copy of the text.
class JsonSource {
 public:
  // `text` must outlive the source.
  explicit JsonSource(std::string_view text);
  // Reads `fd` (not closed here) in blocks; a read error throws InputError
  // naming `file`.
  JsonSource(int fd, std::string file);
  JsonSource(const JsonSource&) = delete;
  JsonSource& operator=(const JsonSource&) = delete;

  // The next byte, or -1 at the end.
  int Get();

  // Bytes handed to the parser so far.
  size_t Count() const { return count_; }
  // Line and column (1-based) of the byte at `index` (as counted by Count);
  // the end of input for an index at or past Count(), or the most recent byte
  // when `index` is older than the few remembered.
  void Where(size_t index, size_t* line, size_t* column) const;
  // Whether anything but whitespace was read: tells an empty file from
  // malformed JSON.
  bool SawContent() const { return saw_content_; }

 private:
  // Makes at least `want` unread bytes available, or all that remain.
  void Fill(size_t want);
  // The next byte of the original text, -1 at the end.
  int PeekRaw(size_t ahead);
  // Length of a non-finite literal at the read position, or 0.
  size_t NonFiniteLiteral();
  void Remember(size_t line, size_t column);

  int fd_ = -1;
  std::string file_;
  std::string_view text_;  // memory source, or the unread part of buffer_
  std::vector<char> buffer_;
  size_t pos_ = 0;    // read position in text_
  bool eof_ = false;  // fd source: nothing more to read
  bool in_string_ = false;
  bool escaped_ = false;  // previous byte was a backslash inside a string
  bool saw_content_ = false;
  size_t pending_null_ = 0;       // bytes of "null" still to hand out
  size_t line_ = 1, column_ = 1;  // of the next original byte
  size_t count_ = 0;
  // Positions of the last kHistory bytes handed out, by Count() modulo.
  static constexpr size_t kHistory = 16;
  uint32_t hist_line_[kHistory] = {};
  uint32_t hist_col_[kHistory] = {};
  size_t literal_line_ = 1, literal_column_ = 1;  // of a replaced literal
};

// Where a parser is in a document: "benchmarks[3].real_time".
class JsonPath {
 public:
  // Entering an object or array, leaving it, a key, a finished value.
  void Push(bool array);
  void Pop();
  void SetKey(const std::string& key);
  void ValueDone();
  size_t Depth() const { return frames_.size(); }
  // Index of the current element of the innermost array.
  size_t Index() const { return frames_.back().index; }
  const std::string& Key() const { return frames_.back().key; }
  // The path as text, shortened past a few levels so a message stays one
  // readable line; "" at the top level.
  std::string Text() const;

 private:
  struct Frame {
    bool array = false;
    bool has_key = false;
    size_t index = 0;
    std::string key;
  };
  std::vector<Frame> frames_;
};

// Receives what the reader finds, with the reader's path already moved to the
// value. Any method may throw InputError to stop reading.
class JsonSink {
 public:
  virtual ~JsonSink() = default;
  // A scalar: null (also for NaN and Infinity), boolean, number or string.
  virtual void Scalar(nlohmann::json&& value) = 0;
  virtual void BeginObject() = 0;
  // `key` within the innermost object; the path already ends with it.
  virtual void Key(const std::string& key) = 0;
  virtual void EndObject() = 0;
  virtual void BeginArray() = 0;
  virtual void EndArray() = 0;
};

// Reads one JSON document from `source` into `sink`, tracking `*path`. Syntax
// errors, numbers beyond a double, nesting deeper than kMaxJsonDepth, and an
// empty input throw InputError naming `file`, with line, column and path.
void ReadJson(JsonSource& source, const std::string& file, JsonPath* path,
              JsonSink* sink);

// Builds a value from the events it receives; rejects duplicate keys, since
// which of two values a reader keeps is not defined by JSON.
class JsonBuilder : public JsonSink {
 public:
  JsonBuilder(const std::string& file, const JsonPath& path)
      : file_(file), path_(path) {}
  void Scalar(nlohmann::json&& value) override;
  void BeginObject() override;
  void Key(const std::string& key) override;
  void EndObject() override;
  void BeginArray() override;
  void EndArray() override;
  // Whether the outermost value is complete.
  bool Done() const { return started_ && stack_.empty(); }
  // Takes the value and resets the builder for the next one.
  nlohmann::json Take();

 private:
  nlohmann::json* Add(nlohmann::json&& value);
  const std::string& file_;
  const JsonPath& path_;
  nlohmann::json root_;
  std::vector<nlohmann::json*> stack_;
  std::string key_;
  bool started_ = false;
};

// "a string", "an object", ...: how messages name a value's type.
const char* JsonTypeName(const nlohmann::json& v);
// The type and, for a scalar, the value, short enough for one line:
// `a string ("x")`, `a number (1e+300)`, `null`, `an array`.
std::string JsonDescribe(const nlohmann::json& v);

}  // namespace relu::report

#endif  // RELU_REPORT_JSON_INPUT_H_
