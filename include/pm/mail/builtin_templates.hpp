#pragma once
#include <string>
#include <vector>

namespace pm {

/// One letter template compiled into the binary from templates/<language>/<name>.yaml, or one
/// partial from templates/<language>/partials/<name>.mustache.
struct BuiltinTemplate {
  std::string language;
  std::string name;
  std::string path;  ///< the source path, for error messages
  std::string yaml;  ///< the file's text (a partial's Mustache text)
};

const std::vector<BuiltinTemplate>& builtin_templates();
/// The built-in partials ({{> signature}}).
const std::vector<BuiltinTemplate>& builtin_partials();

}  // namespace pm
