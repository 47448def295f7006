# Runs `tether-bench --quick` and checks that it exits 0 and prints the JSON report with a result
# for each client and a ratio for each (transport, size). Usage: cmake -DBENCH=path -P this-file
if(NOT BENCH)
  message(FATAL_ERROR "pass -DBENCH=<path to tether-bench>")
endif()

execute_process(COMMAND ${BENCH} --quick
  OUTPUT_VARIABLE report ERROR_VARIABLE progress RESULT_VARIABLE exit_code)
if(NOT exit_code EQUAL 0)
  message(FATAL_ERROR "tether-bench --quick exited with ${exit_code}:\n${progress}")
endif()

string(JSON result_count ERROR_VARIABLE json_error LENGTH "${report}" results)
if(json_error)
  message(FATAL_ERROR "tether-bench --quick did not print a JSON report (${json_error}):\n${report}")
endif()
string(JSON ratio_count LENGTH "${report}" ratios)
# Defaults: transports ws,wss and sizes 32,1024,65536, two clients each.
if(NOT result_count EQUAL 12 OR NOT ratio_count EQUAL 6)
  message(FATAL_ERROR "expected 12 results and 6 ratios, got ${result_count} and ${ratio_count}:\n${report}")
endif()

math(EXPR last "${result_count} - 1")
foreach(index RANGE ${last})
  string(JSON throughput GET "${report}" results ${index} throughput_msgs_per_s)
  string(JSON p50 GET "${report}" results ${index} p50_us)
  if(NOT throughput GREATER 0 OR NOT p50 GREATER 0)
    string(JSON entry GET "${report}" results ${index})
    message(FATAL_ERROR "a result without a measurement: ${entry}")
  endif()
endforeach()
message(STATUS "tether-bench --quick printed ${result_count} results and ${ratio_count} ratios")
