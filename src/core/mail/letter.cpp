#include "pm/mail/letter.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "pm/mail/html_letter.hpp"
#include "pm/domain/changes.hpp"
#include "pm/util/error.hpp"
#include "pm/time/time.hpp"
#include "pm/util/text.hpp"
#include "pm/util/money.hpp"
#include "pm/util/words.hpp"

namespace pm {

namespace {

/// How deep --data values may nest: a letter's data is a few levels, and the bound keeps a
/// hostile file from exhausting the stack.
constexpr int k_max_data_depth = 16;

/// What a YAML scalar is under the YAML 1.2 core schema: only a plain (unquoted, untagged or
/// tagged as such) `true`/`false` is a boolean and only a plain number a number; `yes`, `no`,
/// `on` and a quoted "false" stay text, as in JSON.
enum class ScalarKind { text, null, boolean, integer, real };

ScalarKind scalar_kind(const YAML::Node& node) {
  static const std::regex k_int(R"(^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$)");
  static const std::regex k_real(
      R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$)");
  const std::string& tag = node.Tag();
  const std::string core = "tag:yaml.org,2002:";
  if (tag == core + "str" || (tag != "?" && tag.rfind(core, 0) != 0)) {
    return ScalarKind::text;  // quoted ("!"), !!str, or a tag of its own
  }
  const std::string& text = node.Scalar();
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return ScalarKind::null;
  }
  if (text == "true" || text == "True" || text == "TRUE" || text == "false" || text == "False" ||
      text == "FALSE") {
    return ScalarKind::boolean;
  }
  if (std::regex_match(text, k_int)) {
    return ScalarKind::integer;
  }
  if (std::regex_match(text, k_real)) {
    return ScalarKind::real;
  }
  return ScalarKind::text;
}

/// A --data scalar as Mustache sees it: booleans as booleans (false hides a section), a
/// whole number that fits as an int (0 hides a section; written as given), any other number
/// and text as written, null as empty.
mstch::node typed_scalar(const YAML::Node& node) {
  switch (scalar_kind(node)) {
    case ScalarKind::null:
      return std::string();
    case ScalarKind::boolean:
      return node.Scalar()[0] == 't' || node.Scalar()[0] == 'T';
    case ScalarKind::integer: {
      // Only when mstch writes it back the same: "007", "+5", "0x1F" and large ones stay text.
      const std::string& text = node.Scalar();
      if (text.size() <= 10 && text.find_first_not_of("-0123456789") == std::string::npos) {
        long long value = std::stoll(text);
        if (value >= std::numeric_limits<int>::min() && value <= std::numeric_limits<int>::max() &&
            std::to_string(value) == text) {
          return static_cast<int>(value);
        }
      }
      return text;
    }
    case ScalarKind::real:  // mstch writes a double to six digits: "1500.50" stays as written
    case ScalarKind::text:
      break;
  }
  return node.Scalar();
}

/// A --data value with its types kept; `where` names the variable in errors.
mstch::node from_yaml(const YAML::Node& node, const std::string& where, int depth = 0) {
  if (depth > k_max_data_depth) {
    throw Error(fmt::format("{} is nested more than {} levels deep; flatten it", where,
                            k_max_data_depth));
  }
  if (node.IsSequence()) {
    mstch::array out;
    for (const auto& item : node) {
      out.push_back(from_yaml(item, where, depth + 1));
    }
    return out;
  }
  if (node.IsMap()) {
    mstch::map out;
    for (const auto& item : node) {
      if (!item.first.IsScalar() || item.first.Scalar().empty()) {
        throw Error(fmt::format("{}: a key inside it is a list, a map or empty; keys are words, "
                                "such as 'name'",
                                where));
      }
      out[item.first.Scalar()] = from_yaml(item.second, where, depth + 1);
    }
    return out;
  }
  if (node.IsNull()) {
    return std::string();
  }
  return typed_scalar(node);
}

mstch::map person_node(const Person& p, const ProjectConfig& config, const std::string& language) {
  std::vector<std::string> roles;
  for (const auto& role : p.roles) {
    roles.push_back(role_label(config, role, language));
  }
  return mstch::map{{"name", p.name}, {"email", p.email}, {"roles", join(roles, ", ")}};
}

mstch::map base_context(const LetterContext& ctx, const std::string& language) {
  const ProjectConfig& c = ctx.config;
  Zone zone = find_zone(c.timezone);
  mstch::array client;
  mstch::array team;
  team.push_back(person_node(c.manager.roles.empty() ? Person{c.manager.name, c.manager.email,
                                                                "team", {"manager"}, {}}
                                                         : c.manager,
                             c, language));
  for (const auto& p : c.people) {
    (p.side == "client" ? client : team).push_back(person_node(p, c, language));
  }
  // The deadline moves only with approved changes; letters show the current one and the baseline.
  Deadline deadline = ctx.ledger != nullptr
                          ? project_deadline(*ctx.ledger, c.deadline, ctx.now + std::chrono::seconds{1})
                          : make_deadline(c.deadline, 0);
  auto long_or_empty = [&](const std::optional<Date>& d) {
    return d ? long_date(*d, language) : std::string();
  };
  return mstch::map{
      {"project", mstch::map{{"name", c.name},
                             {"client", c.client},
                             {"language", language},
                             {"deadline", long_or_empty(deadline.current)},
                             {"baseline_deadline", long_or_empty(deadline.baseline)},
                             {"deadline_shifted", deadline.shifted() && deadline.current.has_value()}}},
      {"manager", mstch::map{{"name", c.manager.name}, {"email", c.manager.email}}},
      {"people", mstch::map{{"client", client}, {"team", team}}},
      {"today", long_date(local_date(ctx.now, zone), language)},
      {"sla", mstch::map{{"reply_hours", std::to_string(c.sla_reply_hours)},
                         {"status_every_days", std::to_string(c.sla_status_every_days)}}},
  };
}

/// Lower-cased, for comparing addresses (domains are case-insensitive; mail systems treat
/// local parts so too in practice).
std::string address_key(const std::string& address) {
  std::string key = address;
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return key;
}

/// Removes from `list` every mailbox whose address `earlier` holds, and repeats within it.
void drop_repeated(std::vector<Mailbox>& list, const std::vector<Mailbox>& earlier) {
  std::vector<std::string> seen;
  for (const auto& m : earlier) {
    seen.push_back(address_key(m.address));
  }
  std::vector<Mailbox> kept;
  for (auto& m : list) {
    std::string key = address_key(m.address);
    if (std::find(seen.begin(), seen.end(), key) == seen.end()) {
      seen.push_back(key);
      kept.push_back(std::move(m));
    }
  }
  list = std::move(kept);
}

/// Whom a letter greets: every To recipient by the name they are greeted by (a person's
/// `greeting`, else the name on the address), "Ivan and Olga" / "Иван и Ольга"; more than
/// three as "colleagues"; the client organisation when no recipient has a name.
std::string greeting_names(const std::vector<Mailbox>& to, const ProjectConfig& config,
                           const std::string& language) {
  std::vector<std::string> names;
  for (const auto& m : to) {
    std::string name = m.name;
    for (const auto& p : config.people) {
      if (address_key(p.email) == address_key(m.address) && !p.greeting.empty()) {
        name = p.greeting;
      }
    }
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  }
  if (names.empty()) {
    return config.client;
  }
  if (names.size() > 3) {
    return language == "ru" ? "коллеги" : "colleagues";
  }
  const std::string last = names.back();
  names.pop_back();
  if (names.empty()) {
    return last;
  }
  return join(names, ", ") + (language == "ru" ? " и " : " and ") + last;
}

std::vector<Mailbox> resolve(const std::vector<std::string>& specs, const LetterContext& ctx,
                             const std::string& template_name) {
  std::vector<Mailbox> out;
  for (const auto& spec : specs) {
    if (spec.find('@') != std::string::npos) {
      out.push_back(parse_mailbox(spec));
      continue;
    }
    std::string side = "client";
    std::string role = spec;
    if (auto dot = spec.find('.'); dot != std::string::npos) {
      side = spec.substr(0, dot);
      role = spec.substr(dot + 1);
    }
    auto people = people_with_role(ctx.config, side, role);
    if (people.empty()) {
      throw Error(fmt::format("the '{}' letter goes to the {}'s {}, and nobody has that role; add "
                              "one with: pm people add \"NAME <ADDRESS>\" --side {} --role {} "
                              "(or pass --to ADDRESS)",
                              template_name, side, role, side, role));
    }
    for (const auto& p : people) {
      if (p.email.empty()) {
        throw Error(fmt::format("{} ({} {}) has no email address; set it in .pm/project.yaml",
                                p.name, side, role));
      }
      Mailbox m = parse_mailbox(p.email);
      m.name = p.name;
      bool seen = std::any_of(out.begin(), out.end(),
                              [&](const Mailbox& o) { return o.address == m.address; });
      if (!seen) {
        out.push_back(m);
      }
    }
  }
  return out;
}

/// The value of `v` from what was given. `typed`: it came from --data and keeps its YAML
/// type; --set values and defaults are text, typed by the variable's declared type alone.
/// `currency` is what a money amount without its own currency is in (the letter's `currency`
/// variable, else the project's), or empty.
mstch::node typed_value(const TemplateVariable& v, const YAML::Node& given, bool typed,
                        const std::string& language, const std::string& template_name,
                        const std::string& currency) {
  auto where = [&] { return fmt::format("variable '{}' of '{}'", v.name, template_name); };
  if (v.type == "list") {
    if (given.IsSequence()) {
      return from_yaml(given, where());
    }
    if (given.IsMap()) {
      throw Error(fmt::format("{} is a list, and was given a map; give it as a YAML list "
                              "(- item) or as lines of --set {}=...",
                              where(), v.name));
    }
    mstch::array items;
    std::string text = given.IsScalar() ? given.Scalar() : "";
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t end = text.find('\n', start);
      std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (!line.empty()) {
        items.push_back(line);
      }
      if (end == std::string::npos) {
        break;
      }
      start = end + 1;
    }
    return items;
  }
  if (v.type == "map") {
    if (!given.IsMap()) {
      throw Error(fmt::format("{} is a map of fields; give it in --data FILE as {}: {{key: "
                              "value, ...}}",
                              where(), v.name));
    }
    return from_yaml(given, where());
  }
  if (!given.IsScalar()) {
    throw Error(fmt::format("{} must be a single value, not a list or a map", where()));
  }
  std::string text = given.Scalar();
  if (v.type == "date") {
    return long_date(parse_date(text, where()), language);
  }
  if (v.type == "number") {
    std::optional<Decimal> number = parse_decimal(text);
    if (!number) {
      throw Error(fmt::format("{} must be a number such as 1500 or 1500.50, not '{}' (a lone "
                              "separator before three digits, as in 1,500, is ambiguous)",
                              where(), text));
    }
    if (number->whole == "0" && number->fraction.find_first_not_of('0') == std::string::npos) {
      return 0;  // zero hides a {{#count}} section, as Mustache has it
    }
    return format_number(*number, language);
  }
  if (v.type == "money") {
    std::optional<Money> money = parse_money(text);
    if (!money) {
      throw Error(fmt::format("{} must be an amount such as 1500, 1500.50 or '1500.50 EUR', not "
                              "'{}' (a lone separator before three digits, as in 1,500, is "
                              "ambiguous without a currency)",
                              where(), text));
    }
    if (money->currency.empty()) {
      money->currency = currency;
    }
    if (money->currency.empty()) {
      throw Error(fmt::format("{}: '{}' has no currency; write it as '{} EUR' (or RUB, USD, ...), "
                              "or set currency: in .pm/project.yaml",
                              where(), text, text));
    }
    return format_money(*money, language);
  }
  if (typed) {
    // A boolean stays one (`{{flag}}` writes true or false, `{{#flag}}` shows only when true);
    // a whole number renders as written.
    return typed_scalar(given);
  }
  return text;
}

}  // namespace

