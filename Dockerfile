# inferd server image: ONNX Runtime backend on debian:bookworm-slim, running as a non-root user.
#
#   docker build -t inferd:0.1.0 .
#   docker run --rm -p 8000:8000 -p 8001:8001 -p 8002:8002 \
#       -v "$PWD/examples/model_repository:/models:ro" inferd:0.1.0
#
# Build stage: the project's own set-up script installs the toolchain and fetches the pinned ONNX
# Runtime. It is copied alone first so that this slow layer stays cached while only the sources
# change; a source change rebuilds just the compile layer (which reuses a ccache cache mount).
FROM debian:bookworm AS build
WORKDIR /src
COPY scripts/setup.sh scripts/setup.sh
# Behind a TLS-inspecting proxy, give npm the proxy's CA bundle as a build secret:
#   docker build --secret id=ca,src=/etc/ssl/certs/ca-certificates.crt .
RUN --mount=type=secret,id=ca \
    if [ -f /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi \
 && ./scripts/setup.sh --build-only \
 && apt-get install -y -q --no-install-recommends ccache \
 && rm -rf /var/lib/apt/lists/*
COPY . .
# A user's build: no -Werror, no tests or benchmarks; unity batches halve the compile time. The
# image serves ONNX models: libtorch (~1 GB installed) stays out of it.
RUN --mount=type=cache,target=/root/.cache/ccache \
    cmake --preset release -DINFERD_WERROR=OFF -DINFERD_BUILD_TESTS=OFF -DINFERD_BUILD_BENCH=OFF \
          -DINFERD_WITH_LIBTORCH=OFF \
          -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=8 \
 && cmake --build build/release --target inferd \
 && cmake --install build/release --prefix /opt/inferd --component server --strip

# Runtime stage: only the shared libraries the binary links (checked with ldd in the test).
FROM debian:bookworm-slim
# Keep equal to project(VERSION) in CMakeLists.txt (tests/deploy checks it).
ARG INFERD_VERSION=0.1.0
LABEL org.opencontainers.image.title="inferd" \
      org.opencontainers.image.description="Model-inference server: Triton model repositories, KServe v2 over HTTP and gRPC, ONNX Runtime" \
      org.opencontainers.image.version="${INFERD_VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="docker.io/library/debian:bookworm-slim"
RUN apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      libgrpc++1.51 libgrpc29 libprotobuf32 libabsl20220623 libspdlog1.10 libfmt9 \
      libturbojpeg0 libspng0 libssl3 \
 && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin inferd
# bin/inferd, bin/tritonserver -> inferd, lib/libonnxruntime.so.1 (found through the binary's
# RPATH $ORIGIN/../lib), share/ (VERSION, LICENSE, swagger-ui/ for GET /docs).
COPY --from=build /opt/inferd/ /opt/inferd/
ENV PATH=/opt/inferd/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# Numeric, so that Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001
WORKDIR /models
EXPOSE 8000 8001 8002
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["inferd", "health"]
ENTRYPOINT ["inferd"]
CMD ["serve", "--model-repository", "/models"]
