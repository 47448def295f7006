# Installs the C++ SDK and the Qt adapter from BUILD_DIR into a temporary prefix (the components
# tether and tether_qt), then builds and runs install_consumer/ as a user outside the build
# would: with a CMake project doing find_package(tether COMPONENTS qt), and with
# `pkg-config --cflags --libs tether-cpp` and `tether-qt`. Removes everything it made.
#   cmake -DBUILD_DIR=... -DWORK_DIR=... -DCXX_COMPILER=c++ -DGENERATOR=Ninja \
#         [-DSANITIZE_FLAGS=-fsanitize=address,undefined] -P install_test.cmake
include(${CMAKE_CURRENT_LIST_DIR}/../../../cmake/install_test_steps.cmake)
require_variables(BUILD_DIR WORK_DIR CXX_COMPILER GENERATOR)
set(prefix ${WORK_DIR}/prefix)
set(consumer_source ${CMAKE_CURRENT_LIST_DIR}/install_consumer)

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

foreach(component tether tether_qt)
  run("cmake --install ${component}" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
      --component ${component})
endforeach()
foreach(installed include/tether/client.hpp include/tether/version.hpp
        include/tether/qt/web_socket.hpp)
  if(NOT EXISTS ${prefix}/${installed})
    fail("${installed} was not installed")
  endif()
endforeach()

# CMake, as a project using the package would.
run("configure the CMake consumer" ${CMAKE_COMMAND} -S ${consumer_source} -B ${WORK_DIR}/cmake
    -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_PREFIX_PATH=${prefix}
    "-DCMAKE_CXX_FLAGS=${SANITIZE_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${SANITIZE_FLAGS}")
run("build the CMake consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake)
run("run the CMake C++ consumer" ${WORK_DIR}/cmake/cpp_consumer)
run("run the CMake Qt consumer" ${WORK_DIR}/cmake/qt_consumer)

# pkg-config, as a Makefile would use it.
file(GLOB_RECURSE pc_files ${prefix}/*/tether-cpp.pc)
get_filename_component(pkgconfig_dir "${pc_files}" DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pkgconfig_dir})
foreach(program cpp qt)
  set(package tether-${program})
  execute_process(COMMAND pkg-config --cflags --libs ${package} RESULT_VARIABLE status
                  OUTPUT_VARIABLE flags ERROR_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT status EQUAL 0)
    fail("pkg-config --cflags --libs ${package} failed:\n${flags}")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  set(executable ${WORK_DIR}/${program}-consumer-pkg-config)
  # Qt's headers insist on position-independent code.
  run("c++ with pkg-config ${package}" ${CXX_COMPILER} -std=c++17 -fPIC -Wall -Wextra -Werror
      ${SANITIZE_FLAGS} ${consumer_source}/${program}_consumer.cpp -o ${executable} ${flags})
  run("run the pkg-config ${package} build" ${executable})
endforeach()

file(REMOVE_RECURSE ${WORK_DIR})
