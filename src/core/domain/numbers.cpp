#include "pm/domain/numbers.hpp"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "pm/util/error.hpp"

namespace pm {

namespace {

std::string lowered(std::string text) {
  for (auto& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

/// A positive number spelled out in `text`, or 0.
std::int64_t positive(const std::string& text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && value > 0 ? value : 0;
}

std::string plural(const std::string& kind) { return kind + "s"; }

[[noreturn]] void bad_reference(const std::string& text) {
  throw Error(fmt::format("'{}' names no entry: give E17 (entry 17 of the ledger), A3, C2, R1 "
                          "or D4 (agreement 3, change 2, risk 1, decision 4), or 'agreement 3'",
                          text),
              Exit::usage);
}

}  // namespace

std::string listing_command(const std::string& kind) {
  if (kind == "agreement") {
    return "pm agreements";
  }
  if (kind == "change") {
    return "pm change list";
  }
  if (kind == "risk") {
    return "pm risk list";
  }
  if (kind == "meeting") {
    return "pm meetings";
  }
  if (kind == "question") {
    return "pm question list --all";
  }
  return "pm log --kind " + kind;
}

Entry numbered_entry(Ledger& ledger, const std::string& kind, std::int64_t number) {
  auto e = ledger.find_numbered(kind, number);
  if (!e) {
    throw Error(fmt::format("there is no {} {}; `{}` shows the {}", kind, number,
                            listing_command(kind), plural(kind)));
  }
  return *e;
}

void require_kind(const Entry& entry, const std::string& kind) {
  if (entry.kind != kind) {
    throw Error(fmt::format("entry {} is {}, not {}; `{}` shows the {}", entry.id,
                            kind_with_article(entry.kind), kind_with_article(kind),
                            listing_command(kind), plural(kind)));
  }
}

Entry find_reference(Ledger& ledger, const std::string& text) {
  std::string t = lowered(text);
  if (auto space = t.find(' '); space != std::string::npos) {
    std::string kind = t.substr(0, space);
    std::int64_t number = positive(t.substr(space + 1));
    if (kind == "entry" && number != 0) {
      t = "e" + std::to_string(number);
    } else if (!is_numbered_kind(kind) || number == 0) {
      bad_reference(text);
    } else {
      return numbered_entry(ledger, kind, number);
    }
  }
  if (t.size() < 2) {
    bad_reference(text);
  }
  std::int64_t number = positive(t.substr(1));
  if (number == 0) {
    bad_reference(text);
  }
  if (t[0] == 'e') {
    auto e = ledger.find(number);
    if (!e) {
      throw Error(fmt::format("there is no entry {}; `pm log` lists the entries", number));
    }
    return *e;
  }
  for (const auto& k : entry_kinds()) {
    if (k.prefix != nullptr && lowered(k.prefix) == t.substr(0, 1)) {
      return numbered_entry(ledger, k.name, number);
    }
  }
  bad_reference(text);
}

std::string reference_of(const Entry& entry) {
  const EntryKind* k = find_entry_kind(entry.kind);
  if (k != nullptr && k->prefix != nullptr && entry.number != 0) {
    return fmt::format("{}{}", k->prefix, entry.number);
  }
  return fmt::format("E{}", entry.id);
}

}  // namespace pm
