/* The `lazydind` subcommands; each takes the whole argv (argv[1] is its name). */
#ifndef LAZYDIND_COMMANDS_H
#define LAZYDIND_COMMANDS_H

int lz_cmd_start(int argc, char **argv);
int lz_cmd_activate(int argc, char **argv);
int lz_cmd_status(int argc, char **argv);
int lz_cmd_stop(int argc, char **argv);
int lz_cmd_logs(int argc, char **argv);
int lz_cmd_install(int argc, char **argv);
int lz_cmd_config(int argc, char **argv);
int lz_shim_main(int argc, char **argv);

#endif
