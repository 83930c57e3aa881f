// The three charts drawn (charts.hpp); their data comes from chart_data.cpp or from a caller.
#include "pm/domain/charts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "pm/time/period.hpp"
#include "pm/util/svg.hpp"
#include "pm/util/words.hpp"

namespace pm {

namespace {

constexpr double k_width = 640;
constexpr double k_height = 260;
constexpr double k_label_size = 11;

/// The plot area inside a chart's frame.
struct Plot {
  double left = 48;
  double right = k_width - 16;
  double top = 16;
  double bottom = k_height - 40;
  double width() const { return right - left; }
  double height() const { return bottom - top; }
};

/// The phrase `key`, its {names} filled.
template <typename... Args>
std::string say(const char* key, std::string_view language, const Args&... args) {
  return fmt::format(fmt::runtime(word(key, language)), args...);
}

svg::Frame frame(std::string_view id, const char* kind, std::string title, std::string desc) {
  return {k_width,          k_height,
          std::string(id),  fmt::format("pm-chart pm-chart-{}", kind),
          std::move(title), std::move(desc)};
}

/// A chart with nothing to draw: its frame and one sentence.
std::string message_chart(svg::Frame f, const std::string& message) {
  f.desc = message;
  svg::Writer w(f);
  const Plot p;
  w.rect(p.left, p.top, p.width(), p.height(),
         {.css_class = "frame", .fill = "none", .stroke = svg::k_grid, .stroke_width = 1});
  w.text({k_width / 2, p.top + p.height() / 2 + 5}, message, svg::Anchor::middle,
         {.css_class = "message", .fill = svg::k_muted}, 14);
  return w.finish();
}

/// Every `step`th of `count` labels, so that at most `most` are shown.
std::size_t label_step(std::size_t count, std::size_t most) {
  return count <= most ? 1 : (count + most - 1) / most;
}

// --- NPS -----------------------------------------------------------------------------------

/// "Nov", "Jan 2026" (the first label and each January carry the year); a key that is not
/// YYYY-MM as it is.
std::string month_label(const std::string& key, bool with_year, std::string_view language) {
  const int month = key.size() == 7 && key[4] == '-' ? std::atoi(key.c_str() + 5) : 0;
  if (month < 1 || month > 12) {
    return key;
  }
  const std::string names = word("chart.months", language);
  std::size_t start = 0;
  for (int i = 1; i < month; ++i) {
    start = names.find('|', start) + 1;
  }
  std::string name = names.substr(start, names.find('|', start) - start);
  return with_year || month == 1 ? name + " " + key.substr(0, 4) : name;
}

}  // namespace

std::string nps_chart(const std::vector<NpsPoint>& points, std::string_view language,
                      std::string_view id) {
  const std::string title = word("chart.nps.title", language);
  const auto latest = std::find_if(points.rbegin(), points.rend(),
                                   [](const NpsPoint& p) { return p.nps.has_value(); });
  if (latest == points.rend()) {
    return message_chart(frame(id, "nps", title, ""), word("chart.nps.empty", language));
  }
  const std::string latest_text = say(
      "chart.nps.latest", language, fmt::arg("month", latest->month),
      fmt::arg("nps", whole_points(*latest->nps)),
      fmt::arg("margin", whole_points(latest->margin.value_or(0))), fmt::arg("n", latest->answers));
  svg::Writer w(frame(id, "nps", title,
                      say("chart.nps.desc", language, fmt::arg("first", points.front().month),
                          fmt::arg("last", points.back().month), fmt::arg("latest", latest_text))));
  const Plot p;
  const auto y = [&](double v) {
    return p.top + (100 - std::clamp(v, -100.0, 100.0)) / 200 * p.height();
  };
  const double slot = p.width() / static_cast<double>(points.size());
  const auto x = [&](std::size_t i) { return p.left + (static_cast<double>(i) + 0.5) * slot; };

  w.open_group("grid");
  for (double v : {100.0, 50.0, -50.0, -100.0}) {
    w.line({p.left, y(v)}, {p.right, y(v)}, {.stroke = svg::k_grid, .stroke_width = 1});
  }
  w.line({p.left, y(0)}, {p.right, y(0)},
         {.css_class = "zero", .stroke = svg::k_axis, .stroke_width = 1});
  w.close_group();
  w.open_group("axis");
  for (int v : {100, 0, -100}) {
    w.text({p.left - 6, y(v) + 4}, std::to_string(v), svg::Anchor::end, {.fill = "currentColor"},
           k_label_size);
  }
  const std::size_t step = label_step(points.size(), 8);
  for (std::size_t i = 0; i < points.size(); i += step) {
    w.text({x(i), p.bottom + 18}, month_label(points[i].month, i == 0, language),
           svg::Anchor::middle, {.fill = "currentColor"}, k_label_size);
  }
  w.close_group();

  // Runs of consecutive months with answers: a month without any breaks the band and line.
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!points[i].nps) {
      continue;
    }
    if (!runs.empty() && runs.back().second == i) {
      runs.back().second = i + 1;
    } else {
      runs.emplace_back(i, i + 1);
    }
  }
  const svg::Style band{.fill = svg::k_accent, .fill_opacity = 0.18};
  w.open_group("band");
  for (const auto& [first, last] : runs) {
    const auto upper = [&](std::size_t i) {
      return y(*points[i].nps + points[i].margin.value_or(0));
    };
    const auto lower = [&](std::size_t i) {
      return y(*points[i].nps - points[i].margin.value_or(0));
    };
    if (last - first == 1) {
      w.rect(x(first) - 5, upper(first), 10, lower(first) - upper(first), band);
      continue;
    }
    std::vector<svg::Point> outline;
    for (std::size_t i = first; i < last; ++i) {
      outline.push_back({x(i), upper(i)});
    }
    for (std::size_t i = last; i-- > first;) {
      outline.push_back({x(i), lower(i)});
    }
    w.path(outline, true, band);
  }
  w.close_group();
  w.open_group("line");
  for (const auto& [first, last] : runs) {
    if (last - first > 1) {
      std::vector<svg::Point> line;
      for (std::size_t i = first; i < last; ++i) {
        line.push_back({x(i), y(*points[i].nps)});
      }
      w.polyline(line, {.fill = "none", .stroke = svg::k_accent, .stroke_width = 2});
    }
  }
  w.close_group();
  w.open_group("points");
  for (std::size_t i = 0; i < points.size(); ++i) {
    const NpsPoint& pt = points[i];
    if (!pt.nps) {
      continue;
    }
    // Hollow: too few answers for a reliable figure.
    w.circle(
        {x(i), y(*pt.nps)}, 3.5,
        {.css_class = pt.reliable ? "reliable" : "unreliable",
         .fill = pt.reliable ? svg::k_accent : "#ffffff",
         .stroke = svg::k_accent,
         .stroke_width = 1.5},
        say("chart.nps.point", language, fmt::arg("month", pt.month),
            fmt::arg("nps", whole_points(*pt.nps)),
            fmt::arg("margin", whole_points(pt.margin.value_or(0))), fmt::arg("n", pt.answers)));
  }
  w.close_group();
  return w.finish();
}

