// The Russian production calendar (производственный календарь), 2025-2027, as one table: the
// public holidays of the Labour Code (art. 112), the days off moved by the Government's yearly
// decree (or by art. 112 itself: a holiday on a weekend moves to the next working day, except
// the January ones), and the working Saturdays those decrees set. Checked against the yearly
// totals: 247 working days in 2025 and in 2026.
#include <fmt/format.h>

#include "pm/time/calendar.hpp"

namespace pm {

namespace {

struct Row {
  int year;
  unsigned month;
  unsigned day;
  SpecialDay::Kind kind;
  const char* why;
};

constexpr auto H = SpecialDay::holiday;
constexpr auto O = SpecialDay::day_off;
constexpr auto W = SpecialDay::working_day;

// The holidays of art. 112 of the Labour Code, every year.
struct Holiday {
  unsigned month;
  unsigned day;
  const char* name;
};
constexpr Holiday k_holidays[] = {
    {1, 1, "New Year holidays"},  {1, 2, "New Year holidays"},
    {1, 3, "New Year holidays"},  {1, 4, "New Year holidays"},
    {1, 5, "New Year holidays"},  {1, 6, "New Year holidays"},
    {1, 7, "Christmas"},          {1, 8, "New Year holidays"},
    {2, 23, "Defender of the Fatherland Day"},
    {3, 8, "International Women's Day"},
    {5, 1, "Spring and Labour Day"},
    {5, 9, "Victory Day"},
    {6, 12, "Russia Day"},
    {11, 4, "Unity Day"},
};

constexpr int k_first_year = 2025;
constexpr int k_last_year = 2027;

// Moved days off and working days. The holidays themselves come from k_holidays.
constexpr Row k_moves[] = {
    // 2025: Government decree of 4 October 2024 No. 1335 (Постановление Правительства РФ от
    // 04.10.2024 № 1335 «О переносе выходных дней в 2025 году»).
    {2025, 5, 2, O, "day off moved from Saturday 4 January"},
    {2025, 5, 8, O, "day off moved from Sunday 23 February"},
    {2025, 6, 13, O, "day off moved from Saturday 8 March"},
    {2025, 11, 1, W, "working Saturday; its day off moved to Monday 3 November"},
    {2025, 11, 3, O, "day off moved from Saturday 1 November"},
    {2025, 12, 31, O, "day off moved from Sunday 5 January"},
    // 2026: Government decree of 24 September 2025 No. 1466 (Постановление Правительства РФ
    // «О переносе выходных дней в 2026 году»); 8 March and 9 May fall on a weekend and move to
    // the next Monday by art. 112 itself.
    {2026, 1, 9, O, "day off moved from Saturday 3 January"},
    {2026, 3, 9, O, "day off moved from Sunday 8 March (International Women's Day)"},
    {2026, 5, 11, O, "day off moved from Saturday 9 May (Victory Day)"},
    {2026, 12, 31, O, "day off moved from Sunday 4 January"},
    // 2027: what art. 112 fixes (holidays on a weekend move to the next working day). The
    // Government's decree for 2027, which also moves the January weekend days (2 and 3
    // January), was not known when this table was written: check it and add its moves.
    {2027, 5, 3, O, "day off moved from Saturday 1 May (Spring and Labour Day)"},
    {2027, 5, 10, O, "day off moved from Sunday 9 May (Victory Day)"},
    {2027, 6, 14, O, "day off moved from Saturday 12 June (Russia Day)"},
};

}  // namespace

std::pair<int, int> russian_calendar_years() { return {k_first_year, k_last_year}; }

const std::vector<SpecialDay>& russian_calendar() {
  static const std::vector<SpecialDay> k_days = [] {
    std::vector<SpecialDay> out;
    for (int year = k_first_year; year <= k_last_year; ++year) {
      for (const auto& h : k_holidays) {
        out.push_back(SpecialDay{Date{date::year{year} / h.month / h.day}, H, h.name});
      }
    }
    for (const auto& m : k_moves) {
      out.push_back(SpecialDay{Date{date::year{m.year} / m.month / m.day}, m.kind, m.why});
    }
    return out;
  }();
  return k_days;
}

bool is_russian_zone(std::string_view zone) {
  // The zones of country RU in the tz database's zone.tab, and the old aliases.
  static constexpr std::string_view k_zones[] = {
      "Europe/Kaliningrad", "Europe/Moscow",     "Europe/Kirov",       "Europe/Volgograd",
      "Europe/Astrakhan",   "Europe/Saratov",    "Europe/Ulyanovsk",   "Europe/Samara",
      "Asia/Yekaterinburg", "Asia/Omsk",         "Asia/Novosibirsk",   "Asia/Barnaul",
      "Asia/Tomsk",         "Asia/Novokuznetsk", "Asia/Krasnoyarsk",   "Asia/Irkutsk",
      "Asia/Chita",         "Asia/Yakutsk",      "Asia/Khandyga",      "Asia/Vladivostok",
      "Asia/Ust-Nera",      "Asia/Magadan",      "Asia/Sakhalin",      "Asia/Srednekolymsk",
      "Asia/Kamchatka",     "Asia/Anadyr",       "W-SU"};
  for (auto z : k_zones) {
    if (z == zone) {
      return true;
    }
  }
  return false;
}

}  // namespace pm
