# Warnings are errors on our own code only; third-party headers come in as SYSTEM includes.
# No -Wnull-dereference: at -O3 GCC 12 reports it inside Asio's scheduler, against our files.
function(tether_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wimplicit-fallthrough -Werror)
endfunction()
