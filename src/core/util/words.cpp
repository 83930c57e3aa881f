#include "pm/util/words.hpp"

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
      {"report.project_deadline", "Project deadline", "Срок сдачи проекта"},
      {"report.number", "#{id}", "№ {id}"},
      // Days of impact.
      {"days.one", "{days} day", "{days} дн."},
      {"days.many", "{days} days", "{days} дн."},
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

}  // namespace pm
