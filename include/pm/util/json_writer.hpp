#pragma once
// Writing JSON as it is produced: a report of a busy week is written without a Json tree of it,
// or the whole text, in memory. The bytes are dump_json(json, indent)'s for the same document
// after printable_text: strings are escaped for a terminal in the same pass (C1 controls and
// DEL as \u00xx, invalid UTF-8 as U+FFFD), so the output needs no second pass and stays JSON.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pm/util/chunked_output.hpp"

namespace pm {

class JsonWriter {
 public:
  /// Appends to `out`; `indent` as dump_json's (-1: compact).
  explicit JsonWriter(std::string& out, int indent = 2) : m_out(out), m_indent(indent) {}
  /// Appends to `out`'s text, which may be cut before any value.
  explicit JsonWriter(ChunkedOutput& out, int indent = 2)
      : m_out(out.text()), m_chunks(&out), m_indent(indent) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  /// The next member's key (inside an object): a name of the document's own, ASCII letters,
  /// digits and '_' (written without escaping).
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(bool flag);
  JsonWriter& null();
  /// The text, or null when it is empty.
  JsonWriter& text_or_null(std::string_view text);
  template <typename T>
  JsonWriter& value(const std::optional<T>& v) {
    return v ? value(*v) : null();
  }

  /// key(name).value(v) in one call.
  template <typename T>
  JsonWriter& member(std::string_view name, const T& v) {
    return key(name).value(v);
  }

 private:
  /// Before a value or an opening bracket: the comma and line break it needs.
  void separate();
  void open(char bracket);
  void close(char bracket);
  void newline(std::size_t depth);

  std::string& m_out;
  ChunkedOutput* m_chunks = nullptr;
  int m_indent;
  /// Per open container: how many members or elements it has so far.
  std::vector<std::size_t> m_counts;
  bool m_after_key = false;
};

}  // namespace pm
