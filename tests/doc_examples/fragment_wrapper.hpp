#pragma once
// What a header's example takes from its context when it is compiled as the body of a function:
// the SDK, the standard library it uses, and the few objects it names without declaring them.

#include <iostream>
#include <memory>
#include <string>
#include <tether/tether.hpp>

// The jar of CookieJar's example, which the HTTP helper's example passes to a request.
inline std::shared_ptr<tether::CookieJar> jar;
