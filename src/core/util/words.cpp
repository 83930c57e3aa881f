#include "pm/util/words.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include <fmt/format.h>

namespace pm {

const std::vector<Phrase>& phrases() {
  static const std::vector<Phrase> k_phrases = {
      // Change status, as a letter or a report says it.
      {"change.proposed", "proposed, awaiting approval by both sides",
       "предложено, ждёт согласования обеих сторон"},
      {"change.proposed.client", "approved by the client, awaiting the team's approval",
       "согласовано клиентом, ждёт согласования команды"},
      {"change.proposed.team", "approved by the team, awaiting the client's approval",
       "согласовано командой, ждёт согласования клиента"},
      {"change.approved", "approved by both sides", "согласовано обеими сторонами"},
      {"change.rejected.client", "rejected by the client", "отклонено клиентом"},
      {"change.rejected.team", "withdrawn by the team", "отозвано командой"},
      // Risk levels: probability (feminine in Russian) and impact (neuter).
      {"probability.low", "low", "низкая"},
      {"probability.medium", "medium", "средняя"},
      {"probability.high", "high", "высокая"},
      {"impact.low", "low", "низкое"},
      {"impact.medium", "medium", "среднее"},
      {"impact.high", "high", "высокое"},
      // The report: title, sections (in order) and what each says when empty.
      {"report.title", "{project}: status for {period}", "{project}: статус за {period}"},
      {"report.done", "Done", "Сделано"},
      {"report.done.none", "Nothing recorded this period.", "За этот период ничего не отмечено."},
      {"report.next", "Next", "Дальше"},
      {"report.next.none", "Nothing planned yet.", "Планы на следующий период пока не внесены."},
      {"report.agreements", "Agreed", "Договорились"},
      {"report.agreements.none", "No new agreements.", "Новых договорённостей нет."},
      {"report.decisions", "Decided", "Решения"},
      {"report.decisions.none", "No decisions this period.", "Решений за этот период нет."},
      {"report.evidence", "{side}: {by}, {evidence}", "{side}: {by}, {evidence}"},
      {"side.client", "client", "клиент"},
      {"side.team", "team", "команда"},
      {"report.changes", "Changes", "Изменения"},
      {"report.changes.none", "No changes this period.", "За этот период изменений нет."},
      {"report.risks", "Open risks", "Открытые риски"},
      {"report.risks.none", "No open risks.", "Открытых рисков нет."},
      {"report.agreement_steps", "Agreements confirmed, fulfilled or withdrawn",
       "Договорённости: подтверждены, выполнены, отозваны"},
      {"report.agreement_steps.none", "No agreement changed its state this period.",
       "За период ни одна договорённость не изменила статус."},
      {"agreement.confirmed", "confirmed", "подтверждена"},
      {"agreement.disputed", "disputed", "оспорена"},
      {"agreement.fulfilled", "fulfilled", "выполнена"},
      {"agreement.withdrawn", "withdrawn", "отозвана"},
      {"report.closed_risks", "Risks closed", "Закрытые риски"},
      {"report.closed_risks.none", "No risks closed this period.",
       "За этот период риски не закрывались."},
      {"report.communication", "Communication", "Переписка"},
      {"report.communication.none", "No letters or requests this period.",
       "За период писем и запросов не было."},
      {"report.communication.letters", "Letters sent: {n}", "Отправлено писем: {n}"},
      {"report.communication.requests",
       "Requests received: {n}, answered: {replied}",
       "Получено запросов: {n}, отвечено: {replied}"},
      {"report.communication.median",
       "Median time to the first reply: {time} of working time (target: {target})",
       "Медианное время до первого ответа: {time} рабочего времени (цель: {target})"},
      {"report.communication.breaches", "Past the reply target (answered late or still waiting): {n}",
       "Сверх целевого времени (ответ с опозданием или ещё ждут): {n}"},
      {"report.upcoming", "Coming up (next 14 days)", "Ближайшие сроки (14 дней)"},
      {"report.upcoming.none", "No dates in the coming period.", "В ближайший период сроков нет."},
      {"report.overdue", "Overdue", "Просрочено"},
      {"report.overdue.none", "Nothing overdue.", "Просроченного нет."},
      {"report.deadline", "Project deadline", "Срок сдачи проекта"},
      {"report.deadline.none", "Not set yet.", "Пока не установлен."},
      {"report.deadline.kept", "{current}, as planned.", "{current}, по плану."},
      {"report.deadline.moved", "{current}, moved from the original {baseline} ({days} by approved changes).",
       "{current}, перенесён с {baseline} ({days} по согласованным изменениям)."},
      {"report.off_plan", "We are off plan this period; the details are below.",
       "В этот период мы отклонились от плана; подробности ниже."},
      {"report.next_steps", "What we propose:", "Что предлагаем:"},
      // The chain head a letter or report was written at: the reader's anchor (pm verify --head).
      {"ledger.head", "Ledger: {head}", "Журнал проекта: {head}"},
      {"report.due", "due {date}", "срок: {date}"},
      {"report.replaces", "replaces #{id}", "заменяет № {id}"},
      {"report.impact", "impact", "влияние"},
      {"report.probability", "Probability", "Вероятность"},
      {"report.impact_level", "Impact", "Влияние"},
      {"report.action", "Action", "Что делаем"},
      {"report.owner", "Owner", "Ответственный"},
      {"report.outcome", "Outcome", "Итог"},
      {"report.project_deadline", "Project deadline", "Срок сдачи проекта"},
      {"report.number", "#{id}", "№ {id}"},
      // pm publish: the client's status site (docs/publish.md).
      {"site.overview", "Overview", "Обзор"},
      {"site.reports", "Weekly reports", "Еженедельные отчёты"},
      {"site.agreements", "Agreements", "Договорённости"},
      {"site.agreements.none", "No agreements recorded yet.", "Договорённостей пока нет."},
      {"site.changes", "Change requests", "Запросы на изменения"},
      {"site.changes.none", "No change requests yet.", "Запросов на изменения пока нет."},
      {"site.risks", "Risks", "Риски"},
      {"site.closed_risks", "Closed risks", "Закрытые риски"},
      {"site.closed_risks.none", "No risks closed yet.", "Закрытых рисков пока нет."},
      {"site.client", "Client", "Клиент"},
      {"site.manager", "Project manager", "Менеджер проекта"},
      {"site.state", "Status", "Состояние"},
      {"site.on_plan", "On plan", "Идём по плану"},
      {"site.off_plan", "Off plan: something is overdue (see below)",
       "Есть отклонение от плана: что-то просрочено (см. ниже)"},
      {"site.next_meeting", "Next meeting", "Следующая встреча"},
      {"site.next_meeting.none", "None scheduled", "Не запланирована"},
      {"site.this_week", "This week's report", "Отчёт за эту неделю"},
      {"site.trends", "Trends", "Динамика"},
      // pm nps --format html.
      {"nps.title", "NPS: {name}", "NPS: {name}"},
      {"nps.portfolio", "the portfolio", "портфель проектов"},
      {"nps.period", "Answers given from {since} to {until}.", "Ответы с {since} по {until}."},
      {"nps.total", "All answers", "Все ответы"},
      {"nps.by.client", "Client", "Клиент"},
      {"nps.by.manager", "Manager", "Менеджер"},
      {"nps.by.month", "Month", "Месяц"},
      {"nps.by.quarter", "Quarter", "Квартал"},
      {"nps.by.project", "Project", "Проект"},
      {"nps.col.answers", "Answers", "Ответов"},
      {"nps.col.nps", "NPS", "NPS"},
      {"nps.col.margin", "Margin (95%)", "Погрешность (95%)"},
      {"nps.col.promoters", "Promoters (9–10)", "Промоутеры (9–10)"},
      {"nps.col.passives", "Passives (7–8)", "Нейтралы (7–8)"},
      {"nps.col.detractors", "Detractors (0–6)", "Критики (0–6)"},
      {"nps.none", "No answers yet.", "Ответов пока нет."},
      {"nps.unreliable", "* fewer than {n} answers: too few for a reliable figure.",
       "* меньше {n} ответов: слишком мало для надёжной оценки."},
      {"site.col.number", "No.", "№"},
      {"site.col.agreed", "Agreed on", "Дата"},
      {"site.col.agreement", "Agreement", "Договорённость"},
      {"site.col.with", "With", "С кем"},
      {"site.col.due", "Due", "Срок"},
      {"site.col.state", "Status", "Статус"},
      {"site.col.proposed", "Proposed on", "Предложено"},
      {"site.col.change", "Change", "Изменение"},
      {"site.col.risk", "Risk", "Риск"},
      {"site.col.closed", "Closed on", "Закрыт"},
      {"agreement.open", "open", "открыта"},
      {"site.replaced_by", "replaced by #{id}", "заменена № {id}"},
      {"site.by_silence", "no objection in time", "возражений в срок не было"},
      {"site.confirm_by", "to be confirmed by {date}", "ждёт подтверждения до {date}"},
      {"site.reason", "Why", "Причина"},
      {"site.approved", "approved", "одобрено"},
      {"site.rejected", "rejected", "отклонено"},
      {"site.evidence", "Evidence", "Подтверждение"},
      {"site.waiting", "not decided yet", "решения пока нет"},
      {"site.updated", "Updated {date}.", "Обновлено: {date}"},
      {"site.verify", "To check this record against the project's ledger:",
       "Сверить эту запись с журналом проекта:"},
      // pm calendar export: an agreement's due date as a calendar event.
      {"calendar.agreement", "Agreement #{id} due: {text}", "Срок по договорённости № {id}: {text}"},
      {"calendar.agreed", "Agreed on {date}.", "Договорились {date}."},
      {"calendar.reminder", "Reminder: {text}", "Напоминание: {text}"},
      {"calendar.agreed_with", "Agreed on {date} with {with}.", "Договорились {date}: {with}."},
      // Charts (domain/charts): titles and descriptions for screen readers, labels.
      {"chart.nps.title", "NPS by month", "NPS по месяцам"},
      {"chart.nps.desc",
       "NPS by month from {first} to {last}, with its 95% margin of error as a band. {latest}",
       "NPS по месяцам с {first} по {last}, полосой — погрешность (95%). {latest}"},
      {"chart.nps.latest", "Latest month with answers, {month}: {nps} ± {margin} (answers: {n}).",
       "Последний месяц с ответами, {month}: {nps} ± {margin} (ответов: {n})."},
      {"chart.nps.point", "{month}: NPS {nps} ± {margin} (answers: {n})",
       "{month}: NPS {nps} ± {margin} (ответов: {n})"},
      {"chart.nps.empty", "No answers yet", "Ответов пока нет"},
      {"chart.months", "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec",
       "янв|фев|мар|апр|май|июн|июл|авг|сен|окт|ноя|дек"},
      {"chart.deadline.title", "Project deadline through approved changes",
       "Срок сдачи проекта и согласованные изменения"},
      {"chart.deadline.desc",
       "Originally {baseline}, today {current}; approved changes that moved it: {n}.",
       "Исходный срок — {baseline}, сейчас — {current}; согласованных изменений, сдвинувших "
       "срок: {n}."},
      {"chart.deadline.event", "{date}: change {number} approved, {days}, deadline {deadline}",
       "{date}: согласовано изменение {number}, {days}, срок {deadline}"},
      {"chart.deadline.baseline", "original: {date}", "исходный: {date}"},
      {"chart.deadline.current", "now: {date}", "сейчас: {date}"},
      {"chart.deadline.empty", "No project deadline set yet", "Срок сдачи проекта пока не установлен"},
      {"chart.done.title", "Work done per week", "Сделано по неделям"},
      {"chart.done.desc",
       "Done notes and fulfilled agreements per ISO week, {first} to {last}: {total} in all.",
       "Отметки «сделано» и выполненные договорённости по неделям, с {first} по {last}: всего "
       "{total}."},
      {"chart.done.empty", "No weeks to show", "Нет недель для показа"},
      {"chart.week", "W{week}", "Н{week}"},
      // Days of impact.
      {"days.one", "{days} day", "{days} дн."},
      {"days.many", "{days} days", "{days} дн."},
      {"days.working", "working day|working days", "рабочий день|рабочих дня|рабочих дней"},
  };
  return k_phrases;
}

std::string word(std::string_view key, std::string_view language) {
  for (const auto& p : phrases()) {
    if (key == p.key) {
      return language == "ru" ? p.ru : p.en;
    }
  }
  throw std::logic_error(fmt::format("pm has no phrase '{}'", key));
}

std::string days_text(int days, std::string_view language) {
  if (days == 0) {
    return "";
  }
  std::string number = fmt::format("{:+}", days);
  std::string phrase = word(days == 1 || days == -1 ? "days.one" : "days.many", language);
  return fmt::format(fmt::runtime(phrase), fmt::arg("days", number));
}

int plural_form(long long count, std::string_view language) {
  const unsigned long long n =
      count < 0 ? 0ULL - static_cast<unsigned long long>(count) : static_cast<unsigned long long>(count);
  if (language == "ru") {
    if (n % 10 == 1 && n % 100 != 11) {
      return 0;
    }
    if (n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14)) {
      return 1;
    }
    return 2;
  }
  return n == 1 ? 0 : 1;
}

std::string plural_text(std::string_view count, std::string_view forms, std::string_view language) {
  std::vector<std::string_view> choices;
  for (std::size_t start = 0;;) {
    const std::size_t bar = forms.find('|', start);
    choices.push_back(forms.substr(start, bar == std::string_view::npos ? bar : bar - start));
    if (bar == std::string_view::npos) {
      break;
    }
    start = bar + 1;
  }
  auto trim = [](std::string_view text) {
    const std::size_t first = text.find_first_not_of(' ');
    return first == std::string_view::npos
               ? std::string_view()
               : text.substr(first, text.find_last_not_of(' ') - first + 1);
  };
  const std::string_view number = trim(count);
  std::size_t form = choices.size() - 1;
  long long value = 0;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (!number.empty() && error == std::errc() && end == number.data() + number.size()) {
    form = std::min(static_cast<std::size_t>(plural_form(value, language)), choices.size() - 1);
  }
  const std::string_view chosen = trim(choices[form]);
  return chosen.empty() ? std::string(number) : fmt::format("{} {}", number, chosen);
}

}  // namespace pm
