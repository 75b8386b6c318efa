# Cross build for 64-bit ARM (Raspberry Pi 4) on Debian 12 amd64 with multiarch (no sysroot).
# Used by scripts/cross-build.sh, which installs g++-aarch64-linux-gnu, qemu-user and the
# :arm64 libraries. See docs/stack-notes.md ("aarch64 cross build").
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# pkg-config sees only the arm64 .pc files (and the architecture-independent ones).
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# Multiarch: arm64 libraries live in /usr/lib/aarch64-linux-gnu beside the amd64 ones and
# share /usr/include. The cross toolchain's own files are under /usr/aarch64-linux-gnu.
# Programs (pkg-config, protoc...) run on the host; never pick amd64 libraries.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
list(APPEND CMAKE_IGNORE_PATH
  /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu
  /usr/lib/x86_64-linux-gnu/cmake /usr/lib/x86_64-linux-gnu/pkgconfig)

# Tests run under user-mode emulation. Never `qemu-aarch64 -L /usr/aarch64-linux-gnu`: it hangs
# as soon as the program starts a thread. Always bounded by `timeout`.
set(CMAKE_CROSSCOMPILING_EMULATOR timeout;300;qemu-aarch64)

# libpq-dev and libsimdjson-dev cannot be installed for amd64 and arm64 at once: the amd64
# headers are used with the arm64 runtime libraries (libpq5:arm64, libsimdjson14:arm64).
set(PostgreSQL_LIBRARY /usr/lib/aarch64-linux-gnu/libpq.so.5 CACHE FILEPATH "libpq for aarch64")
set(PostgreSQL_INCLUDE_DIR /usr/include/postgresql CACHE PATH "libpq headers")
set(PostgreSQL_TYPE_INCLUDE_DIR /usr/include/postgresql CACHE PATH "libpq headers")
# find_package(simdjson) finds a config file of ours that defines simdjson::simdjson on
# /usr/lib/aarch64-linux-gnu/libsimdjson.so.14.
set(simdjson_DIR "${CMAKE_CURRENT_LIST_DIR}/aarch64-linux-gnu/simdjson" CACHE PATH "simdjson for aarch64")
# jemalloc: the runtime library alone (libjemalloc2:arm64); no header is needed.
set(JEMALLOC_LIBRARY /usr/lib/aarch64-linux-gnu/libjemalloc.so.2 CACHE FILEPATH "jemalloc for aarch64")
