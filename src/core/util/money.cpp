#include "pm/util/money.hpp"
#include "pm/util/text.hpp"

#include <array>
#include <cctype>
#include <vector>

namespace pm {

namespace {

constexpr std::string_view k_nbsp = "\xC2\xA0";  // U+00A0 NO-BREAK SPACE

/// Spaces that group digits: ' ', U+00A0, U+2009 THIN SPACE, U+202F NARROW NO-BREAK SPACE.
std::size_t space_at(std::string_view text, std::size_t i) {
  if (text[i] == ' ') {
    return 1;
  }
  for (std::string_view s : {k_nbsp, std::string_view("\xE2\x80\x89"), std::string_view("\xE2\x80\xAF")}) {
    if (text.substr(i, s.size()) == s) {
      return s.size();
    }
  }
  return 0;
}

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && space_at(text, 0) != 0) {
    text.remove_prefix(space_at(text, 0));
  }
  for (;;) {
    bool trimmed = false;
    for (std::size_t n : {1, 2, 3}) {
      if (text.size() >= n && space_at(text, text.size() - n) == n) {
        text.remove_suffix(n);
        trimmed = true;
        break;
      }
    }
    if (!trimmed) {
      return text;
    }
  }
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

struct Sign {
  std::string_view text;
  const char* code;
};
constexpr std::array<Sign, 7> k_signs = {{{"\xE2\x82\xBD", "RUB"},  // ₽
                                          {"$", "USD"},
                                          {"\xE2\x82\xAC", "EUR"},  // €
                                          {"\xC2\xA3", "GBP"},      // £
                                          {"\xD1\x80\xD1\x83\xD0\xB1.", "RUB"},  // руб.
                                          {"\xD1\x80\xD1\x83\xD0\xB1", "RUB"},   // руб
                                          {"\xD1\x80.", "RUB"}}};                // р.

const char* sign_of(std::string_view code) {
  for (const auto& s : {Sign{"\xE2\x82\xBD", "RUB"}, Sign{"$", "USD"}, Sign{"\xE2\x82\xAC", "EUR"},
                        Sign{"\xC2\xA3", "GBP"}}) {
    if (code == s.code) {
      return s.text.data();
    }
  }
  return nullptr;
}

bool is_code(std::string_view text) {
  return text.size() == 3 && std::isalpha(static_cast<unsigned char>(text[0])) &&
         std::isalpha(static_cast<unsigned char>(text[1])) &&
         std::isalpha(static_cast<unsigned char>(text[2]));
}

std::string upper(std::string_view code) {
  std::string out(code);
  for (auto& c : out) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

namespace {

/// parse_decimal; `lone_groups`: a lone ',' or '.' before exactly three digits after at most
/// three ("1,500") groups them instead of being refused as ambiguous.
std::optional<Decimal> read_decimal(std::string_view text, bool lone_groups) {
  text = trim_spaces(text);
  Decimal d;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    d.negative = text[0] == '-';
    text.remove_prefix(1);
  } else if (text.substr(0, 3) == "\xE2\x88\x92") {  // U+2212 MINUS SIGN
    d.negative = true;
    text.remove_prefix(3);
  }
  // Runs of digits and the separators between them: ' ' stands for every kind of space.
  std::vector<std::string> runs;
  std::vector<char> separators;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t start = i;
    while (i < text.size() && is_digit(text[i])) {
      ++i;
    }
    if (i == start) {
      return std::nullopt;  // a separator first, two in a row, or not a digit at all
    }
    runs.emplace_back(text.substr(start, i - start));
    if (i == text.size()) {
      break;
    }
    if (text[i] == '.' || text[i] == ',') {
      separators.push_back(text[i]);
      ++i;
    } else if (std::size_t n = space_at(text, i); n != 0) {
      separators.push_back(' ');
      i += n;
    } else {
      return std::nullopt;
    }
    if (i == text.size()) {
      return std::nullopt;  // "1500."
    }
  }
  if (runs.empty()) {
    return std::nullopt;
  }
  // The decimal separator: the last '.' or ',' when it is the only one of its kind. A lone one
  // before exactly three digits ("1,500": 1500 or 1.5?) is refused rather than guessed.
  std::optional<std::size_t> decimal;
  if (!separators.empty() && separators.back() != ' ') {
    const char last = separators.back();
    std::size_t same = 0;
    bool other_punct = false;
    for (char s : separators) {
      same += s == last ? 1 : 0;
      other_punct = other_punct || (s != last && s != ' ');
    }
    if (same == 1) {
      const bool could_group = runs.back().size() == 3 && !other_punct &&
                               runs[runs.size() - 2].size() <= 3;
      if (could_group && !lone_groups) {
        return std::nullopt;
      }
      if (!could_group) {
        decimal = separators.size() - 1;
      }
    }
  }
  const std::size_t whole_runs = decimal ? *decimal + 1 : runs.size();
  if (whole_runs > 1) {
    // Grouping: one kind of separator, a first group of 1-3 digits, then groups of three.
    for (std::size_t k = 0; k + 1 < whole_runs; ++k) {
      if (separators[k] != separators[0]) {
        return std::nullopt;
      }
    }
    if (runs[0].size() > 3) {
      return std::nullopt;
    }
    for (std::size_t k = 1; k < whole_runs; ++k) {
      if (runs[k].size() != 3) {
        return std::nullopt;
      }
    }
  }
  for (std::size_t k = 0; k < whole_runs; ++k) {
    d.whole += runs[k];
  }
  if (decimal) {
    d.fraction = runs.back();
  }
  d.whole.erase(0, std::min(d.whole.find_first_not_of('0'), d.whole.size() - 1));
  if (d.whole.size() > 15 || d.fraction.size() > 6) {
    return std::nullopt;
  }
  return d;
}

/// Currencies whose minor unit has three digits (ISO 4217): "1.500 KWD" is not 1500.
bool three_decimals(std::string_view code) {
  for (std::string_view c : {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"}) {
    if (code == c) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<Decimal> parse_decimal(std::string_view text) { return read_decimal(text, false); }

std::string format_number(const Decimal& number, std::string_view language) {
  const bool ru = language == "ru";
  std::string out = number.negative ? "-" : "";
  // Russian typography leaves four-digit numbers whole ("1500"), English groups them.
  out += number.whole.size() > (ru ? 4u : 3u) ? grouped_digits(number.whole, ru ? k_nbsp : ",")
                                              : number.whole;
  if (!number.fraction.empty()) {
    out += (ru ? "," : ".") + number.fraction;
  }
  return out;
}

std::optional<Money> parse_money(std::string_view text) {
  text = trim_spaces(text);
  Money m;
  auto take_sign = [&](bool front) {
    for (const auto& s : k_signs) {
      if (text.size() > s.text.size() &&
          (front ? text.substr(0, s.text.size()) : text.substr(text.size() - s.text.size())) ==
              s.text) {
        m.currency = s.code;
        front ? text.remove_prefix(s.text.size()) : text.remove_suffix(s.text.size());
        return true;
      }
    }
    if (text.size() > 3) {
      std::string_view code = front ? text.substr(0, 3) : text.substr(text.size() - 3);
      std::size_t beside = front ? 3 : text.size() - 4;
      if (is_code(code) && !std::isalpha(static_cast<unsigned char>(text[beside]))) {
        m.currency = upper(code);
        front ? text.remove_prefix(3) : text.remove_suffix(3);
        return true;
      }
    }
    return false;
  };
  if (!take_sign(true)) {
    take_sign(false);
  }
  // Money has two decimals in most currencies, so "$1,500" is fifteen hundred dollars.
  std::optional<Decimal> amount =
      read_decimal(text, !m.currency.empty() && !three_decimals(m.currency));
  if (!amount) {
    return std::nullopt;
  }
  m.amount = *amount;
  return m;
}

std::string format_money(const Money& money, std::string_view language) {
  const bool ru = language == "ru";
  std::string digits = grouped_digits(money.amount.whole, ru ? k_nbsp : ",");
  std::string fraction = money.amount.fraction;
  while (fraction.size() < 2) {
    fraction += '0';
  }
  digits += (ru ? "," : ".") + fraction;
  const std::string minus = money.amount.negative ? "-" : "";
  const char* sign = sign_of(money.currency);
  if (money.currency.empty()) {
    return minus + digits;
  }
  if (ru) {
    return minus + digits + std::string(k_nbsp) + (sign != nullptr ? sign : money.currency);
  }
  // English: "$1,500.00", but "RUB 150,000.00": the rouble sign is not one an English reader
  // knows at a glance.
  if (sign != nullptr && money.currency != "RUB") {
    return minus + sign + digits;
  }
  return minus + money.currency + std::string(k_nbsp) + digits;
}

bool is_currency_code(std::string_view text) { return is_code(text); }

std::string format_money(std::string_view amount, std::string_view currency,
                         std::string_view language) {
  std::optional<Decimal> d = parse_decimal(amount);
  if (!d) {
    return std::string(amount) + (currency.empty() ? "" : " " + std::string(currency));
  }
  return format_money(Money{*d, std::string(currency)}, language);
}

std::string quoted(std::string_view text, std::string_view language) {
  const bool ru = language == "ru";
  const std::string_view open = ru ? "\xC2\xAB" : "\xE2\x80\x9C";         // « “
  const std::string_view close = ru ? "\xC2\xBB" : "\xE2\x80\x9D";        // » ”
  const std::string_view inner_open = ru ? "\xE2\x80\x9E" : "\xE2\x80\x98";   // „ ‘
  const std::string_view inner_close = ru ? "\xE2\x80\x9C" : "\xE2\x80\x99";  // “ ’
  // Every opening quote mark pm knows, and every closing one (Russian „ closes with “, which
  // English opens with: the position decides, as for straight quotes).
  const std::array<std::string_view, 3> opening = {"\xC2\xAB", "\xE2\x80\x9E", "\xE2\x80\x98"};
  const std::array<std::string_view, 3> closing = {"\xC2\xBB", "\xE2\x80\x9D", "\xE2\x80\x99"};
  const std::string_view ambiguous = "\xE2\x80\x9C";  // “: English open, Russian inner close
  std::string out(open);
  int depth = 0;
  std::size_t i = 0;
  auto starts_word = [&](std::size_t at) {
    return at == 0 || text[at - 1] == ' ' || text[at - 1] == '(' || text[at - 1] == '[' ||
           text[at - 1] == '\n';
  };
  auto match = [&](const auto& marks) -> std::size_t {
    for (std::string_view m : marks) {
      if (text.substr(i, m.size()) == m) {
        return m.size();
      }
    }
    return 0;
  };
  while (i < text.size()) {
    std::size_t n = 0;
    if ((n = match(opening)) != 0) {
      out += inner_open;
      ++depth;
    } else if ((n = match(closing)) != 0) {
      out += inner_close;
      depth = depth > 0 ? depth - 1 : 0;
    } else if (text[i] == '"' || text.substr(i, ambiguous.size()) == ambiguous) {
      n = text[i] == '"' ? 1 : ambiguous.size();
      bool opens = depth == 0 || starts_word(i);
      out += opens ? inner_open : inner_close;
      depth += opens ? 1 : -1;
    } else {
      n = 1;
      out += text[i];
    }
    i += n;
  }
  out += close;
  return out;
}

}  // namespace pm