// --- The deadline ----------------------------------------------------------------------------

std::string deadline_chart(const DeadlineHistory& history, std::string_view language,
                           std::string_view id) {
  const std::string title = word("chart.deadline.title", language);
  const Deadline& d = history.deadline;
  if (!d.baseline || !d.current) {
    return message_chart(frame(id, "deadline", title, ""), word("chart.deadline.empty", language));
  }
  svg::Writer w(frame(
      id, "deadline", title,
      say("chart.deadline.desc", language, fmt::arg("baseline", long_date(*d.baseline, language)),
          fmt::arg("n", history.events.size()),
          fmt::arg("current", long_date(*d.current, language)))));
  Plot p;
  p.left = 80;  // room for a date
  using date::sys_days;
  // x: from the start to today (a week before today when they are the same day).
  const sys_days end{history.today};
  sys_days start = std::min(sys_days{history.start}, end);
  if (start == end) {
    start = end - date::days(7);
  }
  // y: every deadline the project had, with room above and below for the labels.
  sys_days low = std::min(sys_days{*d.baseline}, sys_days{*d.current});
  sys_days high = std::max(sys_days{*d.baseline}, sys_days{*d.current});
  for (const auto& e : history.events) {
    low = std::min(low, sys_days{e.deadline});
    high = std::max(high, sys_days{e.deadline});
  }
  const auto pad = std::max<date::days::rep>(7, (high - low).count() / 5);
  low -= date::days(pad);
  high += date::days(pad);
  const auto x = [&](const Date& day) {
    const double at = std::clamp(sys_days{day}, start, end).time_since_epoch().count();
    return p.left + (at - static_cast<double>(start.time_since_epoch().count())) /
                        static_cast<double>((end - start).count()) * p.width();
  };
  const auto y = [&](const Date& day) {
    return p.bottom - static_cast<double>((sys_days{day} - low).count()) /
                          static_cast<double>((high - low).count()) * p.height();
  };

  w.open_group("axis");
  w.line({p.left, p.bottom}, {p.right, p.bottom}, {.stroke = svg::k_axis, .stroke_width = 1});
  w.line({p.left, p.top}, {p.left, p.bottom}, {.stroke = svg::k_axis, .stroke_width = 1});
  // The current deadline, and the baseline unless the two labels would overlap.
  std::vector<Date> y_labels = {*d.current};
  if (std::abs(y(*d.current) - y(*d.baseline)) >= 14) {
    y_labels.push_back(*d.baseline);
  }
  for (const Date& day : y_labels) {
    w.text({p.left - 6, y(day) + 4}, format_date(day), svg::Anchor::end, {.fill = "currentColor"},
           k_label_size);
  }
  w.text({p.left, p.bottom + 18}, format_date(Date{start}), svg::Anchor::start,
         {.fill = "currentColor"}, k_label_size);
  w.text({p.right, p.bottom + 18}, format_date(history.today), svg::Anchor::end,
         {.fill = "currentColor"}, k_label_size);
  w.close_group();

  w.open_group("baseline");
  w.line({p.left, y(*d.baseline)}, {p.right, y(*d.baseline)},
         {.stroke = svg::k_axis, .stroke_width = 1, .dash = "4 3"});
  w.text({p.left + 4, y(*d.baseline) + 14},
         say("chart.deadline.baseline", language, fmt::arg("date", format_date(*d.baseline))),
         svg::Anchor::start, {.fill = svg::k_muted}, k_label_size);
  w.close_group();

  // The steps: the deadline holds until an approval moves it.
  std::vector<svg::Point> steps = {{p.left, y(*d.baseline)}};
  for (const auto& e : history.events) {
    steps.push_back({x(e.date), steps.back().y});
    steps.push_back({x(e.date), y(e.deadline)});
  }
  steps.push_back({p.right, y(*d.current)});
  w.open_group("steps");
  w.polyline(steps, {.fill = "none", .stroke = svg::k_accent2, .stroke_width = 2});
  for (const auto& e : history.events) {
    const std::string number =
        e.number > 0 ? say("report.number", language, fmt::arg("id", e.number)) : "";
    w.circle({x(e.date), y(e.deadline)}, 3.5, {.fill = svg::k_accent2},
             say("chart.deadline.event", language, fmt::arg("date", format_date(e.date)),
                 fmt::arg("number", number), fmt::arg("days", days_text(e.days, language)),
                 fmt::arg("deadline", format_date(e.deadline))));
  }
  w.close_group();

  w.open_group("current");
  w.circle({p.right, y(*d.current)}, 4, {.fill = svg::k_accent2});
  w.text({p.right - 6, y(*d.current) - 9},
         say("chart.deadline.current", language, fmt::arg("date", format_date(*d.current))),
         svg::Anchor::end, {.fill = "currentColor"}, k_label_size);
  w.close_group();
  return w.finish();
}

