#include "pm/mail/letter.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>

#include <fmt/format.h>

#include "pm/domain/changes.hpp"
#include "pm/util/error.hpp"
#include "pm/time/time.hpp"
#include "pm/util/text.hpp"
#include "pm/util/words.hpp"

namespace pm {

namespace {

mstch::node from_yaml(const YAML::Node& node) {
  if (node.IsSequence()) {
    mstch::array out;
    for (const auto& item : node) {
      out.push_back(from_yaml(item));
    }
    return out;
  }
  if (node.IsMap()) {
    mstch::map out;
    for (const auto& item : node) {
      out[item.first.as<std::string>()] = from_yaml(item.second);
    }
    return out;
  }
  if (node.IsNull()) {
    return std::string();
  }
  return node.as<std::string>();
}

/// Role names as a letter in `language` shows them; unknown roles stay as written.
std::string role_label(const std::string& role, const std::string& language) {
  static const std::map<std::string, std::pair<const char*, const char*>> k_labels = {
      {"approver", {"approvals", "согласование"}},
      {"technical", {"technical questions", "технические вопросы"}},
      {"finance", {"finance", "финансы"}},
      {"sponsor", {"sponsor", "спонсор проекта"}},
      {"manager", {"project manager", "руководитель проекта"}},
  };
  auto it = k_labels.find(role);
  if (it == k_labels.end()) {
    return role;
  }
  return language == "ru" ? it->second.second : it->second.first;
}

mstch::map person_node(const Person& p, const std::string& language) {
  std::vector<std::string> roles;
  for (const auto& role : p.roles) {
    roles.push_back(role_label(role, language));
  }
  return mstch::map{{"name", p.name}, {"email", p.email}, {"roles", join(roles, ", ")}};
}

mstch::map base_context(const LetterContext& ctx, const std::string& language,
                        const std::string& recipient_name) {
  const ProjectConfig& c = ctx.config;
  Zone zone = find_zone(c.timezone);
  mstch::array client;
  mstch::array team;
  team.push_back(person_node(c.manager.roles.empty() ? Person{c.manager.name, c.manager.email,
                                                                "team", {"manager"}, {}}
                                                         : c.manager,
                             language));
  for (const auto& p : c.people) {
    (p.side == "client" ? client : team).push_back(person_node(p, language));
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
      {"recipient", mstch::map{{"name", recipient_name}}},
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

mstch::node typed_value(const TemplateVariable& v, const YAML::Node& given,
                        const std::string& language, const std::string& template_name) {
  auto where = [&] { return fmt::format("variable '{}' of '{}'", v.name, template_name); };
  if (v.type == "list") {
    if (given.IsSequence()) {
      return from_yaml(given);
    }
    mstch::array items;
    std::string text = given.IsScalar() ? given.as<std::string>() : "";
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
  if (!given.IsScalar()) {
    throw Error(fmt::format("{} must be a single value, not a list or a map", where()));
  }
  std::string text = given.as<std::string>();
  if (v.type == "date") {
    return long_date(parse_date(text, where()), language);
  }
  if (v.type == "number") {
    static const std::regex k_number(R"(^-?\d+([.,]\d+)?$)");
    if (!std::regex_match(text, k_number)) {
      throw Error(fmt::format("{} must be a number, not '{}'", where(), text));
    }
  }
  return text;
}

}  // namespace

namespace {

// {{#plural}}COUNT|FORMS{{/plural}}: the lambda only marks its section, which Mustache then
// renders in its own scope (a change's {{days}} inside {{#changes}}); the marks are replaced
// by the count and its form once the text is rendered. Record separators, which no text pm
// accepts may hold (docs/reliability.md), delimit the marks.
constexpr std::string_view k_plural_open = "\x1e\x1eplural:";
constexpr std::string_view k_plural_close = "\x1e\x1f";

std::string expand_plurals(std::string text, std::string_view language) {
  for (std::size_t at = text.find(k_plural_open); at != std::string::npos;
       at = text.find(k_plural_open, at)) {
    const std::size_t inner = at + k_plural_open.size();
    const std::size_t close = text.find(k_plural_close, inner);
    if (close == std::string::npos) {
      break;
    }
    const std::string_view section(text.data() + inner, close - inner);
    const std::size_t bar = section.find('|');
    const std::string expanded =
        bar == std::string_view::npos
            ? std::string(section)
            : plural_text(section.substr(0, bar), section.substr(bar + 1), language);
    text.replace(at, close + k_plural_close.size() - at, expanded);
    at += expanded.size();
  }
  return text;
}

}  // namespace

std::string render_mustache(const std::string& text, const mstch::map& context,
                            std::string_view language) {
  // Letters are plain text: HTML escaping would turn "O'Brien & Co" into entities.
  mstch::config::escape = [](const std::string& s) { return s; };
  mstch::map with_helpers = context;
  with_helpers["plural"] = mstch::lambda{[](const std::string& section) -> mstch::node {
    return std::string(k_plural_open) + section + std::string(k_plural_close);
  }};
  return expand_plurals(mstch::render(text, with_helpers), language);
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

  // Given values: --data first, --set on top.
  std::map<std::string, YAML::Node> given;
  if (input.data && input.data.IsMap()) {
    for (const auto& item : input.data) {
      given[item.first.as<std::string>()] = item.second;
    }
  }
  for (const auto& [key, value] : input.sets) {
    given[key] = YAML::Node(value);
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

  const std::string recipient = greeting_names(letter.to, ctx.config, tmpl.language);
  mstch::map context = base_context(ctx, tmpl.language, recipient);
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
        std::string text = it->second.as<std::string>();
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
      context[v.name] = source->fill(local, id, letter.entries);
    } else if (it != given.end()) {
      context[v.name] = typed_value(v, it->second, tmpl.language, tmpl.name);
    } else if (v.default_value) {
      context[v.name] = typed_value(v, YAML::Node(*v.default_value), tmpl.language, tmpl.name);
    } else if (v.required) {
      throw Error(fmt::format("the '{}' letter needs '{}' ({}); give it with --set {}=VALUE",
                              tmpl.name, v.name, v.description, v.name));
    } else {
      context[v.name] = v.type == "list" ? mstch::node(mstch::array{}) : std::string();
    }
  }

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
  letter.subject = render_mustache(tmpl.subject, context, tmpl.language);
  while (!letter.subject.empty() &&
         (letter.subject.back() == ' ' || letter.subject.back() == '\n')) {
    letter.subject.pop_back();
  }
  if (letter.subject.find_first_of("\r\n") != std::string::npos) {
    throw Error(fmt::format("the subject of the '{}' letter would contain a line break (from a "
                            "value given to it); give single-line values to the subject",
                            tmpl.name));
  }
  letter.body = render_mustache(tmpl.body, context, tmpl.language);
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
  throw Error(fmt::format("unknown format '{}'; use text, md or eml", name));
}

std::string format_letter(const Letter& letter, LetterFormat format, Instant now, Zone zone) {
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
  if (letter.ledger_head) {
    // The client's copy of any letter anchors the chain: pm verify --head N:HASH.
    body += "\n" + fmt::format(fmt::runtime(word("ledger.head", letter.language)),
                               fmt::arg("head", letter.ledger_head->short_text())) +
            "\n";
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
    case LetterFormat::eml: {
      Message m;
      m.from = letter.from;
      m.to = letter.to;
      m.cc = letter.cc;
      m.bcc = letter.bcc;
      m.subject = letter.subject;
      m.body = body;
      m.date = now;
      m.utc_offset = utc_offset(now, zone);
      std::string domain = letter.from.address.substr(letter.from.address.find('@') + 1);
      m.message_id = make_message_id(letter.template_name + '\n' + letter.subject + '\n' + body +
                                         list(letter.to),
                                     now, domain);
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