namespace {

// Helpers ({{#plural}}COUNT|FORMS{{/plural}}, {{#quote}}TEXT{{/quote}}): the lambda only marks
// its section, which Mustache then renders in its own scope (a change's {{days}} inside
// {{#changes}}); the marks are replaced once the text is rendered, innermost first. Record
// separators, which no text pm accepts may hold (docs/reliability.md), delimit the marks.
constexpr std::string_view k_helper_open = "\x1e\x1e";
constexpr std::string_view k_helper_close = "\x1e\x1f";

std::string expand_helper(std::string_view name, std::string_view section,
                          std::string_view language) {
  if (name == "quote") {
    return quoted(section, language);
  }
  const std::size_t bar = section.find('|');
  return bar == std::string_view::npos
             ? std::string(section)
             : plural_text(section.substr(0, bar), section.substr(bar + 1), language);
}

std::string expand_helpers(std::string text, std::string_view language, bool markdown) {
  for (std::size_t close = text.find(k_helper_close); close != std::string::npos;
       close = text.find(k_helper_close)) {
    const std::size_t at = text.rfind(k_helper_open, close);
    const std::size_t colon = at == std::string::npos ? at : text.find(':', at);
    if (at == std::string::npos || colon == std::string::npos || colon > close) {
      break;  // cannot happen: every mark is written whole by the lambdas below
    }
    const std::string_view name(text.data() + at + k_helper_open.size(),
                                colon - at - k_helper_open.size());
    const std::string_view section(text.data() + colon + 1, close - colon - 1);
    // In Markdown the section's values are escaped: the helper reads their text ("\-3" is the
    // count -3) and its result is escaped as a value is.
    const std::string expanded =
        markdown ? escape_markdown(expand_helper(name, unescape_markdown(section), language))
                 : expand_helper(name, section, language);
    text.replace(at, close + k_helper_close.size() - at, expanded);
  }
  return text;
}

mstch::lambda helper(std::string_view name) {
  std::string open = std::string(k_helper_open) + std::string(name) + ":";
  return mstch::lambda{[open](const std::string& section) -> mstch::node {
    return open + section + std::string(k_helper_close);
  }};
}

}  // namespace

