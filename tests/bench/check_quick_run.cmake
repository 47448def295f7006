# Runs one mode of tether-bench with --quick and checks that it exits 0 and prints its JSON report
# with every figure measured: a mode that breaks, or that stops measuring something, fails.
# Usage: cmake -DBENCH=<path to tether-bench> -DMODE=echo|connections|fallback -P this-file
if(NOT BENCH OR NOT MODE)
  message(FATAL_ERROR "pass -DBENCH=<path to tether-bench> and -DMODE=echo|connections|fallback")
endif()

set(quick_connections 20)
if(MODE STREQUAL "echo")
  set(arguments --quick)
  # Defaults: ws, wss, emulated-http, emulated-https and sizes 32, 1024, 65536. Per size: the
  # SDK, websocketpp and Beast over ws and wss, the SDK and Beast over each emulation (10
  # results); the SDK over each baseline per native transport, and the SDK and Beast over each
  # emulation against the SDK over its native one (8 ratios).
  set(expected_results 30)
elseif(MODE STREQUAL "connections")
  set(arguments --quick --connections ${quick_connections})
  set(expected_results 3)  # ws, wss, emulated-http
elseif(MODE STREQUAL "fallback")
  set(arguments --quick --fallback)
  # ws and wss, each: emulated_only, native_healthy, and refused, hung, silent twice (first and
  # remembered).
  set(expected_results 16)
else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()

execute_process(COMMAND ${BENCH} ${arguments}
  OUTPUT_VARIABLE report ERROR_VARIABLE progress RESULT_VARIABLE exit_code)
if(NOT exit_code EQUAL 0)
  message(FATAL_ERROR "tether-bench ${arguments} exited with ${exit_code}:\n${progress}")
endif()
string(JSON result_count ERROR_VARIABLE json_error LENGTH "${report}" results)
if(json_error)
  message(FATAL_ERROR "tether-bench ${arguments} did not print a JSON report (${json_error}):\n${report}")
endif()
if(NOT result_count EQUAL expected_results)
  message(FATAL_ERROR "expected ${expected_results} results, got ${result_count}:\n${report}")
endif()

# Fail unless results[index].<path> is a number greater than zero, or equal to `expected`.
function(expect_positive index)
  string(JSON value ERROR_VARIABLE error GET "${report}" results ${index} ${ARGN})
  if(error OR NOT value GREATER 0)
    string(JSON entry GET "${report}" results ${index})
    message(FATAL_ERROR "results[${index}].${ARGN} is not measured: ${entry}")
  endif()
endfunction()
function(expect_equal index expected)
  string(JSON value ERROR_VARIABLE error GET "${report}" results ${index} ${ARGN})
  if(error OR NOT value EQUAL expected)
    string(JSON entry GET "${report}" results ${index})
    message(FATAL_ERROR "results[${index}].${ARGN} is not ${expected}: ${entry}")
  endif()
endfunction()

math(EXPR last "${result_count} - 1")
foreach(index RANGE ${last})
  if(MODE STREQUAL "echo")
    expect_positive(${index} throughput_msgs_per_s)
    expect_positive(${index} p50_us)
  elseif(MODE STREQUAL "connections")
    expect_equal(${index} ${quick_connections} opened)
    expect_equal(${index} ${quick_connections} closed_cleanly)
    expect_equal(${index} 0 dropped_while_idle)
    expect_positive(${index} open_seconds)
    expect_positive(${index} pongs_while_idle)
  else()
    # Each scenario must open and echo, on the transport it is about: native when it is healthy,
    # else the emulation (a silent WebSocket after the probe gives up on it).
    string(JSON scenario GET "${report}" results ${index} scenario)
    expect_positive(${index} open_ms)
    if(scenario STREQUAL "native_healthy")
      expect_equal(${index} 1 carried_by Native)
    else()
      expect_equal(${index} 1 carried_by Emulated)
    endif()
    expect_equal(${index} 1 echoed)
  endif()
endforeach()

if(MODE STREQUAL "echo")
  string(JSON ratio_count LENGTH "${report}" ratios)
  if(NOT ratio_count EQUAL 24)
    message(FATAL_ERROR "expected 24 ratios, got ${ratio_count}:\n${report}")
  endif()
  math(EXPR last "${ratio_count} - 1")
  foreach(index RANGE ${last})
    foreach(figure throughput_ratio p50_ratio)
      string(JSON value GET "${report}" ratios ${index} ${figure})
      if(NOT value GREATER 0)
        string(JSON entry GET "${report}" ratios ${index})
        message(FATAL_ERROR "a ratio without a value: ${entry}")
      endif()
    endforeach()
  endforeach()
endif()
message(STATUS "tether-bench ${arguments} printed ${result_count} results, every one measured")
