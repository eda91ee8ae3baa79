/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The subcommands: each lives in src/cmd-<name>.c and returns the exit
 * status. */
#ifndef SHMTOOL_COMMANDS_H
#define SHMTOOL_COMMANDS_H

#include <getopt.h>

/* A command's options, the ones its getopt_long() parses: main looks in
 * them for -h/--help before --ipc-ns enters a namespace. 'h' is --help in
 * every command. */
struct command_options {
	const char *shortopts;
	const struct option *longopts;
};

int cmd_create(int argc, char **argv);
int cmd_attach_write(int argc, char **argv);
int cmd_cat(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_gc(int argc, char **argv);
int cmd_ftok(int argc, char **argv);
int cmd_namespaces(int argc, char **argv);
int cmd_metrics(int argc, char **argv);

extern const struct command_options cmd_create_options;
extern const struct command_options cmd_attach_write_options;
extern const struct command_options cmd_cat_options;
extern const struct command_options cmd_list_options;
extern const struct command_options cmd_stat_options;
extern const struct command_options cmd_rm_options;
extern const struct command_options cmd_gc_options;
extern const struct command_options cmd_ftok_options;
extern const struct command_options cmd_namespaces_options;
extern const struct command_options cmd_metrics_options;

#endif
