#include "pm/util/progress.hpp"

namespace pm {

namespace {

thread_local ProgressListener* t_listener = nullptr;
thread_local std::uint64_t t_done = 0;

}  // namespace

ProgressListener* set_progress_listener(ProgressListener* listener) {
  ProgressListener* old = t_listener;
  t_listener = listener;
  t_done = 0;
  return old;
}

void progress_step() {
  if (t_listener != nullptr) {
    t_listener->advanced(++t_done);
  }
}

}  // namespace pm
