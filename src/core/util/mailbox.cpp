// Mailboxes ("Name <local@domain>"): parsing and checking addresses (RFC 5322 3.4).
#include "pm/util/mailbox.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "pm/util/error.hpp"

namespace pm {
namespace {

constexpr std::size_t k_npos = std::string_view::npos;

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool has_line_break(std::string_view text) { return text.find_first_of("\r\n") != k_npos; }

std::string_view trim(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(" \t");
  if (begin == k_npos) {
    return {};
  }
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

bool is_dot_atom(std::string_view text) {
  static constexpr std::string_view k_atext_symbols = "!#$%&'*+-/=?^_`{|}~";
  return !text.empty() && text.front() != '.' && text.back() != '.' &&
         text.find("..") == k_npos && std::all_of(text.begin(), text.end(), [](char c) {
           return is_alnum(c) || c == '.' || k_atext_symbols.find(c) != k_npos;
         });
}

Error invalid_address(std::string_view text, std::string_view problem) {
  return Error(fmt::format("invalid address {:?}: {}; expected local@domain or NAME <local@domain>",
                           text, problem));
}

}  // namespace

std::optional<std::string> domain_problem(std::string_view domain) {
  if (domain.find('.') == k_npos) {
    return fmt::format("the domain {:?} has no dot; use a full domain such as example.com",
                       domain);
  }
  bool valid = domain.size() <= 253;
  for (std::size_t start = 0; valid && start <= domain.size();) {
    const std::size_t end = std::min(domain.find('.', start), domain.size());
    const std::string_view label = domain.substr(start, end - start);
    valid = !label.empty() && label.size() <= 63 && label.front() != '-' && label.back() != '-' &&
            std::all_of(label.begin(), label.end(), [](char c) { return is_alnum(c) || c == '-'; });
    start = end + 1;
  }
  if (!valid) {
    return fmt::format("the domain {:?} may hold only letters, digits, inner '-' and single dots",
                       domain);
  }
  return std::nullopt;
}

// Why `address` is not a usable addr-spec, or nullopt when it is.
std::optional<std::string> address_problem(std::string_view address) {
  if (std::any_of(address.begin(), address.end(), [](char c) {
        return static_cast<unsigned char>(c) <= ' ' || static_cast<unsigned char>(c) >= 0x7f;
      })) {
    return "spaces, control characters and non-ASCII letters are not allowed in it";
  }
  std::size_t at = address.find('@');
  if (address.starts_with('"')) {
    // A quoted local part may itself hold '@'; the separator follows its closing quote.
    std::size_t pos = 1;
    while (pos < address.size() && address[pos] != '"') {
      pos += address[pos] == '\\' ? 2 : 1;
    }
    at = pos + 1 < address.size() && address[pos + 1] == '@' ? pos + 1 : k_npos;
  } else if (at != k_npos && !is_dot_atom(address.substr(0, at))) {
    return at == 0 ? "nothing comes before '@'"
                   : "the part before '@' may hold only letters, digits, inner single dots and "
                     "!#$%&'*+-/=?^_`{|}~";
  }
  if (at == k_npos) {
    return "it has no '@'";
  }
  if (at > 64) {
    return "the part before '@' is longer than 64 characters";
  }
  const std::string_view domain = address.substr(at + 1);
  if (domain.find('@') != k_npos) {
    return "it has more than one '@'";
  }
  return domain.empty() ? "nothing comes after '@'" : domain_problem(domain);
}

bool is_valid_address(std::string_view address) { return !address_problem(address); }

Mailbox parse_mailbox(std::string_view text) {
  if (has_line_break(text)) {
    throw Error(fmt::format("address {:?} contains a line break; put it on one line", text));
  }
  const std::string_view trimmed = trim(text);
  // The address opens at the first '<' outside a quoted name ("Doe <Jr>" <doe@example.com>).
  std::size_t open = k_npos;
  bool in_quotes = false;
  for (std::size_t i = 0; i < trimmed.size() && open == k_npos; ++i) {
    if (in_quotes && trimmed[i] == '\\') {
      ++i;
    } else if (trimmed[i] == '"') {
      in_quotes = !in_quotes;
    } else if (!in_quotes && trimmed[i] == '<') {
      open = i;
    }
  }
  if (open == k_npos ? in_quotes || trimmed.find('>') != k_npos : !trimmed.ends_with('>')) {
    throw invalid_address(text, "its quotes or angle brackets do not pair up");
  }
  Mailbox mailbox{"", std::string(trimmed)};
  if (open != k_npos) {
    const std::string_view name = trim(trimmed.substr(0, open));
    mailbox.address = trim(trimmed.substr(open + 1, trimmed.size() - open - 2));
    mailbox.name = name;  // an unquoted name is kept as written; encode_mailbox quotes it
    if (name.size() >= 2 && name.starts_with('"') && name.ends_with('"')) {
      mailbox.name.clear();
      for (std::size_t i = 1; i + 1 < name.size(); ++i) {
        i += name[i] == '\\' && i + 2 < name.size() ? 1 : 0;
        mailbox.name += name[i];
      }
    }
  }
  if (auto problem = address_problem(mailbox.address)) {
    throw invalid_address(text, *problem);
  }
  return mailbox;
}

std::string to_display(const Mailbox& mailbox) {
  return mailbox.name.empty() ? mailbox.address : mailbox.name + " <" + mailbox.address + ">";
}

}  // namespace pm
