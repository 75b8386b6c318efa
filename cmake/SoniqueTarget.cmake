# Common flags for every Sonique target.
add_library(sonique_flags INTERFACE)
target_compile_options(sonique_flags INTERFACE -Wall -Wextra -Wpedantic)
if(SONIQUE_WERROR)
  target_compile_options(sonique_flags INTERFACE -Werror)
endif()
if(SONIQUE_SANITIZE)
  target_compile_options(sonique_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                 -fno-sanitize-recover=undefined)
  target_link_options(sonique_flags INTERFACE -fsanitize=address,undefined)
endif()

# sonique_layer(<name> [DEPS ...]): a static library from <name>/impl/*.cpp with public
# headers in <name>/include/<name>/.
function(sonique_layer name)
  cmake_parse_arguments(ARG "" "" "DEPS;PRIVATE_DEPS" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/impl/*.cpp)
  add_library(sonique_${name} STATIC ${srcs})
  add_library(sonique::${name} ALIAS sonique_${name})
  target_include_directories(sonique_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                             PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/impl)
  target_link_libraries(sonique_${name} PUBLIC sonique_flags ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()
