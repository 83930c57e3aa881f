// iCalendar export with libical: the VCALENDAR, the zone's VTIMEZONE (libical's, built from the
// system's tz database, under the plain IANA name), and one VEVENT per event. libical escapes
// text (commas, semicolons, line breaks), folds lines at 75 octets without splitting a UTF-8
// character, and ends them with CRLF.
#include <algorithm>
#include <memory>

#include <fmt/format.h>
#include <libical/ical.h>

#include "ical_api.hpp"
#include "pm/time/ics_export.hpp"
#include "pm/util/error.hpp"

namespace pm {

namespace {

constexpr int k_max_occurrences = 100000;  // a weekly meeting for two thousand years

struct FreeComponent {
  void operator()(icalcomponent* c) const { ical::api().icalcomponent_free(c); }
};
using Component = std::unique_ptr<icalcomponent, FreeComponent>;

icaltimetype ical_date(Date day) {
  // null_date's time is -1:-1:-1, which upsets rules
  icaltimetype t = ical::api().icaltime_null_time();
  t.is_date = 1;
  t.year = int(day.year());
  t.month = int(unsigned(day.month()));
  t.day = int(unsigned(day.day()));
  return t;
}

/// A floating date-time: the wall clock `local` shows (the TZID parameter says where).
icaltimetype ical_local(date::local_seconds local) {
  const auto day = date::floor<date::days>(local);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<std::chrono::seconds> time{local - day};
  icaltimetype t = ical::api().icaltime_null_time();
  t.year = int(ymd.year());
  t.month = int(unsigned(ymd.month()));
  t.day = int(unsigned(ymd.day()));
  t.hour = int(time.hours().count());
  t.minute = int(time.minutes().count());
  t.second = int(time.seconds().count());
  t.is_date = 0;
  return t;
}

icaltimetype ical_utc(Instant when) {
  const ical::Api& ic = ical::api();
  return ic.icaltime_from_timet_with_zone(static_cast<time_t>(when.time_since_epoch().count()),
                                          0, ic.icaltimezone_get_utc_timezone());
}

Date date_of(const icaltimetype& t) {
  return Date{date::year{t.year} / static_cast<unsigned>(t.month) / static_cast<unsigned>(t.day)};
}

/// Text as a TEXT value may hold it: CRLF and CR become LF (libical writes LF as \n), other
/// control characters but tab are dropped.
std::string clean_text(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
    } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      continue;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

/// `text` as one line for an X- property, which libical writes with backslashes and line
/// breaks escaped but commas and semicolons as they are (which readers take as text).
std::string x_text(const std::string& text) {
  std::string out = clean_text(text);
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

/// libical's weekday (ICAL_SUNDAY_WEEKDAY = 1) for `wd`.
short ical_weekday(date::weekday wd) { return static_cast<short>(wd.c_encoding() + 1); }

/// The day the event starts on.
Date start_day(const CalendarEvent& e) {
  return e.day ? *e.day : Date{date::floor<date::days>(e.start)};
}

/// The RRULE of `e`; `until` as given (a date, or a UTC date-time for a timed event).
icalrecurrencetype make_rule(const CalendarEvent& e, const icaltimetype& until) {
  const Recurrence& r = *e.recurrence;
  if (r.interval < 1 || r.interval > 1000) {
    throw Error(fmt::format("event {}: a recurrence every {} weeks or months; give 1 to 1000",
                            e.uid, r.interval));
  }
  if (r.week < -1 || r.week > 4) {
    throw Error(fmt::format("event {}: week {} of the month; give 1 to 4, or -1 for the last",
                            e.uid, r.week));
  }
  const ical::Api& ic = ical::api();
  icalrecurrencetype rule;
  ic.icalrecurrencetype_clear(&rule);
  rule.freq = r.frequency == Recurrence::weekly ? ICAL_WEEKLY_RECURRENCE
                                                : ICAL_MONTHLY_RECURRENCE;
  rule.interval = static_cast<short>(r.interval);
  rule.count = r.count > 0 ? r.count : 0;
  rule.until = r.until && r.count <= 0 ? until : ic.icaltime_null_time();
  const date::weekday wd = r.weekday ? *r.weekday : date::weekday{date::sys_days{start_day(e)}};
  if (r.frequency == Recurrence::weekly) {
    rule.by_day[0] = ical_weekday(wd);
    rule.by_day[1] = ICAL_RECURRENCE_ARRAY_MAX;
  } else if (r.week != 0) {
    // libical's encoding of "the Nth weekday": (|N| * 8 + weekday), negative for a negative N.
    const short day = static_cast<short>(std::abs(r.week) * 8 + ical_weekday(wd));
    rule.by_day[0] = r.week < 0 ? static_cast<short>(-day) : day;
    rule.by_day[1] = ICAL_RECURRENCE_ARRAY_MAX;
  }
  return rule;
}

void add_x(icalcomponent* c, const char* name, const std::string& value) {
  const ical::Api& ic = ical::api();
  icalproperty* p = ic.icalproperty_new_x(value.c_str());
  ic.icalproperty_set_x_name(p, name);
  ic.icalcomponent_add_property(c, p);
}

/// A DTSTART, DTEND or EXDATE property of a timed event in `tz`: TZID=tz, or a UTC time.
icalproperty* timed(icalproperty* (*make)(icaltimetype), date::local_seconds local,
                    const std::string& tzid, bool utc) {
  const ical::Api& ic = ical::api();
  icaltimetype t = ical_local(local);
  if (utc) {
    t = ic.icaltime_set_timezone(&t, ic.icaltimezone_get_utc_timezone());
    return make(t);
  }
  icalproperty* p = make(t);
  ic.icalproperty_add_parameter(p, ic.icalparameter_new_tzid(tzid.c_str()));
  return p;
}

void check_event(const CalendarEvent& e) {
  if (e.uid.empty()) {
    throw Error(fmt::format("an event without a UID ('{}'): every event needs one", e.summary));
  }
  if (!start_day(e).ok()) {
    throw Error(fmt::format("event {} starts on a day that does not exist", e.uid));
  }
  if (e.duration.count() < 0) {
    throw Error(fmt::format("event {} lasts a negative time", e.uid));
  }
}

}  // namespace

std::vector<Date> occurrence_days(const CalendarEvent& event, Date from, Date to) {
  check_event(event);
  const Date first = start_day(event);
  if (!event.recurrence) {
    if (first >= from && first <= to) {
      return {first};
    }
    return {};
  }
  const ical::Api& ic = ical::api();
  ic.icalerror_set_errors_are_fatal(0);
  const icaltimetype until =
      event.recurrence->until ? ical_date(*event.recurrence->until) : ic.icaltime_null_time();
  const icalrecurrencetype rule = make_rule(event, until);
  std::unique_ptr<icalrecur_iterator, void (*)(icalrecur_iterator*)> it(
      ic.icalrecur_iterator_new(rule, ical_date(first)), ic.icalrecur_iterator_free);
  if (!it) {
    throw Error(fmt::format("event {}: libical cannot follow its recurrence", event.uid));
  }
  std::vector<Date> out;
  int n = 0;
  for (icaltimetype t = ic.icalrecur_iterator_next(it.get());
       !ic.icaltime_is_null_time(t) && n < k_max_occurrences;
       t = ic.icalrecur_iterator_next(it.get()), ++n) {
    const Date day = date_of(t);
    if (day > to) {
      break;
    }
    if (day >= from) {
      out.push_back(day);
    }
  }
  return out;
}

void exclude_holidays(CalendarEvent& event, const Calendar& calendar, Date from, Date to) {
  if (!event.recurrence) {
    return;
  }
  for (Date day : occurrence_days(event, from, to)) {
    const DayInfo info = calendar.info(day);
    if (!info.working && info.special != nullptr && !info.special->working()) {
      if (std::find(event.exdates.begin(), event.exdates.end(), day) == event.exdates.end()) {
        event.exdates.push_back(day);
      }
    }
  }
  std::sort(event.exdates.begin(), event.exdates.end());
}

std::string write_icalendar(const std::vector<CalendarEvent>& events, const std::string& tzid,
                            const std::string& calendar_name, Instant now) {
  const ical::Api& ic = ical::api();
  ic.icalerror_set_errors_are_fatal(0);
  icaltimezone* zone = tzid == "UTC" ? ic.icaltimezone_get_utc_timezone()
                                      : ic.icaltimezone_get_builtin_timezone(tzid.c_str());
  // libical answers "GMT" (and "UTC") with its UTC zone, which has no VTIMEZONE.
  const bool utc = zone == ic.icaltimezone_get_utc_timezone();
  if (zone == nullptr) {
    throw Error(fmt::format("libical does not know the time zone {}; give project.yaml a zone "
                            "of the tz database (Europe/Moscow, UTC, ...)",
                            tzid));
  }
  Component cal(ic.icalcomponent_new_vcalendar());
  ic.icalcomponent_add_property(cal.get(),
                                ic.icalproperty_new_prodid("-//pm//pm calendar export//EN"));
  ic.icalcomponent_add_property(cal.get(), ic.icalproperty_new_version("2.0"));
  ic.icalcomponent_add_property(cal.get(), ic.icalproperty_new_calscale("GREGORIAN"));
  ic.icalcomponent_add_property(cal.get(), ic.icalproperty_new_method(ICAL_METHOD_PUBLISH));
  add_x(cal.get(), "X-WR-CALNAME", x_text(calendar_name));
  add_x(cal.get(), "X-WR-TIMEZONE", tzid);
  if (!utc) {
    icalcomponent* vtz = ic.icaltimezone_get_component(zone);
    if (vtz == nullptr) {
      throw Error(fmt::format("libical has no VTIMEZONE for {}", tzid));
    }
    // libical names its zones "/freeassociation.sourceforge.net/Europe/Moscow"; Google and
    // Outlook recognise the plain IANA name, which the events' TZID parameters use too.
    icalcomponent* copy = ic.icalcomponent_new_clone(vtz);
    if (icalproperty* id = ic.icalcomponent_get_first_property(copy, ICAL_TZID_PROPERTY)) {
      ic.icalproperty_set_tzid(id, tzid.c_str());
    }
    ic.icalcomponent_add_component(cal.get(), copy);
  }
  for (const CalendarEvent& e : events) {
    check_event(e);
    icalcomponent* ev = ic.icalcomponent_new_vevent();
    ic.icalcomponent_add_component(cal.get(), ev);  // owned by cal from here
    const Instant stamp = e.stamp == Instant{} ? now : e.stamp;
    ic.icalcomponent_add_property(ev, ic.icalproperty_new_uid(e.uid.c_str()));
    ic.icalcomponent_add_property(ev, ic.icalproperty_new_dtstamp(ical_utc(stamp)));
    ic.icalcomponent_add_property(ev, ic.icalproperty_new_lastmodified(ical_utc(stamp)));
    if (e.sequence > 0) {
      ic.icalcomponent_add_property(ev, ic.icalproperty_new_sequence(e.sequence));
    }
    icaltimetype until = ic.icaltime_null_time();
    if (e.day) {
      ic.icalcomponent_add_property(ev, ic.icalproperty_new_dtstart(ical_date(*e.day)));
      ic.icalcomponent_add_property(
          ev, ic.icalproperty_new_dtend(ical_date(Date{date::sys_days{*e.day} + date::days{1}})));
      ic.icalcomponent_add_property(ev, ic.icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
      if (e.recurrence && e.recurrence->until) {
        until = ical_date(*e.recurrence->until);
      }
    } else {
      ic.icalcomponent_add_property(ev, timed(ic.icalproperty_new_dtstart, e.start, tzid, utc));
      if (e.duration.count() > 0) {  // RFC 5545: DTEND after DTSTART; none for a moment
        ic.icalcomponent_add_property(
            ev, timed(ic.icalproperty_new_dtend, e.start + e.duration, tzid, utc));
      }
      if (e.recurrence && e.recurrence->until) {
        // RFC 5545: with a zoned DTSTART, UNTIL is UTC: the end of that day in the zone.
        icaltimetype last = ical_local(date::local_days{date::sys_days{*e.recurrence->until}
                                                            .time_since_epoch()} +
                                       std::chrono::hours{23} + std::chrono::minutes{59} +
                                       std::chrono::seconds{59});
        last = ic.icaltime_set_timezone(&last, zone);
        until = ic.icaltime_convert_to_zone(last, ic.icaltimezone_get_utc_timezone());
      }
    }
    if (e.recurrence) {
      ic.icalcomponent_add_property(ev, ic.icalproperty_new_rrule(make_rule(e, until)));
      for (Date day : e.exdates) {
        if (e.day) {
          ic.icalcomponent_add_property(ev, ic.icalproperty_new_exdate(ical_date(day)));
        } else {
          const auto time_of_day = e.start - date::floor<date::days>(e.start);
          const date::local_seconds at{date::local_days{date::sys_days{day}.time_since_epoch()} +
                                       time_of_day};
          ic.icalcomponent_add_property(ev, timed(ic.icalproperty_new_exdate, at, tzid, utc));
        }
      }
    }
    ic.icalcomponent_add_property(ev,
                                  ic.icalproperty_new_summary(clean_text(e.summary).c_str()));
    if (!e.description.empty()) {
      ic.icalcomponent_add_property(
          ev, ic.icalproperty_new_description(clean_text(e.description).c_str()));
    }
    for (const std::string& category : e.categories) {
      ic.icalcomponent_add_property(
          ev, ic.icalproperty_new_categories(clean_text(category).c_str()));
    }
  }
  char* text = ic.icalcomponent_as_ical_string_r(cal.get());
  if (text == nullptr) {
    throw Error("libical could not write the calendar");
  }
  std::string out(text);
  ic.icalmemory_free_buffer(text);
  return out;
}

}  // namespace pm
