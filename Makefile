# Thin wrapper over CMake presets. Run ./scripts/setup.sh once first (the README's commands do).
.PHONY: serve release release-all dev test test-container asan test-asan bench models format clean

JOBS ?= $(shell nproc)
PORT ?= 8000

serve: release
	./build/release/src/server/inferd serve --model-repository examples/model_repository --http-port $(PORT)

release:
	cmake --preset release
	cmake --build --preset release -j $(JOBS) --target inferd

release-all:
	cmake --preset release
	cmake --build --preset release -j $(JOBS)

bench:
	bench/run_e2e.sh

dev:
	cmake --preset dev
	cmake --build --preset dev -j $(JOBS)

# The container test (label `container`) builds an image: it runs only in test-container.
test: dev
	ctest --preset dev -j $(JOBS) -LE container

# Builds the image with podman, runs it and checks it (tests/deploy/container_test.sh).
test-container: dev
	ctest --preset dev -L container --output-on-failure

asan:
	cmake --preset asan
	cmake --build --preset asan -j $(JOBS)

test-asan: asan
	ctest --preset asan -j $(JOBS) -LE container

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
