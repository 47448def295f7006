# Builds and runs install_consumer/consumer.c against the build tree as it stands, not installed:
# with PKG_CONFIG_PATH=<build>/pkgconfig, `pkg-config --cflags --libs tether` (shared) and
# `tether-static` (the archive) read tether-uninstalled.pc and tether-static-uninstalled.pc
# (docs/c-api.md, "Using a build tree"). Removes everything it made.
#   cmake -DBUILD_DIR=... -DWORK_DIR=... -DC_COMPILER=cc -DGENERATOR=Ninja \
#         [-DSANITIZE_FLAGS=-fsanitize=address,undefined] -P build_tree_test.cmake
include(${CMAKE_CURRENT_LIST_DIR}/../../../cmake/install_test_steps.cmake)
require_variables(BUILD_DIR WORK_DIR C_COMPILER GENERATOR)

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

set(ENV{PKG_CONFIG_PATH} ${BUILD_DIR}/pkgconfig)
foreach(package tether tether-static)
  # Exit status 0: the package was found in its -uninstalled form.
  run("pkg-config --uninstalled ${package}" pkg-config --uninstalled ${package})
  execute_process(COMMAND pkg-config --cflags --libs ${package} RESULT_VARIABLE status
                  OUTPUT_VARIABLE flags ERROR_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT status EQUAL 0)
    fail("pkg-config --cflags --libs ${package} failed:\n${flags}")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  set(program ${WORK_DIR}/consumer-${package})
  run("cc with pkg-config ${package}" ${C_COMPILER} -std=c99 -Wall -Wextra -pedantic -Werror
      ${SANITIZE_FLAGS} ${CMAKE_CURRENT_LIST_DIR}/install_consumer/consumer.c -o ${program}
      ${flags})
endforeach()

# The shared build finds libtether_c.so.0 where the build wrote it, as the docs say: by
# LD_LIBRARY_PATH (or an rpath).
execute_process(COMMAND pkg-config --variable=libdir tether OUTPUT_VARIABLE library_dir
                OUTPUT_STRIP_TRAILING_WHITESPACE)
run("run the pkg-config tether build" ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${library_dir}
    ${WORK_DIR}/consumer-tether)
run("run the pkg-config tether-static build" ${WORK_DIR}/consumer-tether-static)

file(REMOVE_RECURSE ${WORK_DIR})
