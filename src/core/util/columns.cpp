#include "pm/util/columns.hpp"

#include <algorithm>

namespace pm {

namespace {

/// The code point at `text[i]` and its length in bytes; a byte that starts no valid UTF-8
/// sequence is itself, one byte long. Inlined: measuring a long table's cells calls it for
/// every letter of a Cyrillic text.
[[gnu::always_inline]] inline std::pair<char32_t, std::size_t> decode(std::string_view text,
                                                                     std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (length <= 1 || i + length > text.size()) {
    return {c, 1};
  }
  char32_t cp = c & (0xFF >> (length + 1));
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      return {c, 1};
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  return {cp, length};
}

std::size_t columns_of(char32_t cp) {
  struct Range {
    char32_t first;
    char32_t last;
  };
  static const Range k_zero[] = {{0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD},
                                 {0x200B, 0x200F}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F},
                                 {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}};
  static const Range k_wide[] = {{0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},
                                 {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
                                 {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE30, 0xFE4F},
                                 {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
                                 {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD}};
  // The ranges are in order: the search stops at the first that starts after `cp` (Latin and
  // Cyrillic text is decided in a comparison or three, not 22).
  auto in = [cp](const auto& ranges) {
    for (const Range& r : ranges) {
      if (cp < r.first) {
        return false;
      }
      if (cp <= r.last) {
        return true;
      }
    }
    return false;
  };
  return in(k_zero) ? 0 : in(k_wide) ? 2 : 1;
}

/// The length of the colour sequence at `text[i]` ("\033[...m"), 0 when there is none.
std::size_t escape_length(std::string_view text, std::size_t i) {
  if (text[i] != '\033' || i + 1 >= text.size() || text[i + 1] != '[') {
    return 0;
  }
  std::size_t end = text.find('m', i + 2);
  return end == std::string_view::npos ? 0 : end - i + 1;
}

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {  // printable ASCII: one column, nothing to decode
      ++width;
      ++i;
      continue;
    }
    if (std::size_t n = escape_length(text, i)) {
      i += n;
      continue;
    }
    auto [cp, length] = decode(text, i);
    width += columns_of(cp);
    i += length;
  }
  return width;
}

std::string cut_to_width(std::string_view text, std::size_t width) {
  if (display_width(text) <= width) {
    return std::string(text);
  }
  if (width == 0) {
    return {};
  }
  std::string out;
  std::size_t used = 0;
  bool coloured = false;
  for (std::size_t i = 0; i < text.size();) {
    if (std::size_t n = escape_length(text, i)) {
      out.append(text.substr(i, n));
      coloured = true;
      i += n;
      continue;
    }
    auto [cp, length] = decode(text, i);
    std::size_t w = columns_of(cp);
    if (used + w > width - 1) {
      break;  // leave a column for the ellipsis
    }
    out.append(text.substr(i, length));
    used += w;
    i += length;
  }
  out += "\u2026";
  if (coloured) {
    out += "\033[0m";
  }
  return out;
}

std::vector<std::size_t> fit_widths(std::vector<std::size_t> widths, std::size_t gap,
                                    std::size_t limit, std::size_t narrowest) {
  if (limit == 0 || widths.empty()) {
    return widths;
  }
  const std::size_t gaps = gap * (widths.size() - 1);
  auto capped_total = [&](std::size_t cap) {
    std::size_t sum = gaps;
    for (std::size_t w : widths) {
      sum += std::min(w, std::max(cap, narrowest));
    }
    return sum;
  };
  std::size_t cap = *std::max_element(widths.begin(), widths.end());
  if (capped_total(cap) <= limit) {
    return widths;
  }
  // The widest columns are cut to one width (so two long ones share the cut), the largest
  // that fits; the columns left by the rounding go to the rightmost cut ones.
  while (cap > narrowest && capped_total(cap) > limit) {
    --cap;
  }
  std::size_t spare = limit > capped_total(cap) ? limit - capped_total(cap) : 0;
  for (auto it = widths.rbegin(); it != widths.rend(); ++it) {
    if (*it > cap) {
      std::size_t extra = std::min(spare, *it - cap);
      *it = cap + extra;
      spare -= extra;
    }
  }
  return widths;
}

}  // namespace pm
