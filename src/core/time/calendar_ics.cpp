// Holidays from an iCalendar file (RFC 5545), read with libical: every all-day VEVENT (DTSTART
// with VALUE=DATE) is a day off, each day of a multi-day one, yearly and other rules expanded.
// Timed events (a meeting, a call) say nothing about working days and are left out.
#include <memory>

#include <fmt/format.h>
#include <libical/ical.h>

#include "ical_api.hpp"
#include "pm/time/calendar.hpp"
#include "pm/util/check.hpp"
#include "pm/util/error.hpp"

namespace pm {

namespace {

constexpr std::size_t k_max_days = 100000;  // every day of 270 years: more is not a calendar
constexpr int k_max_event_days = 366;       // one event longer than a year is a mistake
constexpr int k_last_year = 2100;           // rules are expanded up to here

struct Free {
  void operator()(icalcomponent* c) const { ical::api().icalcomponent_free(c); }
};

/// The first parse error libical noted (an X-LIC-ERROR property), anywhere in `c`.
std::string first_error(icalcomponent* c) {
  const ical::Api& ic = ical::api();
  if (icalproperty* p = ic.icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY)) {
    const char* text = ic.icalproperty_get_xlicerror(p);
    return text != nullptr ? text : "a malformed line";
  }
  for (icalcomponent* sub = ic.icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
       sub != nullptr; sub = ic.icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT)) {
    if (std::string e = first_error(sub); !e.empty()) {
      return e;
    }
  }
  return "";
}

Date date_of(const icaltimetype& t) {
  return Date{date::year{t.year} / static_cast<unsigned>(t.month) / static_cast<unsigned>(t.day)};
}

bool valid(const icaltimetype& t) {
  return !ical::api().icaltime_is_null_time(t) && t.year >= 1900 && t.year <= 9999 &&
         date_of(t).ok();
}

}  // namespace

std::vector<SpecialDay> parse_ics_holidays(std::string_view text, const std::string& name) {
  check_file_text(name, text);
  const std::string fix = "export the calendar again, or fix the file";
  if (text.find("BEGIN:VCALENDAR") == std::string_view::npos) {
    throw Error(fmt::format("{}: not an iCalendar file (no BEGIN:VCALENDAR); {}", name, fix));
  }
  const ical::Api& ic = ical::api();  // opened here, after the cheap checks
  ic.icalerror_set_errors_are_fatal(0);
  std::string copy(text);
  std::unique_ptr<icalcomponent, Free> root(ic.icalparser_parse_string(copy.c_str()));
  if (!root) {
    throw Error(fmt::format("{}: not an iCalendar file (libical could not parse it); {}", name,
                            fix));
  }
  icalcomponent* cal = root.get();
  if (ic.icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
    cal = ic.icalcomponent_get_first_component(root.get(), ICAL_VCALENDAR_COMPONENT);
  }
  if (cal == nullptr) {
    throw Error(fmt::format("{}: no VCALENDAR in the file; {}", name, fix));
  }
  if (std::string e = first_error(root.get()); !e.empty()) {
    throw Error(fmt::format("{}: malformed iCalendar: {}; {}", name, printable_line(e), fix));
  }
  std::vector<SpecialDay> out;
  auto add = [&](Date day, const std::string& why) {
    if (out.size() >= k_max_days) {
      throw Error(fmt::format("{}: more than {} holidays; give a calendar of holidays only",
                              name, k_max_days));
    }
    out.push_back(SpecialDay{day, SpecialDay::holiday, why});
  };
  for (icalcomponent* ev = ic.icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
       ev != nullptr; ev = ic.icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
    icaltimetype start = ic.icalcomponent_get_dtstart(ev);
    if (ic.icaltime_is_null_time(start) || !start.is_date ||
        ic.icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED) {
      continue;  // a timed event, or none at all
    }
    if (!valid(start)) {
      throw Error(fmt::format("{}: an event starts on a day that does not exist "
                              "({:04}-{:02}-{:02}); {}",
                              name, start.year, start.month, start.day, fix));
    }
    int length = 1;
    icaltimetype end = ic.icalcomponent_get_dtend(ev);
    if (!ic.icaltime_is_null_time(end) && valid(end)) {
      length = static_cast<int>((date::sys_days{date_of(end)} -
                                 date::sys_days{date_of(start)}).count());
      if (length <= 0) {
        length = 1;  // DTEND on DTSTART: one day, as calendars show it
      }
      if (length > k_max_event_days) {
        throw Error(fmt::format("{}: an event of {} days from {}; holidays last days, not "
                                "years; {}",
                                name, length, format_date(date_of(start)), fix));
      }
    }
    const char* summary = ic.icalcomponent_get_summary(ev);
    std::string why = summary != nullptr && *summary != '\0' ? summary : "holiday";
    why = printable_line(why.substr(0, 200));
    auto add_event = [&](Date first) {
      for (int i = 0; i < length; ++i) {
        add(Date{date::sys_days{first} + date::days{i}}, why);
      }
    };
    icalproperty* rule = ic.icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY);
    if (rule == nullptr) {
      add_event(date_of(start));
      continue;
    }
    icalrecurrencetype recur = ic.icalproperty_get_rrule(rule);
    std::unique_ptr<icalrecur_iterator, void (*)(icalrecur_iterator*)> it(
        ic.icalrecur_iterator_new(recur, start), ic.icalrecur_iterator_free);
    if (!it) {
      throw Error(fmt::format("{}: an RRULE libical cannot follow in '{}'; {}", name, why, fix));
    }
    for (icaltimetype t = ic.icalrecur_iterator_next(it.get()); valid(t) && t.year <= k_last_year;
         t = ic.icalrecur_iterator_next(it.get())) {
      add_event(date_of(t));
    }
  }
  return out;
}

std::vector<SpecialDay> read_ics_holidays(const std::filesystem::path& file) {
  return parse_ics_holidays(read_file_limited(file, k_file_limit, file.string()), file.string());
}

}  // namespace pm
