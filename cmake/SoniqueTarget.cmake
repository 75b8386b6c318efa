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

# sonique_layer(<name> [DEPS ...] [PRIVATE_DEPS ...]): a static library from <name>/impl/*.cpp
# with public headers in <name>/include/<name>/.
# - Sources are globbed (CONFIGURE_DEPENDS): a file added to impl/ is built without editing a
#   list; the next build re-runs the glob.
# - A target links only what it includes: DEPS are what its public headers include (their users
#   compile against them too), PRIVATE_DEPS what only its sources include.
# - A header is public only when another layer (or app/, bench/) includes it, directly or
#   through another public header. A header that only the layer and its tests include lives in
#   impl/; a suite that needs it adds ${PROJECT_SOURCE_DIR}/<name>/impl to its own include path.
function(sonique_layer name)
  cmake_parse_arguments(ARG "" "" "DEPS;PRIVATE_DEPS" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/impl/*.cpp)
  add_library(sonique_${name} STATIC ${srcs})
  add_library(sonique::${name} ALIAS sonique_${name})
  target_include_directories(sonique_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                             PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/impl)
  target_link_libraries(sonique_${name} PUBLIC sonique_flags ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()
