#pragma once
// Numbers and money as a reader of each language expects them: "RUB 150,000.50" in English,
// «150 000,50 ₽» in Russian. Amounts stay decimal text from input to letter (never a binary
// floating point number), so what was entered is what the client reads.
#include <optional>
#include <string>
#include <string_view>

namespace pm {

/// A decimal number as digits: "-1500.5" is {negative, "1500", "5"}.
struct Decimal {
  bool negative = false;
  std::string whole;     ///< digits, no leading zeros (but "0")
  std::string fraction;  ///< digits after the separator, as entered; may be empty
};

/// Reads "1500", "1500,50", "1500.50", "1 500,50", "150,000.50", "1 500" (spaces, no-break
/// and thin spaces group digits, as do ',' and '.' when the other one or the same one again
/// follows). A lone ',' or '.' between at most three digits and exactly three ("1,500": 1500
/// or 1.5?) is refused rather than guessed. Empty when `text` is not a number, or not clearly
/// one; at most 15 whole and 6 fractional digits.
std::optional<Decimal> parse_decimal(std::string_view text);

/// "1,500.5" (en), "1 500,5" (ru; four-digit numbers are not grouped, as Russian typography
/// writes them): the digits as given, grouped and separated for `language`.
std::string format_number(const Decimal& number, std::string_view language);

/// An amount of money and its currency (ISO 4217 code, upper case).
struct Money {
  Decimal amount;
  std::string currency;
};

/// Reads "4500", "4 500,50 RUB", "RUB 4500", "4500 ₽", "$1,500", "€ 30": an amount with an
/// optional currency code or sign (₽ $ € £, руб.) on either side. With a currency of two
/// decimals, "1,500" is 1500. Empty when it is not money.
std::optional<Money> parse_money(std::string_view text);

/// "RUB 150,000.00", "$1,500.50" (en); «150 000,00 ₽», «1 500,50 $» (ru): grouped, always
/// two decimals (an amount given with more keeps them), the sign for RUB, USD, EUR and GBP
/// and the code for any other currency. Digits are joined by no-break spaces in Russian.
std::string format_money(const Money& money, std::string_view language);

/// Three ASCII letters: an ISO 4217 code in any case ("eur").
bool is_currency_code(std::string_view text);

/// A canonical amount ("1500.50", "150000") and a code, as the ledger stores a change's cost.
std::string format_money(std::string_view amount, std::string_view currency,
                         std::string_view language);

/// `text` in the quotes of `language`: “…” with ‘…’ inside in English, «…» with „…“ inside in
/// Russian. Quotes already in `text` (straight, or the other language's) become the inner pair.
std::string quoted(std::string_view text, std::string_view language);

}  // namespace pm
