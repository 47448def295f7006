# Checks which layer of sdk/src/ includes which third-party library, as docs/architecture.md
# ("A layer may include") writes it down. The layers' object libraries reject an SDK include that
# points upward or sideways, but third-party headers are system headers that every layer sees:
# this script reads the #include lines instead.
#   cmake -DSDK_SOURCE_DIR=<sdk/src> -P third_party_includes.cmake

# Each library: the start of its include paths, then the files (paths from sdk/src/) that may
# include it, as a regular expression.
set(libraries libcurl websocketpp openssl asio libpsl)
set(libcurl_headers "curl/")
set(libcurl_allowed "^(curl/|http/url\\.cpp$)")
set(websocketpp_headers "websocketpp/")
set(websocketpp_allowed "^transport/native/")
set(openssl_headers "openssl/")
set(openssl_allowed "^(tls/|auth/crypto\\.cpp$|curl/curl_http_client\\.cpp$|transport/native/)")
set(asio_headers "asio")
set(asio_allowed "^(core/|tls/|curl/|transport/|session/)")
set(libpsl_headers "libpsl")
set(libpsl_allowed "^cookies/public_suffix\\.cpp$")

file(GLOB_RECURSE files RELATIVE ${SDK_SOURCE_DIR} ${SDK_SOURCE_DIR}/*.cpp ${SDK_SOURCE_DIR}/*.hpp)
set(findings "")
foreach(file IN LISTS files)
  file(STRINGS ${SDK_SOURCE_DIR}/${file} includes REGEX "^[ \t]*#[ \t]*include[ \t]*<")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*<([^>]*)>.*" "\\1" header "${line}")
    foreach(library IN LISTS libraries)
      string(FIND "${header}" "${${library}_headers}" position)
      if(position EQUAL 0 AND NOT file MATCHES "${${library}_allowed}")
        string(APPEND findings "\n  ${file} includes <${header}>: ${library} is not for its layer")
      endif()
    endforeach()
  endforeach()
endforeach()
if(findings)
  message(FATAL_ERROR "third-party headers outside their layers (docs/architecture.md):${findings}")
endif()
