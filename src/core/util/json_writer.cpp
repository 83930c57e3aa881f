#include "pm/util/json_writer.hpp"

#include <algorithm>
#include <cassert>

#include <fmt/format.h>

#include "pm/util/check.hpp"

namespace pm {

void JsonWriter::newline(std::size_t depth) {
  if (m_indent >= 0) {
    m_out += '\n';
    m_out.append(depth * static_cast<std::size_t>(m_indent), ' ');
  }
}

void JsonWriter::separate() {
  if (m_after_key) {  // the key wrote the separator
    m_after_key = false;
    return;
  }
  if (m_chunks != nullptr) {
    m_chunks->may_cut();
  }
  if (m_counts.empty()) {
    return;
  }
  if (m_counts.back()++ > 0) {
    m_out += ',';
  }
  newline(m_counts.size());
}

void JsonWriter::open(char bracket) {
  separate();
  m_out += bracket;
  m_counts.push_back(0);
}

void JsonWriter::close(char bracket) {
  const std::size_t count = m_counts.back();
  m_counts.pop_back();
  if (count > 0) {  // an empty container is [] or {}, as dump prints it
    newline(m_counts.size());
  }
  m_out += bracket;
}

JsonWriter& JsonWriter::begin_object() {
  open('{');
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  close('}');
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  open('[');
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  close(']');
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  // Names are the document's own (ASCII words): written as they are, not scanned.
  assert(std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }));
  m_out += '"';
  m_out += name;
  m_out += '"';
  m_out += m_indent >= 0 ? ": " : ":";
  m_after_key = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  separate();
  // An older ledger may hold bytes that are not UTF-8, or controls: made safe here.
  append_printable_json_string(m_out, text);
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t number) {
  separate();
  fmt::format_to(std::back_inserter(m_out), "{}", number);
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  separate();
  m_out += flag ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  separate();
  m_out += "null";
  return *this;
}

JsonWriter& JsonWriter::text_or_null(std::string_view text) {
  return text.empty() ? null() : value(text);
}

}  // namespace pm
