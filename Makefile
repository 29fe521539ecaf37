.PHONY: run test build clean

# Build and run devskyyd in the foreground on the demo configuration.
run:
	scripts/run-demo

# The whole test suite (installs redis-server, promtool and the C libraries if missing).
test:
	scripts/test

build:
	swift build -c release

clean:
	rm -rf .build .demo