std::string render_mustache(const std::string& text, const mstch::map& context,
                            std::string_view language,
                            const std::map<std::string, std::string>& partials, bool markdown) {
  // Letters are plain text: HTML escaping would turn "O'Brien & Co" into entities. Their
  // Markdown (the HTML part's) escapes Markdown instead, and cmark writes the HTML.
  if (markdown) {
    mstch::config::escape = [](const std::string& s) { return escape_markdown(s); };
  } else {
    mstch::config::escape = [](const std::string& s) { return s; };
  }
  mstch::map with_helpers = context;
  with_helpers["plural"] = helper("plural");
  with_helpers["quote"] = helper("quote");
  std::string out = expand_helpers(mstch::render(text, with_helpers, partials), language, markdown);
  mstch::config::escape = [](const std::string& s) { return s; };
  return out;
}

Letter render_letter(const LetterTemplate& tmpl, const LetterContext& ctx,
                     const LetterInput& input) {
  Letter letter;
  letter.template_name = tmpl.name;
  letter.language = tmpl.language;
  letter.from = Mailbox{ctx.config.manager.name, ctx.config.manager.email};
  if (letter.from.address.empty()) {
    throw Error("the project has no manager address to send from; set manager.email in "
                ".pm/project.yaml");
  }
  letter.to = resolve(input.to.empty() ? tmpl.to : input.to, ctx, tmpl.name);
  letter.cc = resolve(input.cc.empty() ? tmpl.cc : input.cc, ctx, tmpl.name);
  letter.bcc = resolve(tmpl.bcc, ctx, tmpl.name);
  // Each address once across To, Cc and Bcc: a person with two roles gets one copy, in the
  // first list that names them (To wins).
  drop_repeated(letter.cc, letter.to);
  drop_repeated(letter.bcc, letter.to);
  drop_repeated(letter.bcc, letter.cc);

  // Given values: --data first (typed), --set on top (text).
  std::map<std::string, YAML::Node> given;
  std::set<std::string> typed;
  if (input.data && input.data.IsMap()) {
    for (const auto& item : input.data) {
      if (!item.first.IsScalar()) {
        throw Error("--data: a key is a list or a map; the keys are the letter's variables");
      }
      if (item.second.IsNull()) {
        continue;  // `key:` with nothing after it: not given (a default or `required` applies)
      }
      given[item.first.Scalar()] = item.second;
      typed.insert(item.first.Scalar());
    }
  }
  for (const auto& [key, value] : input.sets) {
    given[key] = YAML::Node(value);
    typed.erase(key);
  }
  for (const auto& [key, value] : given) {
    if (tmpl.variable(key) == nullptr) {
      std::vector<std::string> names;
      for (const auto& v : tmpl.variables) {
        names.push_back(v.name);
      }
      throw Error(fmt::format("'{}' is not a variable of the '{}' letter; it declares: {}", key,
                              tmpl.name, names.empty() ? "none" : join(names, ", ")));
    }
  }

  // What an amount without its own currency is in: the letter's `currency`, else the project's.
  std::string currency = ctx.config.currency;
  if (const TemplateVariable* c = tmpl.variable("currency"); c != nullptr && c->type == "text") {
    if (auto it = given.find("currency"); it != given.end() && it->second.IsScalar()) {
      currency = it->second.as<std::string>();
    } else if (c->default_value) {
      currency = *c->default_value;
    }
  }
  if (!currency.empty() && !is_currency_code(currency)) {
    throw Error(fmt::format("currency '{}' of the '{}' letter is not an ISO 4217 code; give one "
                            "such as EUR, USD or RUB",
                            currency, tmpl.name));
  }
  for (auto& c : currency) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }

  // The greeting is known once the recipients are, and a source may add some (a meeting's
  // people): the context's recipient is set after the sources have run.
  mstch::map context = base_context(ctx, tmpl.language);
  LetterTrace trace;
  for (const auto& v : tmpl.variables) {
    auto it = given.find(v.name);
    if (!v.from.empty()) {
      const auto& sources = letter_sources();
      auto source = std::find_if(sources.begin(), sources.end(),
                                 [&](const LetterSource& s) { return v.from == s.kind; });
      if (source == sources.end()) {
        throw Error(fmt::format("{}: variable '{}' takes its value from '{}', which pm does not "
                                "know",
                                tmpl.origin, v.name, v.from));
      }
      std::optional<EntryId> id;
      if (it != given.end()) {
        if (!it->second.IsScalar()) {
          throw Error(fmt::format("{}: variable '{}' is the number of a {} entry, not a list or "
                                  "a map",
                                  tmpl.name, v.name, v.from));
        }
        std::string text = it->second.Scalar();
        try {
          std::size_t used = 0;
          id = std::stoll(text, &used);
          if (used != text.size()) {
            throw std::invalid_argument(text);
          }
        } catch (const std::exception&) {
          throw Error(fmt::format("--set {}={}: expected the id of an entry, a whole number",
                                  v.name, text));
        }
      }
      LetterContext local = ctx;
      local.language = tmpl.language;
      context[v.name] = source->fill(local, id, trace);
    } else if (it != given.end()) {
      context[v.name] = typed_value(v, it->second, typed.count(v.name) != 0, tmpl.language,
                                    tmpl.name, currency);
    } else if (v.default_value) {
      context[v.name] = typed_value(v, YAML::Node(*v.default_value), false, tmpl.language,
                                    tmpl.name, currency);
    } else if (v.required) {
      throw Error(fmt::format("the '{}' letter needs '{}' ({}); give it with --set {}=VALUE",
                              tmpl.name, v.name, v.description, v.name));
    } else {
      context[v.name] = v.type == "list" ? mstch::node(mstch::array{}) : std::string();
    }
  }

  letter.entries = std::move(trace.entries);
  if (input.to.empty() && !trace.to.empty()) {
    // A meeting's summary goes to the people who took part (the manager sends it).
    std::vector<Mailbox> people;
    for (const auto& who : trace.to) {
      if (const Person* p = find_person(ctx.config, who); p != nullptr && !p->email.empty()) {
        Mailbox m = parse_mailbox(p->email);
        m.name = p->name;
        if (address_key(m.address) != address_key(letter.from.address)) {
          people.push_back(m);
        }
      }
    }
    drop_repeated(people, {});
    if (!people.empty()) {
      letter.to = std::move(people);
      drop_repeated(letter.cc, letter.to);
      drop_repeated(letter.bcc, letter.to);
    }
  }
  if (input.cc.empty()) {
    // Whoever else took part in the meeting is copied: a person of the project by name or
    // address (a name pm does not know has no address to copy).
    for (const auto& who : trace.copy) {
      if (const Person* p = find_person(ctx.config, who); p != nullptr && !p->email.empty()) {
        Mailbox m = parse_mailbox(p->email);
        m.name = p->name;
        letter.cc.push_back(m);
      }
    }
    drop_repeated(letter.cc, letter.to);
    letter.cc.erase(std::remove_if(letter.cc.begin(), letter.cc.end(),
                                   [&](const Mailbox& m) {
                                     return address_key(m.address) ==
                                            address_key(letter.from.address);
                                   }),
                    letter.cc.end());
    drop_repeated(letter.bcc, letter.cc);
  }
  context["recipient"] =
      mstch::map{{"name", greeting_names(letter.to, ctx.config, tmpl.language)}};
  // {{#has.NAME}}: whether list variable NAME has items, for a heading shown only then
  // ({{#NAME}} would repeat it once per item).
  mstch::map has;
  for (const auto& v : tmpl.variables) {
    if (v.type == "list" && v.from.empty()) {
      const auto* items = boost::get<mstch::array>(&context[v.name]);
      has[v.name] = items != nullptr && !items->empty();
    }
  }
  context["has"] = has;

  if (ctx.ledger != nullptr) {
    letter.ledger_head = chain_head(ctx.ledger->db());
  }
  letter.subject = render_mustache(tmpl.subject, context, tmpl.language, tmpl.partials);
  while (!letter.subject.empty() &&
         (letter.subject.back() == ' ' || letter.subject.back() == '\n')) {
    letter.subject.pop_back();
  }
  if (letter.subject.find_first_of("\r\n") != std::string::npos) {
    throw Error(fmt::format("the subject of the '{}' letter would contain a line break (from a "
                            "value given to it); give single-line values to the subject",
                            tmpl.name));
  }
  letter.body = render_mustache(tmpl.body, context, tmpl.language, tmpl.partials);
  if (input.markdown) {
    letter.markdown = render_mustache(tmpl.body, context, tmpl.language, tmpl.partials, true);
  }
  return letter;
}

