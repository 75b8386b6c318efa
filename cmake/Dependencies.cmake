# Every third-party library comes from a Debian package (see scripts/lib/deps.sh).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(simdjson REQUIRED)
find_package(nlohmann_json REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(TAGLIB REQUIRED IMPORTED_TARGET taglib)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# libcrypto (libssl-dev) for MD5 alone: Subsonic's token is md5(password + salt).
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
pkg_check_modules(WEBP REQUIRED IMPORTED_TARGET libwebp)
pkg_check_modules(JPEG REQUIRED IMPORTED_TARGET libjpeg)
# Sonic analysis (analysis/): FFmpeg's decoding libraries, EBU R128 loudness and the
# single-precision FFTW.
pkg_check_modules(FFMPEG REQUIRED IMPORTED_TARGET libavformat libavcodec libswresample libavutil)
pkg_check_modules(EBUR128 REQUIRED IMPORTED_TARGET libebur128)
pkg_check_modules(FFTW3F REQUIRED IMPORTED_TARGET fftw3f)

# FAISS (libfaiss-dev, only a static library) for the search layer's vector sets. Its CMake
# package names OpenMP::OpenMP_CXX without finding it: OpenMP first (docs/stack-notes.md).
find_package(OpenMP REQUIRED COMPONENTS CXX)
find_package(faiss REQUIRED)

# stb (libstb-dev) ships a compiled library and headers under /usr/include/stb.
find_path(STB_INCLUDE_DIR stb_image.h PATH_SUFFIXES stb REQUIRED)
find_library(STB_LIBRARY stb REQUIRED)
add_library(sonique_stb INTERFACE)
target_include_directories(sonique_stb SYSTEM INTERFACE ${STB_INCLUDE_DIR})
target_link_libraries(sonique_stb INTERFACE ${STB_LIBRARY})


# jemalloc (libjemalloc-dev): ~25% more GraphQL requests/s than glibc's malloc on 2 cores
# (bench/README.md). Found by file name so that the cross build can use libjemalloc2:arm64
# alone (libjemalloc-dev is not multiarch); its header is not needed (core/impl/memory.cpp).
if(SONIQUE_JEMALLOC AND NOT SONIQUE_SANITIZE)
  find_library(JEMALLOC_LIBRARY NAMES jemalloc libjemalloc.so.2 REQUIRED)
endif()

if(SONIQUE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
