// The KPI scorecard (docs/kpi.md): each figure read from the ledger over a period, with what it
// was computed over and how. The agreements' two figures are in kpi_agreements.cpp.
#include "pm/domain/kpi.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "pm/domain/changes.hpp"
#include "pm/domain/communication.hpp"
#include "pm/domain/nps.hpp"
#include "pm/time/period.hpp"
#include "pm/util/error.hpp"

#include "kpi_detail.hpp"

namespace pm {

using detail::set_share;

namespace {

struct KpiDef {
  const char* key;
  const char* title;
  const char* title_ru;
  const char* unit;
  KpiDirection direction;
  int target;  ///< the agency's; -1: from `sla:`
};

const std::vector<KpiDef>& defs() {
  using D = KpiDirection;
  static const std::vector<KpiDef> k_defs = {
      {"deliveries_on_time", "Deliveries on time", "Сдача в срок", "%", D::at_least, 90},
      {"promises_kept", "Promises kept", "Обещания выполнены", "%", D::at_least, 95},
      {"replies_within_sla", "Replies within the SLA", "Ответы в срок SLA", "%", D::at_least, 90},
      {"reply_time", "Median reply time", "Медианное время ответа", "h", D::at_most, -1},
      {"status_cadence", "Longest gap between status updates",
       "Самый долгий перерыв между статусами", "working days", D::at_most, -1},
      {"escalations", "Escalations per request", "Эскалации на обращение", "%", D::at_most, 5},
      {"repeat_communication", "Repeat communication", "Повторные обращения в ветке", "%",
       D::at_least, 40},
      {"nps", "NPS", "NPS", "points", D::at_least, 40},
      {"letters_from_templates", "Letters from templates", "Письма по шаблонам", "%", D::at_least,
       70},
      {"changes_approved_first", "Changes approved before work", "Изменения согласованы до работ",
       "%", D::at_least, 100},
  };
  return k_defs;
}

const KpiDef& def(const std::string& key) {
  for (const auto& d : defs()) {
    if (key == d.key) {
      return d;
    }
  }
  throw Error(fmt::format("no KPI '{}'", key));
}

/// "75", "2.5": a figure to one decimal, without a trailing ".0".
std::string number_text(double value) {
  const double rounded = std::round(value * 10) / 10;
  std::string text = fmt::format("{:.1f}", rounded);
  if (text.ends_with(".0")) {
    text.resize(text.size() - 2);
  }
  return text == "-0" ? "0" : text;
}

/// The figure `key` with its target (project.yaml's `kpi:` where set).
Kpi make(const ProjectConfig& config, const std::string& key) {
  const KpiDef& d = def(key);
  Kpi k;
  k.key = d.key;
  k.title = d.title;
  k.title_ru = d.title_ru;
  k.unit = d.unit;
  k.direction = d.direction;
  auto it = config.kpi.find(key);
  k.target = it != config.kpi.end() ? it->second : d.target;
  if (key == "nps") {
    k.target_text = it == config.kpi.end() ? "40–60" : fmt::format("≥ {}", it->second);
  } else if (d.target >= 0) {
    k.target_text = fmt::format("{} {}%", direction_sign(d.direction), number_text(k.target));
  }
  return k;
}

void judge(Kpi& k) {
  if (k.value) {
    k.met = k.direction == KpiDirection::at_least ? *k.value >= k.target - 1e-9
                                                  : *k.value <= k.target + 1e-9;
  }
}

}  // namespace

const char* direction_name(KpiDirection direction) {
  return direction == KpiDirection::at_least ? "at_least" : "at_most";
}

const char* direction_sign(KpiDirection direction) {
  return direction == KpiDirection::at_least ? "≥" : "≤";
}

const std::vector<std::string>& kpi_keys() {
  static const std::vector<std::string> k_keys = [] {
    std::vector<std::string> out;
    for (const auto& d : defs()) {
      out.emplace_back(d.key);
    }
    return out;
  }();
  return k_keys;
}

const std::vector<std::string>& kpi_target_keys() {
  static const std::vector<std::string> k_keys = [] {
    std::vector<std::string> out;
    for (const auto& d : defs()) {
      if (d.target >= 0) {
        out.emplace_back(d.key);
      }
    }
    return out;
  }();
  return k_keys;
}

int default_kpi_target(const std::string& key) { return def(key).target; }

std::vector<Kpi> compute_kpis(Ledger& ledger, const ProjectConfig& config,
                              const Calendar& calendar, Instant from, Instant until,
                              Instant now) {
  const Zone zone = calendar.zone();
  const Date first = local_date(from, zone);
  const Date last = local_date(until - std::chrono::seconds(1), zone);
  const SlaTargets sla = sla_targets(config);
  std::vector<Kpi> out;
  for (const auto& key : kpi_keys()) {
    out.push_back(make(config, key));
  }
  auto kpi = [&](const char* key) -> Kpi& {
    return *std::find_if(out.begin(), out.end(), [&](const Kpi& k) { return k.key == key; });
  };

  detail::agreement_kpis(ledger, config, calendar, first, last, now, kpi("deliveries_on_time"),
                 kpi("promises_kept"));

  const std::vector<RequestRow> requests = requests_between(ledger, calendar, sla, from, until, now);
  {
    Kpi& k = kpi("replies_within_sla");
    std::int64_t counted = 0, within = 0, pending = 0, unneeded = 0;
    for (const auto& r : requests) {
      if (!r.needs_reply) {
        ++unneeded;
      } else if (!r.replied() && !r.breach) {
        ++pending;
      } else {
        ++counted;
        within += r.breach ? 0 : 1;
      }
    }
    set_share(k, within, counted);
    k.how = fmt::format(
        "requests received in the period answered within {} of working time: {} of {} (one "
        "still waiting past it is a miss; {} still within it and {} needing no reply left out)",
        working_time_text(sla.reply, "en"), within, counted, pending, unneeded);
  }
  {
    Kpi& k = kpi("reply_time");
    k.target = static_cast<double>(sla.reply.count()) / 3600.0;
    k.target_text = fmt::format("≤ {} h", number_text(k.target));
    const auto median = median_reply(requests);
    k.n = std::count_if(requests.begin(), requests.end(),
                        [](const RequestRow& r) { return r.replied() && r.needs_reply; });
    if (median) {
      k.value = static_cast<double>(median->count()) / 3600.0;
    }
    k.how = fmt::format("median working time from a request to its first reply, over the {} "
                        "answered requests received in the period ({})",
                        k.n, median ? working_time_text(*median, "en") : "none");
  }
  {
    Kpi& k = kpi("status_cadence");
    k.target = sla.status_days;
    k.target_text = fmt::format("≤ {} working days", sla.status_days);
    const auto gaps = status_gaps(ledger, calendar, sla, from, until, now);
    k.n = static_cast<std::int64_t>(gaps.size());
    int longest = 0;
    for (const auto& g : gaps) {
      longest = std::max(longest, g.working_days);
    }
    if (!gaps.empty()) {
      k.value = longest;
    }
    k.how = fmt::format("the longest of the {} gaps between weekly-status letters that overlap "
                        "the period (the first from the project's start, the last to now if "
                        "open), in working days",
                        k.n);
  }
  const auto request_n = static_cast<std::int64_t>(requests.size());
  {
    Kpi& k = kpi("escalations");
    EntryQuery q;
    q.kinds = {"escalation"};
    q.effective_from = from;
    q.effective_until = until;
    std::int64_t escalations = 0;
    ledger.each(q, [&](const Entry&) { ++escalations; });
    set_share(k, escalations, request_n);
    k.how = fmt::format("escalations recorded in the period per request received in it: {} per "
                        "{} requests",
                        escalations, request_n);
  }
  {
    Kpi& k = kpi("repeat_communication");
    const auto repeat = std::count_if(requests.begin(), requests.end(), [](const RequestRow& r) {
      return r.request.data.value("in_thread", false);
    });
    set_share(k, repeat, request_n);
    k.how = fmt::format("requests received in the period that came back on a thread the ledger "
                        "already knew (mail import): {} of {}",
                        repeat, request_n);
  }
  {
    Kpi& k = kpi("nps");
    const auto groups = nps_groups(ledger, NpsBy::total, NpsPeriod{first, last});
    const NpsFigure f = nps_figure(groups.empty() ? NpsCounts{} : groups.front().counts);
    k.n = f.n;
    if (f.n > 0) {
      k.value = f.nps;
    }
    k.how = fmt::format("% promoters minus % detractors of the {} answers given in the period "
                        "({} promoters, {} detractors{})",
                        f.n, f.counts.promoters, f.counts.detractors,
                        f.n > 0 ? fmt::format(", ±{} points", whole_points(f.margin)) : "");
  }
  {
    Kpi& k = kpi("letters_from_templates");
    EntryQuery q;
    q.kinds = {"letter"};
    q.effective_from = from;
    q.effective_until = until;
    std::int64_t letters = 0, templated = 0;
    ledger.each(q, [&](const Entry& e) {
      ++letters;
      templated += e.data.value("template", "").empty() ? 0 : 1;
    });
    set_share(k, templated, letters);
    k.how = fmt::format("letters sent in the period that name their template: {} of {}",
                        templated, letters);
  }
  {
    Kpi& k = kpi("changes_approved_first");
    k.measurable = false;
    std::int64_t approved = 0;
    each_change(ledger, [&](const Change& c) {
      if (c.state.status == ChangeStatus::approved && c.decided_at && *c.decided_at >= from &&
          *c.decided_at < until) {
        ++approved;
      }
    });
    k.how = fmt::format("not measurable: the ledger does not record when work on a change "
                        "began ({} changes approved by both sides in the period)",
                        approved);
  }
  for (auto& k : out) {
    judge(k);
  }
  return out;
}

std::string kpi_value_text(const Kpi& kpi) {
  if (!kpi.measurable) {
    return "not measurable";
  }
  if (!kpi.value) {
    return "no data";
  }
  if (kpi.unit == "%") {
    return number_text(*kpi.value) + "%";
  }
  if (kpi.unit == "h") {  // as pm sla says it: "2 h 20 min"
    return working_time_text(std::chrono::seconds(std::llround(*kpi.value * 3600)), "en");
  }
  if (kpi.unit == "working days") {
    return number_text(*kpi.value) + " working days";
  }
  return number_text(*kpi.value);
}

std::string kpi_verdict(const Kpi& kpi) {
  if (!kpi.measurable) {
    return "not measurable";
  }
  if (!kpi.met) {
    return "no data";
  }
  return *kpi.met ? "met" : "not met";
}

Json kpi_json(const Kpi& kpi) {
  return Json{{"key", kpi.key},
              {"title", kpi.title},
              {"title_ru", kpi.title_ru},
              {"unit", kpi.unit},
              {"target", kpi.target},
              {"target_text", kpi.target_text},
              {"direction", direction_name(kpi.direction)},
              {"value", kpi.value ? Json(*kpi.value) : Json(nullptr)},
              {"n", kpi.n},
              {"met", kpi.met ? Json(*kpi.met) : Json(nullptr)},
              {"measurable", kpi.measurable},
              {"how", kpi.how}};
}

}  // namespace pm
