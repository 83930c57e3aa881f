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

/// Which of a language's plural forms a count takes (CLDR rules for whole numbers):
/// English 0 "one" (1) or 1 "other"; Russian 0 "one" (1, 21, 101), 1 "few" (2-4, 22-24) or
/// 2 "many" (0, 5-20, 25-30, 111). Negative counts take the form of their absolute value.
int plural_form(long long count, std::string_view language);

/// "4 рабочих часа": `count` and the form of `forms` ("час|часа|часов" in Russian,
/// "hour|hours" in English, separated by '|') that plural_form chooses. With fewer forms than
/// the language has, the last one stands in. A count that is not a whole number ("1.5",
/// "") takes the last form.
std::string plural_text(std::string_view count, std::string_view forms, std::string_view language);

}  // namespace pm
