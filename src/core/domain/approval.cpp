#include "pm/domain/approval.hpp"

#include <cctype>

#include <fmt/format.h>

#include "pm/util/error.hpp"
#include "pm/util/text.hpp"

namespace pm {

namespace {

std::string folded(const std::string& text) {
  std::string out = trimmed(text);
  for (auto& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

/// Whether `by` names `person`: their name, their address, or "Name <address>" with either.
bool names(const Person& person, const std::string& by) {
  std::string b = folded(by);
  if (b.empty()) {
    return false;
  }
  auto open = b.find('<');
  auto close = b.rfind('>');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    std::string name = folded(b.substr(0, open));
    std::string address = folded(b.substr(open + 1, close - open - 1));
    return (!address.empty() && address == folded(person.email)) ||
           (!name.empty() && name == folded(person.name));
  }
  return b == folded(person.name) || (!person.email.empty() && b == folded(person.email));
}

/// Everyone on `side`: for the team, the manager first.
std::vector<Person> people_of(const ProjectConfig& config, Side side) {
  std::vector<Person> out;
  if (side == Side::team) {
    Person manager = config.manager;
    manager.side = "team";
    if (manager.roles.empty()) {
      manager.roles = {"manager"};
    }
    out.push_back(manager);
  }
  for (const auto& p : config.people) {
    if (p.side == side_name(side)) {
      out.push_back(p);
    }
  }
  return out;
}

std::string roles_of(const Person& person) {
  std::string out;
  for (const auto& r : person.roles) {
    out += (out.empty() ? "" : ", ") + r;
  }
  return out.empty() ? "" : " (" + out + ")";
}

std::string names_of(const std::vector<Person>& people) {
  std::string out;
  for (const auto& p : people) {
    out += (out.empty() ? "" : ", ") + p.name;
  }
  return out;
}

}  // namespace

const char* side_name(Side side) { return side == Side::client ? "client" : "team"; }

Person approver_for(const ProjectConfig& config, Side side, const std::string& by,
                    const std::string& author) {
  const Side other = side == Side::client ? Side::team : Side::client;
  const std::vector<Person> mine = people_of(config, side);
  if (trimmed(by).empty()) {
    if (side == Side::client) {
      throw Error(fmt::format("--side client needs --by: name the client's person who approved "
                              "({}; `pm people` lists them)",
                              mine.empty() ? "none is recorded yet: pm people add \"NAME "
                                             "<ADDRESS>\" --side client"
                                           : "one of: " + names_of(mine)));
    }
    for (const auto& p : mine) {
      if (names(p, author)) {
        return p;
      }
    }
    return mine.front();  // the manager
  }
  for (const auto& p : mine) {
    if (names(p, by)) {
      return p;
    }
  }
  for (const auto& p : people_of(config, other)) {
    if (names(p, by)) {
      if (p.name == config.manager.name && other == Side::team) {
        throw Error(fmt::format("--by {}: {} is the project's manager, on the team's side, and "
                                "cannot approve for the client; name the client's person who "
                                "approved",
                                by, p.name));
      }
      throw Error(fmt::format("--by {}: {} is on the {}'s side{}, and cannot approve for the {}; "
                              "name a person of the {}'s side (`pm people` lists both sides)",
                              by, p.name, side_name(other), roles_of(p), side_name(side),
                              side_name(side)));
    }
  }
  throw Error(fmt::format("--by {}: nobody of that name or address is on the {}'s side; add them "
                          "with pm people add \"NAME <ADDRESS>\" --side {}{}",
                          by, side_name(side), side_name(side),
                          mine.empty() ? std::string() : ", or name one of: " + names_of(mine)));
}

}  // namespace pm
