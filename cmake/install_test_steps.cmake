# What every install test script shares (cmake/TetherInstallTest.cmake): the check of its
# -D variables, and the steps that fail the test with a command's output.
#   include(${CMAKE_CURRENT_LIST_DIR}/../../../cmake/install_test_steps.cmake)
#   require_variables(BUILD_DIR WORK_DIR GENERATOR)

macro(require_variables)
  foreach(variable ${ARGN})
    if(NOT DEFINED ${variable})
      message(FATAL_ERROR "${CMAKE_SCRIPT_MODE_FILE} needs -D${variable}=...")
    endif()
  endforeach()
endmacro()

# Fails the test after removing WORK_DIR.
function(fail message)
  file(REMOVE_RECURSE ${WORK_DIR})
  message(FATAL_ERROR "${message}")
endfunction()

# Runs a command; fails the test with its output unless it exits 0.
function(run description)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE output
                  ERROR_VARIABLE output)
  if(NOT status EQUAL 0)
    fail("${description} failed (${status}):\n  ${ARGN}\n${output}")
  endif()
  message(STATUS "${description}: ok")
endfunction()
