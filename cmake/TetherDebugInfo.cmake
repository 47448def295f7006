# Debug information compressed (zlib) in every object and executable. A Debug tree holds about
# three times less (websocket_session.cpp.o of the gateway: 141 MB plain, 43 MB compressed; the
# dev tree 3.4 GB plain), so that CI's four trees (dev, aarch64-ci, asan, tsan) fit on its disk:
# a run once stopped linking the asan tests with "No space left on device". gdb, valgrind and
# the sanitizers' symbolizers read compressed sections as they are; compiling takes no longer.
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  add_compile_options(-gz)
  add_link_options(-gz)
endif()
