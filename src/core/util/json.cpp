// What dump_json prints, without a Json: escaping a string as it does, and telling whether a
// text is already exactly what it would print (so `pm export` can copy stored data).
#include "pm/util/json.hpp"

#include <vector>

#include "pm/util/check.hpp"

namespace pm {

void append_json_escape(std::string& out, unsigned code) {
  static constexpr char hex[] = "0123456789abcdef";
  switch (code) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\b': out += "\\b"; break;
    case '\t': out += "\\t"; break;
    case '\n': out += "\\n"; break;
    case '\f': out += "\\f"; break;
    case '\r': out += "\\r"; break;
    default:
      out += "\\u00";
      out += hex[(code >> 4) & 0xF];
      out += hex[code & 0xF];
  }
}

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') {
      continue;
    }
    out.append(text.substr(start, i - start));
    start = i + 1;
    append_json_escape(out, c);
  }
  out.append(text.substr(start));
  out += '"';
}

namespace {

/// The checker behind is_canonical_json: a recursive descent over UTF-8 text that accepts only
/// the one form dump_json prints. Deeper than k_max_depth or an object wider than k_max_keys
/// answers false (the caller parses and dumps instead).
class CanonicalJson {
 public:
  explicit CanonicalJson(std::string_view text) : m_text(text) {}

  bool check() { return value(0) && m_at == m_text.size(); }

 private:
  static constexpr int k_max_depth = 256;
  static constexpr std::size_t k_max_keys = 64;  // more: not worth checking pairwise here

  bool eat(char c) {
    if (m_at < m_text.size() && m_text[m_at] == c) {
      ++m_at;
      return true;
    }
    return false;
  }

  bool word(std::string_view w) {
    if (m_text.substr(m_at, w.size()) == w) {
      m_at += w.size();
      return true;
    }
    return false;
  }

  bool value(int depth) {
    if (m_at >= m_text.size() || depth > k_max_depth) {
      return false;
    }
    switch (m_text[m_at]) {
      case '{': return object(depth);
      case '[': return array(depth);
      case '"': return string();
      case 't': return word("true");
      case 'f': return word("false");
      case 'n': return word("null");
      default: return number();
    }
  }

  bool object(int depth) {
    ++m_at;
    if (eat('}')) {
      return true;
    }
    const std::size_t first = m_keys.size();
    do {
      const std::size_t start = m_at;
      if (m_at >= m_text.size() || m_text[m_at] != '"' || !string()) {
        return false;
      }
      const std::string_view key = m_text.substr(start, m_at - start);
      // One escaped form per string: equal keys are equal texts.
      for (std::size_t k = first; k < m_keys.size(); ++k) {
        if (m_keys[k] == key) {
          return false;
        }
      }
      if (m_keys.size() - first >= k_max_keys) {
        return false;
      }
      m_keys.push_back(key);
      if (!eat(':') || !value(depth + 1)) {
        return false;
      }
    } while (eat(','));
    m_keys.resize(first);
    return eat('}');
  }

  bool array(int depth) {
    ++m_at;
    if (eat(']')) {
      return true;
    }
    do {
      if (!value(depth + 1)) {
        return false;
      }
    } while (eat(','));
    return eat(']');
  }

  bool string() {
    ++m_at;  // the opening quote
    while (m_at < m_text.size()) {
      const auto c = static_cast<unsigned char>(m_text[m_at++]);
      if (c == '"') {
        return true;
      }
      if (c < 0x20) {
        return false;
      }
      if (c != '\\') {
        continue;
      }
      if (m_at >= m_text.size()) {
        return false;
      }
      const char e = m_text[m_at++];
      if (e == '"' || e == '\\' || e == 'b' || e == 't' || e == 'n' || e == 'f' || e == 'r') {
        continue;
      }
      // Only \u00xx for a control character without a short name, in lower-case hex.
      if (e != 'u' || m_at + 4 > m_text.size() || m_text[m_at] != '0' ||
          m_text[m_at + 1] != '0') {
        return false;
      }
      const char hi = m_text[m_at + 2];
      const char lo = m_text[m_at + 3];
      const int low = lo >= '0' && lo <= '9' ? lo - '0' : lo >= 'a' && lo <= 'f' ? lo - 'a' + 10 : -1;
      if ((hi != '0' && hi != '1') || low < 0) {
        return false;
      }
      const int code = (hi - '0') * 16 + low;
      if (code == '\b' || code == '\t' || code == '\n' || code == '\f' || code == '\r') {
        return false;
      }
      m_at += 4;
    }
    return false;
  }

  bool number() {
    const bool negative = eat('-');
    const std::size_t start = m_at;
    if (eat('0')) {
      if (negative) {
        return false;  // -0 comes back as 0
      }
    } else {
      while (m_at < m_text.size() && m_text[m_at] >= '0' && m_text[m_at] <= '9') {
        ++m_at;
      }
    }
    const std::size_t digits = m_at - start;
    if (digits == 0 || (m_text[start] == '0' && digits > 1)) {
      return false;
    }
    // Any 18 digits fit an int64_t, 19 a uint64_t; a fraction or an exponent is a double.
    if (digits > (negative ? 18u : 19u)) {
      return false;
    }
    return m_at >= m_text.size() ||
           (m_text[m_at] != '.' && m_text[m_at] != 'e' && m_text[m_at] != 'E' &&
            (m_text[m_at] < '0' || m_text[m_at] > '9'));
  }

  std::string_view m_text;
  std::size_t m_at = 0;
  std::vector<std::string_view> m_keys;
};

}  // namespace

bool is_canonical_json(std::string_view text) {
  return valid_utf8(text) && CanonicalJson(text).check();
}

}  // namespace pm
