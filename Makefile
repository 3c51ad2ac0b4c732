# Thin wrapper over CMake presets. Run ./scripts/setup.sh once first (the README's commands do).
# `make test` is the whole suite in one build under AddressSanitizer + LeakSanitizer + UBSan
# (docs/adr/0003); `make test-dev` runs it on the plain debug build.
.PHONY: serve release release-all bench-build bench dev test-dev asan test test-asan tsan \
        test-tsan clang test-container fuzz models format clean

JOBS ?= $(shell nproc)
PORT ?= 8000

serve: release
	./build/release/src/server/inferd serve --model-repository examples/model_repository --http-port $(PORT)

# The server and the client library only: no GoogleTest or Google Benchmark needed.
release:
	cmake --preset release
	cmake --build --preset release -j $(JOBS) --target inferd

# Everything the release build has plus the benchmarks (same build folder as `release`).
release-all bench-build:
	cmake --preset bench
	cmake --build --preset bench -j $(JOBS)

bench:
	bench/run_e2e.sh

dev:
	cmake --preset dev
	cmake --build --preset dev -j $(JOBS)

test-dev: dev
	ctest --preset dev -j $(JOBS) -LE container

asan:
	cmake --preset asan
	cmake --build --preset asan -j $(JOBS)

# clang 14's thread-safety analysis (-Wthread-safety, warnings are errors) over every target: a
# member read without its ABSL_GUARDED_BY mutex, or a call missing a required lock, fails the build.
clang:
	cmake --preset clang
	cmake --build --preset clang -j $(JOBS)

# The container test (label `container`) builds an image: only `make test-container` runs it.
test: asan
	ctest --preset asan -j $(JOBS) -LE container

test-asan: test

# The concurrent suites (CTest label `concurrent`) under ThreadSanitizer.
tsan:
	cmake --preset tsan
	cmake --build --preset tsan -j $(JOBS)

test-tsan: tsan
	ctest --preset tsan -j $(JOBS)

# The libFuzzer targets (tests/fuzz) under clang-14 + ASan + UBSan; scripts/fuzz.sh SECONDS runs
# them. Other builds replay their corpora as the CTest tests fuzz_replay.<target>.
fuzz:
	cmake --preset fuzz
	cmake --build --preset fuzz -j $(JOBS)

# Builds the image with podman, runs it and checks it (tests/deploy/container_test.sh); the host
# side (inferd smoke, inferd perf) uses the asan build's binary.
test-container: asan
	ctest --preset asan -L container --output-on-failure

models:
	/usr/bin/python3 scripts/make_models.py

# A relocatable tarball of the server install (bin/, lib/, include/, share/), built by CPack.
.PHONY: package
package:
	cmake --preset release
	cmake --build --preset release -j $(JOBS) --target inferd inferd_client_shared
	cd build/release && cpack -G TGZ

format:
	git ls-files '*.h' '*.cc' | xargs clang-format -i

clean:
	rm -rf build
