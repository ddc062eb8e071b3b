# The manual page lazydind(1): made by scripts/man.sh (sh + awk, no other
# tool) from docs/commands.md and docs/configuration.md whenever they change,
# so it cannot drift from docs/; not committed. `make install` installs it.
#
#   make man         ./lazydind.1
#   make man-check   `make install` into a scratch DESTDIR: the binary and the
#                    page are where they belong; the page uses only the
#                    requests man.sh emits, and (where groff or man is
#                    installed; neither is a build dependency) renders without
#                    a warning and lists every command. Part of `make check`.
MAN_SRCS := docs/commands.md docs/configuration.md scripts/man.sh scripts/md2man.awk src/base/util.h

.PHONY: man man-check man-clean
man: lazydind.1

lazydind.1: $(MAN_SRCS)
	sh scripts/man.sh . > $@.tmp && mv $@.tmp $@

man-check: lazydind lazydind.1
	@sh scripts/man-check.sh

check: man-check
clean: man-clean
man-clean:
	rm -f lazydind.1 lazydind.1.tmp
