# `make soak`: 64 concurrent docker calls for 20 rounds, mixed with daemon
# kills (tests/e2e/soak.sh); the failures are reported and must be 0. Not in
# `make check`: it takes a few minutes. SOAK_ROUNDS=N SOAK_CALLERS=N resize it.
.PHONY: soak
soak: lazydind
	bash tests/e2e/run.sh ./lazydind soak
