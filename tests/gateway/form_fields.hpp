#pragma once

#include <map>
#include <string>
#include <string_view>

namespace tether::gateway {

// The fields of an application/x-www-form-urlencoded body ("username=alice&password=s%40cret"),
// '+' and %XX decoded; a repeated name keeps its first value. Malformed escapes are kept as they
// are: the caller only looks fields up, and a wrong value fails like a wrong password.
std::map<std::string, std::string> parse_form_fields(std::string_view body);

}  // namespace tether::gateway
