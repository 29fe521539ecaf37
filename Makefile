.PHONY: run test build clean

# Build and run devskyyd in the foreground on the demo configuration.
run:
	scripts/run-demo

# The whole test suite (installs redis-server, promtool and the C libraries if missing).
test:
	scripts/test

# A release build with the Swift runtime linked in: the binaries need no Swift on the host, and the
# daemon maps one file instead of a dozen shared libraries (about 8 MiB less resident memory).
build:
	swift build -c release --static-swift-stdlib

clean:
	rm -rf .build .demo
