# preflight: migration readiness scanner for Microsoft 365.
GO        ?= go
BIN       ?= bin/preflight
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X github.com/preflight-scan/preflight/internal/cli.Version=$(VERSION)
FUZZTIME  ?= 20s
# Minimising each new input the fuzzer finds is bounded by a count: with
# go test's default (60s each), slow targets (rules, history, IMAP) spent
# whole runs minimising their first new input and made a dozen execs.
FUZZMINIMIZE ?= 100x

.PHONY: build test test-unit demo bench lint fuzz docs clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/preflight

## demo: scan the bundled sample organisation (no server, no files needed).
demo:
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/preflight scan --sample --out out/demo --format table,json,pdf,html,csv
	@echo "reports written to out/demo/"

## test: vet, unit tests, and the integration tests against real servers
## (Samba AD DC, nsd, Dovecot) where they are installed and we run as root;
## .ci/run installs them.
test:
	$(GO) vet ./...
	PREFLIGHT_LOOPBACK_ONLY=1 $(GO) test -count=1 -timeout 45m ./...

## test-unit: unit tests only (no servers).
test-unit:
	$(GO) vet ./...
	PREFLIGHT_LOOPBACK_ONLY=1 PREFLIGHT_NO_INTEGRATION=1 $(GO) test -count=1 ./...

## bench: Go benchmarks and end-to-end measurements; figures go to docs/benchmarks.md.
bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./collect/... ./checks/ ./snapshot/
	@for s in scripts/bench-*.sh; do echo "== $$s"; bash $$s || exit 1; done

## lint: gofmt, go vet, staticcheck and golangci-lint (.golangci.yml); the
## linters are pinned as Go tools in go.mod. --allow-serial-runners waits for
## another golangci-lint run on the machine instead of failing.
lint:
	@files=$$(gofmt -l .); if [ -n "$$files" ]; then echo "gofmt -l: not formatted:"; echo "$$files"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	$(GO) tool golangci-lint run --allow-serial-runners ./...

## fuzz: run every fuzz target for FUZZTIME each (.ci/run: 2000x, a count,
## as a smoke test; FUZZTIME=60s for a real run). Crashers are written to the
## package's testdata/fuzz/<target>, where make test replays them.
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) $$pkg || exit 1; \
	  done; \
	done

## docs: regenerate the flag reference (docs/flags.md) and the man pages
## (docs/man/*.1) from the commands; a test fails while they are stale.
docs:
	$(GO) run ./cmd/gen-docs -out docs

clean:
	rm -rf bin out
