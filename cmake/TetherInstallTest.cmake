# The tests that install a part of Tether into a temporary prefix, or take the build tree as it
# stands, and build a consumer against it (bindings/c/tests, bindings/qt/tests): each is a script
# run with cmake -P, in a work folder of its own, that includes
# cmake/install_test_steps.cmake. Under a sanitizer the consumer is built with it too: an
# instrumented library needs its runtime.
find_program(TETHER_PKG_CONFIG NAMES pkg-config pkgconf)

# Adds the test `name` running `script` with BUILD_DIR, WORK_DIR, GENERATOR, SANITIZE_FLAGS and
# the compiler the consumer is written in (C_COMPILER or CXX_COMPILER, after `language`).
#
# Not in a cross build: the consumer would need the toolchain file and the emulator, and what
# these tests check (the installed files, the .pc files, the CMake package) is the same for every
# architecture; the native presets run them.
function(tether_add_install_test name script language)
  if(CMAKE_CROSSCOMPILING)
    return()
  endif()
  if(NOT TETHER_PKG_CONFIG)
    message(WARNING "pkg-config not found: ${name} is not run")
    return()
  endif()
  set(sanitize_flags "")
  if(TETHER_SANITIZE)
    list(JOIN TETHER_SANITIZE "," sanitizers)
    set(sanitize_flags "-fsanitize=${sanitizers}")
  endif()
  add_test(NAME ${name}
    COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${PROJECT_BINARY_DIR}
            -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/${name}
            -D${language}_COMPILER=${CMAKE_${language}_COMPILER} -DGENERATOR=${CMAKE_GENERATOR}
            "-DSANITIZE_FLAGS=${sanitize_flags}"
            -P ${script})
  # Configuring and building a consumer project takes a while on a busy machine.
  set_tests_properties(${name} PROPERTIES TIMEOUT 300)
endfunction()
