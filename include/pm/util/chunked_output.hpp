#pragma once
// Text written in pieces, for an output too long to hold whole (a busy week's report): the
// writer appends to text() and says where it may be cut; a chunk at a time goes to the sink.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace pm {

/// Receives an output's text in order, in chunks cut where the writer allowed (between JSON
/// tokens, between lines): never inside a UTF-8 sequence or an escape sequence.
using TextSink = std::function<void(std::string_view)>;

class ChunkedOutput {
 public:
  /// Without a sink, everything stays in text().
  explicit ChunkedOutput(TextSink sink = {}) : m_sink(std::move(sink)) {}

  std::string& text() { return m_text; }
  /// Here the text may be cut: a chunk's worth goes to the sink.
  void may_cut() {
    if (m_sink && m_text.size() >= k_chunk) {
      flush();
    }
  }
  /// The end: the rest goes to the sink.
  void finish() {
    if (m_sink && !m_text.empty()) {
      flush();
    }
  }

 private:
  static constexpr std::size_t k_chunk = 64 * 1024;

  void flush() {
    m_sink(m_text);
    m_text.clear();
  }

  TextSink m_sink;
  std::string m_text;
};

}  // namespace pm
