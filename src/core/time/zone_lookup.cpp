// Finding a zone: by IANA name under the system's zoneinfo directory (one file read, nothing
// listed), and the system's own zone from TZ, /etc/localtime or /etc/timezone.
#include "pm/time/time.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include <fmt/format.h>

#include "pm/time/zone.hpp"
#include "pm/util/error.hpp"

namespace pm {

namespace {

/// The directory of the system's zone files (where date's tz database looked).
const std::string& zoneinfo_dir() {
  static const std::string dir = [] {
    struct stat st {};
    if (::stat("/usr/share/zoneinfo/uclibc", &st) == 0 && S_ISDIR(st.st_mode)) {
      return std::string("/usr/share/zoneinfo/uclibc");
    }
    return std::string("/usr/share/zoneinfo");
  }();
  return dir;
}

/// Whether `name` is a zone name as date's tz database listed them: every file under the
/// zoneinfo directory except these (and hidden files and the posix* ones).
bool zone_name(std::string_view name) {
  static const std::array<std::string_view, 10> k_not_zones = {
      "Factory", "iso3166.tab", "right",        "+VERSION",    "version",
      "zone.tab", "zone1970.tab", "tzdata.zi", "leapseconds", "leap-seconds.list"};
  if (name.empty() || name.find('\0') != std::string_view::npos) {
    return false;
  }
  for (std::size_t start = 0;;) {
    std::size_t slash = name.find('/', start);
    std::string_view part = name.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (part.empty() || part[0] == '.' || part.starts_with("posix") ||
        std::find(k_not_zones.begin(), k_not_zones.end(), part) != k_not_zones.end()) {
      return false;
    }
    if (slash == std::string_view::npos) {
      return true;
    }
    start = slash + 1;
  }
}

/// The zone file's contents, or nullopt when it is not a readable regular file.
std::optional<std::string> read_zone_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return std::nullopt;
  }
  std::string data;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < (1 << 20)) {
    data.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < data.size()) {
      ssize_t n = ::read(fd, data.data() + got, data.size() - got);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) {
          continue;
        }
        break;
      }
      got += static_cast<std::size_t>(n);
    }
    data.resize(got);
  } else {
    ::close(fd);
    return std::nullopt;
  }
  ::close(fd);
  return data;
}

}  // namespace

Zone find_zone(std::string_view name) {
  // Zones live as long as the process: callers keep the pointer.
  static std::mutex mutex;
  static std::vector<std::unique_ptr<TimeZone>> zones;
  std::lock_guard<std::mutex> lock(mutex);
  for (const auto& zone : zones) {
    if (zone->name() == name) {
      return zone.get();
    }
  }
  if (zone_name(name)) {
    if (auto data = read_zone_file(zoneinfo_dir() + "/" + std::string(name))) {
      try {
        zones.push_back(std::make_unique<TimeZone>(std::string(name), *data));
        return zones.back().get();
      } catch (const std::runtime_error&) {
        // not a zone file: unknown, as below
      }
    }
  }
  throw Error(fmt::format(
      "unknown time zone '{}'; use an IANA name such as Europe/Moscow or America/New_York",
      name));
}

namespace {

bool known_zone(const std::string& name) {
  try {
    find_zone(name);
    return true;
  } catch (const Error&) {
    return false;
  }
}

/// "Europe/Moscow" from "/usr/share/zoneinfo/Europe/Moscow"; empty without "zoneinfo".
std::string zone_in_path(std::string path) {
  std::size_t at = path.rfind("zoneinfo");
  if (at == std::string::npos) {
    return "";
  }
  at = path.find('/', at);
  std::string name = at == std::string::npos ? "" : path.substr(at + 1);
  if (name.rfind("uclibc/", 0) == 0) {
    name = name.substr(7);
  }
  return name;
}

}  // namespace

std::string system_zone_name() {
  if (const char* tz = std::getenv("TZ"); tz != nullptr && *tz != '\0') {
    std::string name = tz[0] == ':' ? tz + 1 : tz;
    if (known_zone(name)) {
      return name;
    }
  }
  // /etc/localtime (or buildroot's /etc/TZ) is a link into the zoneinfo directory.
  for (const char* link : {"/etc/localtime", "/etc/TZ"}) {
    struct stat st {};
    if (::lstat(link, &st) != 0 || !S_ISLNK(st.st_mode) || st.st_size <= 0) {
      continue;
    }
    char target[PATH_MAX + 1] = {};
    std::string name;
    if (::realpath(link, target) != nullptr) {
      name = zone_in_path(target);
    }
    if (name == "posixrules" || name.empty()) {
      // A link to posixrules says less than the link itself.
      ssize_t n = ::readlink(link, target, PATH_MAX);
      name = n > 0 ? zone_in_path(std::string(target, static_cast<std::size_t>(n))) : "";
    }
    return known_zone(name) ? name : "UTC";
  }
  std::ifstream file("/etc/timezone");
  if (std::string name; file && std::getline(file, name) && !name.empty()) {
    return known_zone(name) ? name : "UTC";
  }
  return "UTC";
}

}  // namespace pm
