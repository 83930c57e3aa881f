// Opens libical 3 with dlopen and resolves the functions of ical_api.hpp (why: its header).
#include "ical_api.hpp"

#include <dlfcn.h>

#include <string>

#include "pm/util/error.hpp"

namespace pm::ical {
namespace {

constexpr const char* k_library = "libical.so.3";
constexpr const char* k_install =
    "reading or writing iCalendar (.ics) needs libical 3: install the package libical3 "
    "(apt-get install libical3)";

// One line of dlerror(), or "unknown error".
std::string last_dl_error() {
  const char* text = dlerror();
  std::string line = text != nullptr ? text : "unknown error";
  if (auto end = line.find('\n'); end != std::string::npos) {
    line.erase(end);
  }
  return line;
}

Api load() {
  // Never closed: libical keeps its built-in time zones, which pm's components point to.
  // RTLD_LAZY: RTLD_NOW would bind all of libical's and ICU's calls at once, about a thousand
  // symbols more than linking it did (the functions pm calls are checked below, one by one).
  void* handle = dlopen(k_library, RTLD_LAZY | RTLD_LOCAL);
  if (handle == nullptr) {
    throw Error(std::string(k_install) + "; " + last_dl_error());
  }
  Api loaded;
#define PM_ICAL_RESOLVE(name)                                                                 \
  loaded.name = reinterpret_cast<decltype(loaded.name)>(dlsym(handle, #name));                \
  if (loaded.name == nullptr) {                                                               \
    throw Error(std::string(k_library) + " has no " #name " (libical 3 is needed): " + k_install); \
  }
  PM_ICAL_FUNCTIONS(PM_ICAL_RESOLVE)
#undef PM_ICAL_RESOLVE
  loaded.icalerror_set_errors_are_fatal(0);
  return loaded;
}

}  // namespace

const Api& api() {
  // A failed load throws out of the initialisation, and the next call tries again.
  static const Api loaded = load();
  return loaded;
}

}  // namespace pm::ical
