# TETHER_SANITIZE applies to every target so that instrumented and plain code never mix.
if(TETHER_SANITIZE)
  list(JOIN TETHER_SANITIZE "," _tether_sanitizers)
  add_compile_options(-fsanitize=${_tether_sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_tether_sanitizers})
endif()
