# What the tests need when the build cross-compiles (the aarch64 preset, docs/platforms.md): the
# target's programs run through CMAKE_CROSSCOMPILING_EMULATOR, and the bundled gateway, a test
# tool rather than the product, runs natively, built for the build machine. In a native build
# every function here gives the target's own file.

# The host build tree whose tether-gateway the tests start: the dev preset's, by default.
set(TETHER_HOST_BUILD_DIR "${PROJECT_SOURCE_DIR}/build/dev" CACHE PATH
    "A configured native build tree of Tether whose tests/gateway/tether-gateway a cross build's tests start")

# tether_runnable_program(<target> <variable>)
# Sets <variable> to a path that a test can execve() to run <target>, an executable of this
# build: its own file natively, or a shell script that runs it through the emulator when
# cross-compiling (binfmt_misc may be missing: the kernel cannot be asked to run it directly).
# exec keeps the process id, and qemu ends with the guest's own signal or status, so that a test
# that signals or waits for its child sees the program itself. qemu's -0 makes the script the
# program's argv[0], so that a program that starts itself again (Python's sys.executable) starts
# the script, not an aarch64 file the kernel cannot run.
function(tether_runnable_program target variable)
  if(NOT CMAKE_CROSSCOMPILING)
    set(${variable} "$<TARGET_FILE:${target}>" PARENT_SCOPE)
    return()
  endif()
  list(JOIN CMAKE_CROSSCOMPILING_EMULATOR "\" \"" emulator)
  set(launcher ${CMAKE_CURRENT_BINARY_DIR}/emulated/${target})
  file(GENERATE OUTPUT ${launcher}
    CONTENT "#!/bin/sh\nexec \"${emulator}\" -0 \"$0\" \"$<TARGET_FILE:${target}>\" \"$@\"\n"
    FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ
                     WORLD_EXECUTE)
  set(${variable} ${launcher} PARENT_SCOPE)
endfunction()

# tether_import_host_gateway()
# Makes tether-gateway an imported executable, the host build's, which the targets that depend on
# it bring up to date first (so that the tests never start a gateway older than the sources).
function(tether_import_host_gateway)
  if(NOT EXISTS ${TETHER_HOST_BUILD_DIR}/CMakeCache.txt)
    message(FATAL_ERROR "A cross build's tests start a gateway built for this machine, from "
      "TETHER_HOST_BUILD_DIR (${TETHER_HOST_BUILD_DIR}), which is not a configured build tree: "
      "run `cmake --preset dev` first, or set TETHER_HOST_BUILD_DIR to a native build tree.")
  endif()
  set(gateway ${TETHER_HOST_BUILD_DIR}/tests/gateway/tether-gateway)
  add_custom_target(tether-host-gateway
    COMMAND ${CMAKE_COMMAND} --build ${TETHER_HOST_BUILD_DIR} --target tether-gateway
    BYPRODUCTS ${gateway}
    COMMENT "Building the gateway for the build machine in ${TETHER_HOST_BUILD_DIR}"
    USES_TERMINAL)
  add_executable(tether-gateway IMPORTED GLOBAL)
  set_target_properties(tether-gateway PROPERTIES IMPORTED_LOCATION ${gateway})
  add_dependencies(tether-gateway tether-host-gateway)
endfunction()
