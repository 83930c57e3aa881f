#pragma once
// Mailboxes ("Name <local@domain>"): what a person's address is, parsed and checked.
#include <optional>
#include <string>
#include <string_view>

namespace pm {

/// A display name and an address ("Anna Petrova <anna@example.com>").
struct Mailbox {
  std::string name;     ///< UTF-8, may be empty
  std::string address;  ///< addr-spec, ASCII: local@domain
};

/// True when `address` is a plausible addr-spec: dot-atom local part (or a quoted string),
/// '@', a domain of dot-separated LDH labels. No spaces, no control characters.
bool is_valid_address(std::string_view address);

/// Parses "Name <addr>", "\"Name\" <addr>" or a bare "addr". Throws pm::Error naming the
/// text when the address is invalid or the name holds a line break.
Mailbox parse_mailbox(std::string_view text);

/// "Name <addr>" for display in a terminal (no encoding).
std::string to_display(const Mailbox& mailbox);

/// Why `address` is not a usable addr-spec (a sentence), or nullopt when it is.
std::optional<std::string> address_problem(std::string_view address);

/// Why `domain` is not a usable domain name, or nullopt when it is.
std::optional<std::string> domain_problem(std::string_view domain);

}  // namespace pm
