# simdjson for the aarch64 cross build (see ../../aarch64-linux-gnu.cmake): the arm64
# runtime library with the amd64 package's (identical) headers, because libsimdjson-dev
# cannot be installed for both architectures at once.
include(CMakeFindDependencyMacro)
find_dependency(Threads)

if(NOT TARGET simdjson::simdjson)
  set(_sonique_simdjson_lib /usr/lib/aarch64-linux-gnu/libsimdjson.so.14)
  if(NOT EXISTS "${_sonique_simdjson_lib}")
    set(simdjson_FOUND FALSE)
    set(simdjson_NOT_FOUND_MESSAGE "${_sonique_simdjson_lib} is missing: apt-get install libsimdjson14:arm64")
    return()
  endif()
  add_library(simdjson::simdjson SHARED IMPORTED)
  set_target_properties(simdjson::simdjson PROPERTIES
    IMPORTED_LOCATION "${_sonique_simdjson_lib}"
    IMPORTED_SONAME "libsimdjson.so.14"
    INTERFACE_COMPILE_DEFINITIONS "SIMDJSON_THREADS_ENABLED=1"
    INTERFACE_COMPILE_FEATURES "cxx_std_11"
    INTERFACE_INCLUDE_DIRECTORIES "/usr/include"
    INTERFACE_LINK_LIBRARIES "Threads::Threads")
  unset(_sonique_simdjson_lib)
endif()
