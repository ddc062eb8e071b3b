# The engine matrix (tests/e2e/matrix.sh, tests/e2e/README.md): a subset of
# the e2e suite on Debian trixie's docker.io 26.1 and sid's 28.5; `make
# check` runs all of it on bookworm's 20.10. .ci/run runs both.
#   make e2e-engines [E2E_ENGINES="trixie sid"]
E2E_ENGINES ?= trixie sid

.PHONY: e2e-engines

e2e-engines: lazydind
	bash tests/e2e/matrix.sh ./lazydind $(E2E_ENGINES)
