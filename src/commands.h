/* The subcommands: each lives in src/cmd-<name>.c and returns the exit
 * status. */
#ifndef SHMTOOL_COMMANDS_H
#define SHMTOOL_COMMANDS_H

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

#endif
