# Sonique: build on Debian 12, run on a slim Debian 12 with only the runtime libraries.
#   docker build -t sonique .
#   docker run -p 8001:8001 -e DATABASE_URL=... -e REDIS_URL=... -v /music:/music:ro sonique
# See docker-compose.yml for the whole stack (PostgreSQL, Redis, Sonique).

# ---- build -------------------------------------------------------------------------------------
FROM debian:12 AS build
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config ca-certificates \
      libpq-dev libcpp-httplib-dev libtag1-dev libhiredis-dev libsimdjson-dev nlohmann-json3-dev \
      libfaiss-dev libopenblas-dev libsodium-dev libssl-dev libwebp-dev libjpeg62-turbo-dev libstb-dev libjemalloc-dev \
      libavformat-dev libavcodec-dev libswresample-dev libavutil-dev libebur128-dev libfftw3-dev \
      nodejs npm \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
# Swagger UI assets first: this layer stays cached while only the C++ changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts

COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSONIQUE_BUILD_TESTS=OFF \
 && cmake --build /build --target sonique sonique-analysis-worker \
 && strip /build/app/sonique /build/app/sonique-analysis-worker

# ---- runtime -----------------------------------------------------------------------------------
FROM debian:12-slim AS runtime
ENV DEBIAN_FRONTEND=noninteractive
# Runtime libraries of the packages above (Debian 12 names), curl for the health check, ffmpeg
# for the Subsonic stream's transcodes.
# FAISS is linked statically (Debian ships only libfaiss.a): it needs BLAS/LAPACK (OpenBLAS) and libgomp.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates curl ffmpeg \
      libpq5 libcpp-httplib0.11 libtag1v5 libhiredis0.14 libsimdjson14 \
      libopenblas0-pthread libgomp1 libsodium23 libssl3 libwebp7 libwebpdemux2 libwebpmux3 libjpeg62-turbo libstb0 libjemalloc2 \
      libavformat59 libavcodec59 libswresample4 libavutil57 libebur128-1 libfftw3-single3 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin sonique \
 && install -d -o sonique -g sonique /var/lib/sonique

COPY --from=build /build/app/sonique /build/app/sonique-analysis-worker /usr/local/bin/
COPY --from=build /src/node_modules/swagger-ui-dist /usr/share/sonique/swagger-ui

ENV HOST=0.0.0.0 \
    PORT=8001 \
    MUSIC_PATH=/music \
    SONIQUE_DOCS_DIR=/usr/share/sonique/swagger-ui
USER sonique
EXPOSE 8001
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/api/healthcheck" >/dev/null || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/sonique"]
CMD ["serve"]
