#include <catch2/catch.hpp>

#include "pm/util/money.hpp"

using namespace pm;

namespace {

const std::string nbsp = "\xC2\xA0";

std::string number(const std::string& text, const std::string& language) {
  auto d = parse_decimal(text);
  REQUIRE(d);
  return format_number(*d, language);
}

std::string money(const std::string& text, const std::string& language) {
  auto m = parse_money(text);
  INFO(text);
  REQUIRE(m);
  return format_money(*m, language);
}

}  // namespace

TEST_CASE("decimals are read as people write them, and refused when ambiguous", "[money]") {
  auto whole = [](const std::string& text) { return parse_decimal(text)->whole; };
  auto fraction = [](const std::string& text) { return parse_decimal(text)->fraction; };
  CHECK(whole("1500") == "1500");
  CHECK(fraction("1500,50") == "50");
  CHECK(fraction("1500.5") == "5");
  CHECK(whole("1 500 000,25") == "1500000");
  CHECK(whole("1" + nbsp + "500") == "1500");
  CHECK(whole("150,000.50") == "150000");
  CHECK(fraction("150,000.50") == "50");
  CHECK(whole("1.500.000,50") == "1500000");
  CHECK(whole("1,500,000") == "1500000");
  CHECK(fraction("1,500,000").empty());
  CHECK(whole("007") == "7");
  CHECK(whole("0") == "0");
  CHECK(parse_decimal("-12.5")->negative);
  // Not numbers, or not clearly one number.
  for (const char* bad : {"", "abc", "1,500", "1.500", "12 34", "1 5000", "1500.", ".5", "1..5",
                          "1,5.0", "1 500.000,5 1", "1e5", "0x10", "1 000,000", "12345 678",
                          "1234567890123456", "1.1234567"}) {
    INFO(bad);
    CHECK_FALSE(parse_decimal(bad));
  }
}

TEST_CASE("numbers are grouped and separated for the letter's language", "[money]") {
  CHECK(number("1500,50", "en") == "1,500.50");
  CHECK(number("1500,50", "ru") == "1500,50");
  CHECK(number("15000", "ru") == "15" + nbsp + "000");
  CHECK(number("1234567.891", "en") == "1,234,567.891");
  CHECK(number("-42", "en") == "-42");
  CHECK(number("999", "ru") == "999");
}

TEST_CASE("money is written as a reader of each language expects", "[money]") {
  CHECK(money("150000 RUB", "ru") == "150" + nbsp + "000,00" + nbsp + "₽");
  CHECK(money("150000 RUB", "en") == "RUB" + nbsp + "150,000.00");
  CHECK(money("1500,50 rub", "en") == "RUB" + nbsp + "1,500.50");
  CHECK(money("$1,500", "en") == "$1,500.00");
  CHECK(money("USD 1500", "ru") == "1" + nbsp + "500,00" + nbsp + "$");
  CHECK(money("€ 30", "en") == "€30.00");
  CHECK(money("4 500 ₽", "ru") == "4" + nbsp + "500,00" + nbsp + "₽");
  CHECK(money("4 500 руб.", "en") == "RUB" + nbsp + "4,500.00");
  CHECK(money("1500.125 KWD", "en") == "KWD" + nbsp + "1,500.125");
  CHECK(money("12 CHF", "ru") == "12,00" + nbsp + "CHF");
  CHECK(money("1500", "en") == "1,500.00");
  // The amount is kept exactly: no binary floating point on the way.
  CHECK(money("123456789012345.67 EUR", "en") == "€123,456,789,012,345.67");
  CHECK(format_money("1500.50", "RUB", "ru") == "1" + nbsp + "500,50" + nbsp + "₽");
  CHECK_FALSE(parse_money("RUB"));
  CHECK_FALSE(parse_money("15 RUBLES"));
  CHECK(money("1,500 EUR", "en") == "€1,500.00");
  CHECK_FALSE(parse_money("1,500"));     // no currency: 1500 or 1.5?
  CHECK_FALSE(parse_money("1.500 KWD")); // three decimals: 1500 or 1.5?
}

TEST_CASE("quotes nest by the language's rules", "[money][quotes]") {
  CHECK(quoted("Перезапуск сайта ООО «Ромашка»", "ru") == "«Перезапуск сайта ООО „Ромашка“»");
  CHECK(quoted("Сайт ООО \"Ромашка\"", "ru") == "«Сайт ООО „Ромашка“»");
  CHECK(quoted("Сайт", "ru") == "«Сайт»");
  CHECK(quoted("Relaunch for \"Acme\" and \"Beta\"", "en") ==
        "“Relaunch for ‘Acme’ and ‘Beta’”");
  CHECK(quoted("Relaunch for “Acme”", "en") == "“Relaunch for ‘Acme’”");
  CHECK(quoted("Сайт «Ромашки»", "en") == "“Сайт ‘Ромашки’”");
  CHECK(quoted("O'Brien & Co", "en") == "“O'Brien & Co”");
}
