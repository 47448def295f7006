#include "cookies/public_suffix.hpp"

#include <libpsl.h>

#include <string>

namespace tether::cookies {

bool is_public_suffix(std::string_view domain) {
  const std::string text(domain);
  // PSL_TYPE_ANY keeps the implicit "*" rule: an unknown top-level domain is public too, so a
  // host under "corp" cannot set a cookie for all of "corp".
  return psl_is_public_suffix2(psl_builtin(), text.c_str(), PSL_TYPE_ANY) != 0;
}

}  // namespace tether::cookies
