# Fuzzing the configuration code (harnesses of mk/fuzz.mk): the
# lazydind.conf parser (fuzz/fuzz_conffile.c), the daemon.json merge with
# lazydind's settings (fuzz/fuzz_dconf.c) and the pod network parsers behind
# the automatic MTU, address pools and NO_PROXY (fuzz/fuzz_podnet.c).
#
#   make fuzz-config [FUZZ_SECONDS=N]   the three for N s each (default 30);
#       crash inputs land in fuzz/out/NAME/, fixed ones go to
#       fuzz/regress/NAME/ (replayed by `make fuzz-regress`) and become unit
#       tests (tests/unit/config/test_conffile.c, test_dmerge.c).
FUZZ_HARNESSES += conffile dconf podnet
FUZZ_CONFIG    := conffile dconf podnet
# default 30 s here, whatever mk/fuzz.mk's default is
FUZZ_CONFIG_SECONDS = $(if $(filter command environment,$(firstword $(origin FUZZ_SECONDS))),$(FUZZ_SECONDS),30)

.PHONY: fuzz-config
fuzz-config:
	$(MAKE) fuzz FUZZ="$(FUZZ_CONFIG)" FUZZ_SECONDS=$(FUZZ_CONFIG_SECONDS)
