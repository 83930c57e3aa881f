#pragma once
#include <string>
#include <vector>

namespace pm {

/// One letter template compiled into the binary from templates/<language>/<name>.yaml.
struct BuiltinTemplate {
  std::string language;
  std::string name;
  std::string path;  ///< the source path, for error messages
  std::string yaml;
};

const std::vector<BuiltinTemplate>& builtin_templates();

}  // namespace pm
