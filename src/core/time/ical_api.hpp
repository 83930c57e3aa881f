#pragma once
// libical 3, loaded at run time (docs/ARCHITECTURE.md, "iCalendar goes through dlopen too"):
// linking libical.so.3 brought ICU (libicuuc, libicui18n, libicudata) and a shared libstdc++
// into every pm command's start-up, the git hook too, so only reading an .ics calendar or
// writing one opens it. Internal to src/core/time: libical's headers give the types
// and declarations, and every call goes through the pointers of Api (never a libical function
// directly: a link error "undefined reference to ical..." shows one).
#include <libical/ical.h>

namespace pm::ical {

// Every libical function pm uses, by name (all real functions in libical 3, none a macro).
#define PM_ICAL_FUNCTIONS(X)             \
  X(icalerror_set_errors_are_fatal)      \
  X(icalparser_parse_string)             \
  X(icalmemory_free_buffer)              \
  X(icalcomponent_new_vcalendar)         \
  X(icalcomponent_new_vevent)            \
  X(icalcomponent_new_clone)             \
  X(icalcomponent_free)                  \
  X(icalcomponent_isa)                   \
  X(icalcomponent_add_component)         \
  X(icalcomponent_add_property)          \
  X(icalcomponent_get_first_component)   \
  X(icalcomponent_get_next_component)    \
  X(icalcomponent_get_first_property)    \
  X(icalcomponent_get_dtstart)           \
  X(icalcomponent_get_dtend)             \
  X(icalcomponent_get_status)            \
  X(icalcomponent_get_summary)           \
  X(icalcomponent_as_ical_string_r)      \
  X(icalproperty_get_xlicerror)          \
  X(icalproperty_get_rrule)              \
  X(icalproperty_add_parameter)          \
  X(icalproperty_set_tzid)               \
  X(icalproperty_set_x_name)             \
  X(icalproperty_new_x)                  \
  X(icalproperty_new_prodid)             \
  X(icalproperty_new_version)            \
  X(icalproperty_new_calscale)           \
  X(icalproperty_new_method)             \
  X(icalproperty_new_uid)                \
  X(icalproperty_new_dtstamp)            \
  X(icalproperty_new_lastmodified)       \
  X(icalproperty_new_sequence)           \
  X(icalproperty_new_dtstart)            \
  X(icalproperty_new_dtend)              \
  X(icalproperty_new_exdate)             \
  X(icalproperty_new_rrule)              \
  X(icalproperty_new_transp)             \
  X(icalproperty_new_summary)            \
  X(icalproperty_new_description)        \
  X(icalproperty_new_categories)         \
  X(icalparameter_new_tzid)              \
  X(icalrecurrencetype_clear)            \
  X(icalrecur_iterator_new)              \
  X(icalrecur_iterator_next)             \
  X(icalrecur_iterator_free)             \
  X(icaltime_null_time)                  \
  X(icaltime_is_null_time)               \
  X(icaltime_set_timezone)               \
  X(icaltime_convert_to_zone)            \
  X(icaltime_from_timet_with_zone)       \
  X(icaltimezone_get_utc_timezone)       \
  X(icaltimezone_get_builtin_timezone)   \
  X(icaltimezone_get_component)

/// The resolved functions; the members carry the functions' own names.
struct Api {
#define PM_ICAL_MEMBER(name) decltype(&::name) name = nullptr;
  PM_ICAL_FUNCTIONS(PM_ICAL_MEMBER)
#undef PM_ICAL_MEMBER
};

/// libical, opened (dlopen "libical.so.3") on the first call and kept for the rest of the run,
/// with errors not fatal (icalerror_set_errors_are_fatal(0): a malformed file is reported, not
/// an abort). Throws pm::Error, with the package to install, when the library cannot be opened
/// or lacks a function.
const Api& api();

}  // namespace pm::ical
