#pragma once
// The words pm writes to clients, in each language it speaks (en, ru): one table, one row a
// phrase, so a missing translation is caught by a test rather than by a client.
#include <string>
#include <string_view>
#include <vector>

namespace pm {

struct Phrase {
  const char* key;
  const char* en;
  const char* ru;
};

/// Every phrase.
const std::vector<Phrase>& phrases();

/// The phrase `key` in `language` (English for a language pm does not know). Throws
/// std::logic_error for an unknown key: that is a bug in pm, not bad input.
std::string word(std::string_view key, std::string_view language);

/// "+8 days", "-1 day", "+8 дн."; empty for 0.
std::string days_text(int days, std::string_view language);

}  // namespace pm
