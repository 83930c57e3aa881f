#pragma once
// GMime 3, loaded at run time (docs/ARCHITECTURE.md, "Mail is read through dlopen"): linking
// libgmime-3.0 would add about 5 ms of dynamic loading to every pm command, the git hook too,
// so only reading mail opens it. Internal to src/core/mail: GMime's headers give the types
// and declarations, and every call goes through the pointers of GMimeApi (never a GMime or
// glib function or macro directly: a link error "undefined reference to g_mime_..." shows one).
#include <gmime/gmime.h>

namespace pm::gmime {

// Every GMime, GObject and glib function pm uses, by name.
#define PM_GMIME_FUNCTIONS(X)                                                              \
  X(g_mime_init)                                                                           \
  X(g_object_unref)                                                                        \
  X(g_free)                                                                                \
  X(g_type_check_instance_is_a)                                                            \
  X(g_date_time_to_unix)                                                                   \
  X(g_mime_parser_options_new)                                                             \
  X(g_mime_parser_options_free)                                                            \
  X(g_mime_parser_options_set_fallback_charsets)                                           \
  X(g_mime_stream_mem_new_with_buffer)                                                     \
  X(g_mime_stream_fs_new)                                                                  \
  X(g_mime_parser_new_with_stream)                                                         \
  X(g_mime_parser_set_format)                                                              \
  X(g_mime_parser_construct_message)                                                       \
  X(g_mime_parser_eos)                                                                     \
  X(g_mime_parser_tell)                                                                    \
  X(g_mime_parser_get_headers_begin)                                                       \
  X(g_mime_message_get_type)                                                               \
  X(g_mime_multipart_get_type)                                                             \
  X(g_mime_message_part_get_type)                                                          \
  X(g_mime_part_get_type)                                                                  \
  X(g_mime_text_part_get_type)                                                             \
  X(internet_address_mailbox_get_type)                                                     \
  X(internet_address_group_get_type)                                                       \
  X(g_mime_message_get_message_id)                                                         \
  X(g_mime_message_get_date)                                                               \
  X(g_mime_message_get_mime_part)                                                          \
  X(g_mime_object_get_header)                                                              \
  X(g_mime_object_get_header_list)                                                         \
  X(g_mime_object_get_content_type)                                                        \
  X(g_mime_header_list_get_count)                                                          \
  X(g_mime_header_list_get_header_at)                                                      \
  X(g_mime_header_get_name)                                                                \
  X(g_mime_header_get_raw_value)                                                           \
  X(g_mime_utils_header_decode_text)                                                       \
  X(internet_address_list_parse)                                                           \
  X(g_mime_references_parse)                                                               \
  X(g_mime_references_length)                                                              \
  X(g_mime_references_get_message_id)                                                      \
  X(g_mime_references_free)                                                                \
  X(internet_address_list_length)                                                          \
  X(internet_address_list_get_address)                                                     \
  X(internet_address_get_name)                                                             \
  X(internet_address_mailbox_get_idn_addr)                                                 \
  X(internet_address_group_get_members)                                                    \
  X(g_mime_multipart_get_count)                                                            \
  X(g_mime_multipart_get_part)                                                             \
  X(g_mime_content_type_is_type)                                                           \
  X(g_mime_part_is_attachment)                                                             \
  X(g_mime_text_part_get_text)

/// The resolved functions; the members carry the functions' own names.
struct Api {
#define PM_GMIME_MEMBER(name) decltype(&::name) name = nullptr;
  PM_GMIME_FUNCTIONS(PM_GMIME_MEMBER)
#undef PM_GMIME_MEMBER

  /// True when `object` (any GObject) is an instance of `type` or of a type derived from it:
  /// what GMIME_IS_MESSAGE and its kind would do without calling glib directly.
  bool is_a(const void* object, GType (*type)()) const {
    return object != nullptr &&
           g_type_check_instance_is_a(
               static_cast<GTypeInstance*>(const_cast<void*>(object)), type()) != 0;
  }
};

/// GMime, opened (dlopen "libgmime-3.0.so.0") and initialised (g_mime_init) on the first call
/// and kept for the rest of the run. Throws pm::Error, with the package to install, when the
/// library cannot be opened or lacks a function.
const Api& api();

/// Owns a GObject reference: g_object_unref through the loaded library.
template <typename T>
class Ref {
 public:
  Ref() = default;
  explicit Ref(T* object) : m_object(object) {}
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
  Ref(Ref&& other) noexcept : m_object(other.m_object) { other.m_object = nullptr; }
  Ref& operator=(Ref&& other) noexcept {
    if (this != &other) {
      reset();
      m_object = other.m_object;
      other.m_object = nullptr;
    }
    return *this;
  }
  ~Ref() { reset(); }
  void reset() {
    if (m_object != nullptr) {
      api().g_object_unref(m_object);
      m_object = nullptr;
    }
  }
  T* get() const { return m_object; }
  explicit operator bool() const { return m_object != nullptr; }

 private:
  T* m_object = nullptr;
};

}  // namespace pm::gmime
