# TETHER_SANITIZE applies to every target so that instrumented and plain code never mix.
if(TETHER_SANITIZE)
  list(JOIN TETHER_SANITIZE "," _tether_sanitizers)
  add_compile_options(-fsanitize=${_tether_sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_tether_sanitizers})
endif()

# GCC 12 warns (-Wtsan, an error under our -Werror) wherever std::atomic_thread_fence is inlined
# under ThreadSanitizer, because TSan does not model standalone fences. Asio uses one in its
# scheduler, inlined into our translation units, so the tsan build stops there. The fence is not
# ours to change and TSan still sees the atomics around it: silence the warning for that build only.
if("thread" IN_LIST TETHER_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  add_compile_options(-Wno-tsan)
endif()
