// project.yaml's calendar keys turned into a Calendar: the week and the day from working_days
// and working_hours, the holidays of `calendar:`, then holidays: and workdays: over them.
#include "pm/domain/project_calendar.hpp"

#include <fmt/format.h>

#include "pm/util/error.hpp"

namespace pm {

namespace {

std::chrono::minutes time_of_day(const std::string& text) {
  // project.yaml's check has passed: "HH:MM".
  return std::chrono::minutes{std::stoi(text.substr(0, 2)) * 60 + std::stoi(text.substr(3, 2))};
}

std::array<bool, 7> weekdays(const std::vector<std::string>& days) {
  static const char* const k_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  std::array<bool, 7> out{};
  for (const auto& d : days) {
    for (std::size_t i = 0; i < 7; ++i) {
      out[i] = out[i] || d == k_names[i];
    }
  }
  return out;
}

}  // namespace

std::string calendar_name(const ProjectConfig& config) {
  return config.calendar.empty() ? "none" : config.calendar;
}

std::string default_calendar(const std::string& zone) {
  return is_russian_zone(zone) ? "ru" : "none";
}

Calendar project_calendar(const ProjectConfig& config, const std::filesystem::path& pm_dir) {
  Calendar calendar(weekdays(config.working_days), time_of_day(config.working_hours_start),
                    time_of_day(config.working_hours_end), find_zone(config.timezone));
  const std::string name = calendar_name(config);
  if (name == "ru") {
    calendar.set_all(russian_calendar());
  } else if (name != "none") {
    std::filesystem::path file(name);
    if (file.is_relative()) {
      file = pm_dir / file;
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      throw Error(fmt::format("calendar: {} does not exist (project.yaml names it; the path is "
                              "taken from .pm/); put the .ics file there, or use calendar: ru "
                              "or calendar: none",
                              file.string()));
    }
    calendar.set_all(read_ics_holidays(file));
  }
  for (const auto& day : config.holidays) {
    calendar.set(SpecialDay{parse_date(day, "holidays"), SpecialDay::holiday,
                            "holiday (project.yaml)"});
  }
  for (const auto& day : config.workdays) {
    calendar.set(SpecialDay{parse_date(day, "workdays"), SpecialDay::working_day,
                            "working day (project.yaml)"});
  }
  return calendar;
}

}  // namespace pm