// --- Work done per week ----------------------------------------------------------------------

std::string done_chart(const std::vector<WeekCount>& weeks, std::string_view language,
                       std::string_view id) {
  const std::string title = word("chart.done.title", language);
  if (weeks.empty()) {
    return message_chart(frame(id, "done", title, ""), word("chart.done.empty", language));
  }
  int total = 0;
  int most = 1;
  for (const auto& wk : weeks) {
    total += wk.done;
    most = std::max(most, wk.done);
  }
  svg::Writer w(frame(id, "done", title,
                      say("chart.done.desc", language, fmt::arg("first", weeks.front().week),
                          fmt::arg("last", weeks.back().week), fmt::arg("total", total))));
  Plot p;
  p.left = 16;
  p.top = 24;  // room for the tallest bar's value
  const double slot = p.width() / static_cast<double>(weeks.size());
  const double bar = slot * 0.6;
  const auto week_label = [&](const std::string& week) {
    const std::size_t at = week.find("-W");
    return at == std::string::npos
               ? week
               : say("chart.week", language, fmt::arg("week", week.substr(at + 2)));
  };

  w.open_group("bars");
  for (std::size_t i = 0; i < weeks.size(); ++i) {
    const double height = static_cast<double>(std::max(weeks[i].done, 0)) / most * p.height();
    const double cx = p.left + (static_cast<double>(i) + 0.5) * slot;
    w.rect(cx - bar / 2, p.bottom - height, bar, height,
           {.css_class = "bar", .fill = svg::k_accent});
    w.text({cx, p.bottom - height - 5}, std::to_string(weeks[i].done), svg::Anchor::middle,
           {.css_class = "value", .fill = "currentColor"}, k_label_size);
  }
  w.close_group();
  w.open_group("axis");
  w.line({p.left, p.bottom}, {p.right, p.bottom}, {.stroke = svg::k_axis, .stroke_width = 1});
  const std::size_t step = label_step(weeks.size(), 16);
  for (std::size_t i = 0; i < weeks.size(); i += step) {
    const double cx = p.left + (static_cast<double>(i) + 0.5) * slot;
    w.text({cx, p.bottom + 18}, week_label(weeks[i].week), svg::Anchor::middle,
           {.fill = "currentColor"}, k_label_size);
  }
  w.close_group();
  return w.finish();
}

}  // namespace pm
