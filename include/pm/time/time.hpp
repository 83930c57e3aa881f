#pragma once
// Instants, calendar dates and time zones. Instants are UTC; dates are calendar days in the
// project's time zone. "Now" honours PM_NOW so every output can be reproduced.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

namespace pm {

class TimeZone;  // pm/zone.hpp

using Instant = std::chrono::sys_seconds;
using Date = date::year_month_day;
/// A time zone, found once by find_zone and valid for the whole run.
using Zone = const TimeZone*;

/// The current instant, or the one PM_NOW fixes (ISO 8601 with an offset). Throws pm::Error
/// when PM_NOW is set but malformed.
Instant now();

/// Parses "2026-11-20T10:00:00+03:00", "2026-11-20T07:00:00Z", "2026-11-20 10:00+03:00".
/// An offset is required. Throws pm::Error naming `what` ("PM_NOW", "--meeting", ...).
Instant parse_instant(std::string_view text, std::string_view what);

/// Parses a strict YYYY-MM-DD calendar date that exists (2026-02-30 does not).
Date parse_date(std::string_view text, std::string_view what);

/// A date ("2026-11-20", taken in `zone`) or an instant with offset; the start of that day
/// for a bare date.
Instant parse_date_or_instant(std::string_view text, Zone zone, std::string_view what);

/// The IANA zone called `name`, read from its file in /usr/share/zoneinfo; throws pm::Error
/// with a hint when unknown.
Zone find_zone(std::string_view name);

/// The system's zone name (TZ, /etc/timezone, /etc/localtime), "UTC" when unknown.
std::string system_zone_name();

/// "2026-11-20T07:00:00Z": the storage form, sortable as text.
std::string format_utc(Instant when);
/// Parses the storage form back.
Instant parse_utc(std::string_view text);

/// "2026-11-20"
std::string format_date(Date day);
/// The calendar day of `when` in `zone`.
Date local_date(Instant when, Zone zone);
/// "2026-11-20 10:00" in `zone`.
std::string format_local(Instant when, Zone zone);
/// "2026-11-20T10:00:00+03:00" in `zone`.
std::string format_iso_local(Instant when, Zone zone);
/// The first instant of `day` in `zone` (midnight, or the first valid time after a gap).
Instant start_of_day(Date day, Zone zone);
/// The offset from UTC of `zone` at `when`.
std::chrono::minutes utc_offset(Instant when, Zone zone);

/// "25 December 2026" (en) or "25 декабря 2026 г." (ru).
std::string long_date(Date day, std::string_view language);

}  // namespace pm
