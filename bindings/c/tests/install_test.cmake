# Installs the C API from BUILD_DIR into a temporary prefix (the tether_c component), then builds
# and runs install_consumer/consumer.c as a user outside the build would: with
# `pkg-config --cflags --libs tether` (shared) and `tether-static` (the archive), and with a CMake
# project doing find_package(tether_c) (shared and static). Removes everything it made.
#   cmake -DBUILD_DIR=... -DWORK_DIR=... -DC_COMPILER=cc -DGENERATOR=Ninja \
#         [-DSANITIZE_FLAGS=-fsanitize=address,undefined] -P install_test.cmake
include(${CMAKE_CURRENT_LIST_DIR}/../../../cmake/install_test_steps.cmake)
require_variables(BUILD_DIR WORK_DIR C_COMPILER GENERATOR)
set(prefix ${WORK_DIR}/prefix)
set(consumer_source ${CMAKE_CURRENT_LIST_DIR}/install_consumer)

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
    --component tether_c)
foreach(installed include/tether.h include/tether_version.h)
  if(NOT EXISTS ${prefix}/${installed})
    fail("${installed} was not installed")
  endif()
endforeach()
file(GLOB_RECURSE pc_files ${prefix}/*/tether.pc)
list(LENGTH pc_files pc_count)
if(NOT pc_count EQUAL 1)
  fail("expected one tether.pc under ${prefix}, found: ${pc_files}")
endif()
get_filename_component(pkgconfig_dir ${pc_files} DIRECTORY)
get_filename_component(library_dir ${pkgconfig_dir} DIRECTORY)

# pkg-config, as a Makefile would use it.
set(ENV{PKG_CONFIG_PATH} ${pkgconfig_dir})
foreach(package tether tether-static)
  execute_process(COMMAND pkg-config --cflags --libs ${package} RESULT_VARIABLE status
                  OUTPUT_VARIABLE flags ERROR_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT status EQUAL 0)
    fail("pkg-config --cflags --libs ${package} failed:\n${flags}")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  set(program ${WORK_DIR}/consumer-pkg-config-${package})
  run("cc with pkg-config ${package}" ${C_COMPILER} -std=c99 -Wall -Wextra -pedantic -Werror
      ${SANITIZE_FLAGS} ${consumer_source}/consumer.c -o ${program} ${flags}
      -Wl,-rpath,${library_dir})
  run("run the pkg-config ${package} build" ${program})
endforeach()

# CMake, as a project using the package would.
run("configure the CMake consumer" ${CMAKE_COMMAND} -S ${consumer_source} -B ${WORK_DIR}/cmake
    -G ${GENERATOR} -DCMAKE_C_COMPILER=${C_COMPILER} -DCMAKE_PREFIX_PATH=${prefix}
    "-DCMAKE_C_FLAGS=${SANITIZE_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${SANITIZE_FLAGS}")
run("build the CMake consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake)
run("run the CMake consumer (shared)" ${WORK_DIR}/cmake/consumer_shared)
run("run the CMake consumer (static)" ${WORK_DIR}/cmake/consumer_static)

file(REMOVE_RECURSE ${WORK_DIR})
