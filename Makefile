.PHONY: run test build clean fuzz sanitize

# Build and run devskyyd in the foreground on the demo configuration.
run:
	scripts/run-demo

# The whole test suite (installs redis-server, promtool and the C libraries if missing).
test:
	scripts/test

# Each libFuzzer target (Fuzz/) for 30 seconds; `scripts/fuzz 600` for longer.
fuzz:
	scripts/fuzz

# The test suite under AddressSanitizer, then ThreadSanitizer (.build-asan, .build-tsan).
sanitize:
	scripts/sanitize

# A release build with the Swift runtime linked in: the binaries need no Swift on the host, and the
# daemon maps one file instead of a dozen shared libraries (about 8 MiB less resident memory).
build:
	swift build -c release --static-swift-stdlib

clean:
	rm -rf .build .build-asan .build-tsan .build-fuzz Fuzz/.build .demo
