#pragma once
// The project's working calendar, from project.yaml: working_days, working_hours, calendar
// (ru, none or an .ics file), holidays and workdays (docs/calendar.md).
#include <filesystem>
#include <string>

#include "pm/domain/project.hpp"
#include "pm/time/calendar.hpp"

namespace pm {

/// The calendar of the project whose settings are `config` and whose directory is `pm_dir`
/// (.pm/, where a relative .ics path is taken from). Throws pm::Error (one line) for an .ics
/// file that cannot be read or parsed, or a bad date.
Calendar project_calendar(const ProjectConfig& config, const std::filesystem::path& pm_dir);

/// "ru", "none" or the .ics path, as project.yaml has it ("none" when it has none).
std::string calendar_name(const ProjectConfig& config);

/// The calendar `pm init` picks for a project in `zone`: ru for Russia's zones, else none.
std::string default_calendar(const std::string& zone);

}  // namespace pm