LetterFormat parse_letter_format(const std::string& name) {
  if (name == "text") {
    return LetterFormat::text;
  }
  if (name == "md") {
    return LetterFormat::md;
  }
  if (name == "eml") {
    return LetterFormat::eml;
  }
  if (name == "html") {
    return LetterFormat::html;
  }
  throw Error(fmt::format("unknown format '{}'; use text, md, eml or html", name));
}

std::string format_letter(const Letter& letter, LetterFormat format, Instant now, Zone zone,
                          bool html_part) {
  auto list = [](const std::vector<Mailbox>& boxes) {
    std::vector<std::string> out;
    for (const auto& b : boxes) {
      out.push_back(to_display(b));
    }
    return join(out, ", ");
  };
  std::string body = letter.body;
  if (!body.empty() && body.back() != '\n') {
    body += '\n';
  }
  std::string markdown = letter.markdown ? *letter.markdown : escape_markdown(letter.body);
  if (!markdown.empty() && markdown.back() != '\n') {
    markdown += '\n';
  }
  if (letter.ledger_head) {
    // The client's copy of any letter anchors the chain: pm verify --head N:HASH.
    const std::string head = fmt::format(fmt::runtime(word("ledger.head", letter.language)),
                                         fmt::arg("head", letter.ledger_head->short_text()));
    body += "\n" + head + "\n";
    markdown += "\n" + escape_markdown(head) + "\n";
  }
  switch (format) {
    case LetterFormat::text: {
      std::string out = fmt::format("From: {}\nTo: {}\n", to_display(letter.from), list(letter.to));
      if (!letter.cc.empty()) {
        out += fmt::format("Cc: {}\n", list(letter.cc));
      }
      if (!letter.bcc.empty()) {
        out += fmt::format("Bcc: {}\n", list(letter.bcc));
      }
      return out + fmt::format("Subject: {}\n\n{}", letter.subject, body);
    }
    case LetterFormat::md: {
      std::string out = fmt::format("**From:** {}  \n**To:** {}  \n", to_display(letter.from),
                                    list(letter.to));
      if (!letter.cc.empty()) {
        out += fmt::format("**Cc:** {}  \n", list(letter.cc));
      }
      return out + fmt::format("**Subject:** {}\n\n---\n\n{}", letter.subject, body);
    }
    case LetterFormat::html:
      return html_letter(markdown, letter.subject, letter.language);
    case LetterFormat::eml: {
      Message m;
      m.from = letter.from;
      m.to = letter.to;
      m.cc = letter.cc;
      m.bcc = letter.bcc;
      m.subject = letter.subject;
      m.body = body;
      if (html_part) {
        m.html = html_letter(markdown, letter.subject, letter.language);
      }
      m.date = now;
      m.utc_offset = utc_offset(now, zone);
      std::string domain = letter.from.address.substr(letter.from.address.find('@') + 1);
      m.message_id = !letter.message_id.empty()
                          ? letter.message_id
                          : make_message_id(letter.template_name + '\n' + letter.subject + '\n' +
                                                body + list(letter.to),
                                            now, domain);
      if (!letter.in_reply_to.empty()) {
        m.extra_headers.emplace_back("In-Reply-To", "<" + letter.in_reply_to + ">");
        m.extra_headers.emplace_back("References", "<" + letter.in_reply_to + ">");
      }
      m.extra_headers.emplace_back("X-PM-Template", letter.template_name);
      for (auto id : letter.entries) {
        m.extra_headers.emplace_back("X-PM-Entry", std::to_string(id));
      }
      if (letter.ledger_head) {
        m.extra_headers.emplace_back("X-PM-Ledger", letter.ledger_head->text());
      }
      return build_message(m);
    }
  }
  return body;
}

}  // namespace pm
