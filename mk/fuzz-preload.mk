# The fuzz harness of LAZYDIND_PRELOAD's parsers of outside input: archive
# headers and dockerd's load answer (fuzz/fuzz_imgload.c, mk/fuzz.mk).
FUZZ_HARNESSES += imgload
