#include "pm/util/text.hpp"

#include <algorithm>
#include <cctype>

namespace pm {

std::string trimmed(std::string_view text) {
  auto b = text.find_first_not_of(" \t\r\n");
  auto e = text.find_last_not_of(" \t\r\n");
  return b == std::string_view::npos ? std::string() : std::string(text.substr(b, e - b + 1));
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) {
      out += separator;
    }
    out += item;
  }
  return out;
}

std::string join_json(const Json& list) {
  std::string out;
  if (list.is_array()) {
    for (const auto& item : list) {
      if (!out.empty()) {
        out += ", ";
      }
      out += item.get<std::string>();
    }
  }
  return out;
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string ascii_lower(std::string text) {
  for (auto& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

std::string fold_case(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (c == 0xD0 && next >= 0x90 && next <= 0x9F) {  // А..П -> а..п
      out += '\xD0';
      out += static_cast<char>(next + 0x20);
      ++i;
    } else if (c == 0xD0 && next >= 0xA0 && next <= 0xAF) {  // Р..Я -> р..я
      out += '\xD1';
      out += static_cast<char>(next - 0x20);
      ++i;
    } else if (c == 0xD0 && next == 0x81) {  // Ё -> ё
      out += "\xD1\x91";
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string grouped_digits(const std::string& digits, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) {
      out += separator;
    }
    out += digits[i];
  }
  return out;
}

}  // namespace pm
