# The warm path's code stays where src/warmpath.ld puts it: every function
# the script names is in .text.warm (scripts/check-warmpath.py).
.PHONY: warmpath-check
check: warmpath-check
warmpath-check: lazydind
	python3 scripts/check-warmpath.py lazydind
