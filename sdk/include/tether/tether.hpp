#pragma once
// The whole public C++ API of Tether.

#include "tether/auth.hpp"
#include "tether/client.hpp"
#include "tether/cookies.hpp"
#include "tether/error.hpp"
#include "tether/fallback_memory.hpp"
#include "tether/http.hpp"
#include "tether/io_context.hpp"
#include "tether/log.hpp"
#include "tether/message.hpp"
#include "tether/options.hpp"
#include "tether/state.hpp"
#include "tether/tls_info.hpp"
#include "tether/version.hpp"
