// Opens GMime 3 with dlopen and resolves the functions of gmime_api.hpp (why: its header).
#include "gmime_api.hpp"

#include <dlfcn.h>

#include <string>

#include "pm/util/error.hpp"

namespace pm::gmime {
namespace {

constexpr const char* k_library = "libgmime-3.0.so.0";
constexpr const char* k_install =
    "reading mail needs GMime 3: install the package libgmime-3.0-0 "
    "(apt-get install libgmime-3.0-0)";

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
  // Never closed: GMime registers GObject types, which cannot be unregistered.
  void* handle = dlopen(k_library, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    throw Error(std::string(k_install) + "; " + last_dl_error());
  }
  Api loaded;
#define PM_GMIME_RESOLVE(name)                                                          \
  loaded.name = reinterpret_cast<decltype(loaded.name)>(dlsym(handle, #name));          \
  if (loaded.name == nullptr) {                                                         \
    throw Error(std::string(k_library) + " has no " #name " (GMime 3.2 or newer is needed): " + \
                k_install);                                                             \
  }
  PM_GMIME_FUNCTIONS(PM_GMIME_RESOLVE)
#undef PM_GMIME_RESOLVE
  loaded.g_mime_init();
  return loaded;
}

}  // namespace

const Api& api() {
  // A failed load throws out of the initialisation, and the next call tries again.
  static const Api loaded = load();
  return loaded;
}

}  // namespace pm::gmime
