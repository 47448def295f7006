# Installation of the C++ SDK, in the component tether: the static library, the public headers
# (tether/*.hpp), a CMake package and a pkg-config file. Included once, from sdk/CMakeLists.txt;
# the Qt adapter (bindings/qt) adds its own target to the same CMake package. docs/qt.md,
# "Installing", shows both in use.
#   find_package(tether CONFIG REQUIRED)                 # tether::tether
#   find_package(tether CONFIG REQUIRED COMPONENTS qt)   # and tether::qt
#   pkg-config --cflags --libs tether-cpp                # or tether-qt
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Installs the targets of `export_set` into the CMake package tether, in `component`.
function(tether_install_export export_set component)
  install(EXPORT ${export_set} NAMESPACE tether::
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tether COMPONENT ${component})
endfunction()

# Installs the pkg-config file made from cmake/NAME.pc.in, in `component`. The .pc files find the
# prefix from their own place (${pcfiledir}), so that the tree may be installed with --prefix or
# moved.
function(tether_install_pkg_config name component)
  file(RELATIVE_PATH TETHER_PC_PREFIX_FROM_PCFILEDIR
    /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
  string(REGEX REPLACE "/$" "" TETHER_PC_PREFIX_FROM_PCFILEDIR "${TETHER_PC_PREFIX_FROM_PCFILEDIR}")
  configure_file(${PROJECT_SOURCE_DIR}/cmake/${name}.pc.in ${PROJECT_BINARY_DIR}/${name}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/${name}.pc
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT ${component})
endfunction()

install(TARGETS tether EXPORT tether-targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT tether
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/sdk/include/tether ${PROJECT_BINARY_DIR}/sdk/include/tether
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT tether FILES_MATCHING PATTERN "*.hpp")
tether_install_export(tether-targets tether)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/tether-config.cmake.in
  ${PROJECT_BINARY_DIR}/tether-config.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tether)
# Before 1.0 a minor version may break compatibility.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/tether-config-version.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/tether-config.cmake
  ${PROJECT_BINARY_DIR}/tether-config-version.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tether COMPONENT tether)
tether_install_pkg_config(tether-cpp tether)
