# Cross-compiles Tether for 64-bit ARM Linux on a Debian x86-64 machine, with Debian's multiarch
# packages (scripts/bootstrap --arch arm64): the crossbuild-essential-arm64 compilers, and the
# arm64 libraries (OpenSSL, libcurl, libpsl, GoogleTest) in /usr/lib/aarch64-linux-gnu beside the
# build machine's own. There is no sysroot: the multiarch layout is the root filesystem itself.
# ctest runs the aarch64 programs through qemu-aarch64-static (docs/platforms.md).

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# One runtime. The cross compilers link against their own copy of glibc and libstdc++
# (/usr/aarch64-linux-gnu/lib), which is the same release as Debian's arm64 packages; at run time
# every aarch64 program loads its C and C++ runtime from the multiarch folder only, through the
# loader /lib/ld-linux-aarch64.so.1 of libc6:arm64. "-L /" makes qemu look for that loader, and
# everything it loads, under the build machine's root. Never point the emulator or
# LD_LIBRARY_PATH at /usr/aarch64-linux-gnu/lib as well: with two glibcs in one process,
# pthread_create spins forever under qemu.
find_program(TETHER_QEMU_AARCH64 qemu-aarch64-static REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR ${TETHER_QEMU_AARCH64} -L /)

# pkg-config (libpsl) reads the arm64 .pc files only.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)

# Header-only packages are installed for the build machine only, and websocketpp's CMake package
# sits in the build machine's multiarch folder, which CMAKE_LIBRARY_ARCHITECTURE hides. Its
# headers are the same for every architecture: use that package.
execute_process(COMMAND dpkg-architecture -qDEB_BUILD_MULTIARCH
  OUTPUT_VARIABLE TETHER_BUILD_MULTIARCH OUTPUT_STRIP_TRAILING_WHITESPACE)
set(websocketpp_DIR /usr/lib/${TETHER_BUILD_MULTIARCH}/cmake/websocketpp CACHE PATH
    "websocketpp's CMake package (header-only; the build machine's copy serves every target)")
