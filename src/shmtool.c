/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shmtool: administration of System V shared memory.
 * main: global options, the command table, dispatch. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "lib/util.h"

static const struct command *const commands[] = {
	&cmd_create, &cmd_attach_write, &cmd_cat, &cmd_list, &cmd_stat,
	&cmd_rm, &cmd_gc, &cmd_chmod, &cmd_chown, &cmd_lock, &cmd_unlock, &cmd_ftok,
	&cmd_namespaces, &cmd_limits, &cmd_metrics,
};

static noreturn void usage(void)
{
	fputs("Usage: shmtool [options] <command> [command options]\n"
	      "\n"
	      "Administer System V shared memory segments.\n"
	      "\n"
	      "Commands:\n", stdout);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-14s %s\n", commands[i]->name, commands[i]->summary);
	fputs("\n"
	      "Options:\n"
	      "      --ipc-ns PID|PATH  run the command in the IPC namespace of process\n"
	      "                         PID, or of a namespace file (/proc/PID/ns/ipc)\n"
	      "  -h, --help             show this help and exit\n"
	      "  -V, --version          show the version and exit\n"
	      "\n"
	      "Run 'shmtool <command> --help' or 'shmtool help <command>' for a\n"
	      "command's options; see shmtool(1).\n",
	      stdout);
	exit_help();
}

enum { OPT_IPC_NS = 0x100 };

static const struct option longopts[] = {
	{ "ipc-ns",  required_argument, NULL, OPT_IPC_NS },
	{ "help",    no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* The command named name, or a usage error that suggests the nearest. */
static const struct command *command_or_err(const char *name)
{
	const char *names[NCOMMANDS + 1], *near;

	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(name, commands[i]->name) == 0)
			return commands[i];
		names[i] = commands[i]->name;
	}
	names[NCOMMANDS] = "help";
	near = nearest_name(name, names, NCOMMANDS + 1);
	if (near)
		usage_errx(NULL, "unknown command '%s' (did you mean '%s'?)", name, near);
	usage_errx(NULL, "unknown command '%s'", name);
}

/* "shmtool CMD": the argv[0] of a command, which getopt's own messages
 * start with. */
static const char *command_argv0(const struct command *cmd)
{
	char *name = NULL;

	if (asprintf(&name, "shmtool %s", cmd->name) < 0)
		errx(EXIT_FAIL, "cannot allocate memory");
	return name;
}

static int run_help(const struct command *cmd, struct shm_ctx *ctx)
{
	char *help_argv[] = { (char *)command_argv0(cmd), (char *)"--help", NULL };

	optind = 0;
	return close_stdout_status(cmd->run(2, help_argv, ctx));
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	struct shm_ctx ctx = SHM_CTX_INIT;
	char **sub_argv;
	int c, sub_argc;

	/* before anything opens a file: none may become stdin, stdout or
	 * stderr */
	if (std_fds_open())
		return EXIT_FAIL;
	/* messages say "shmtool:" however it was called (a path, a link) */
	program_invocation_short_name = (char *)"shmtool";
	program_invocation_name = (char *)"shmtool";
	argv[0] = (char *)"shmtool";
	setlocale(LC_ALL, "");
	/* a reader that went away (| head) ends the output quietly */
	signal(SIGPIPE, SIG_IGN);
	/* '+': global options stop at the command name */
	while ((c = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage();
		case OPT_IPC_NS:
			ctx.ipc_ns = optarg;
			break;
		case 'V':
			printf("shmtool %s\n"
			       "Copyright (C) 2026 the shmtool authors\n"
			       "License GPL-2.0-or-later: GNU GPL version 2 or later\n"
			       "<https://www.gnu.org/licenses/old-licenses/gpl-2.0.html>.\n"
			       "This is free software: you are free to change and redistribute it.\n"
			       "There is NO WARRANTY, to the extent permitted by law.\n",
			       PACKAGE_VERSION);
			return close_stdout_status(EXIT_OK);
		default:
			usage_hint_option(NULL, argv, longopts);
		}
	}
	if (optind >= argc)
		usage_errx(NULL, "no command given");

	/* shmtool help [CMD]: the same as shmtool [CMD] --help */
	if (!strcmp(argv[optind], "help")) {
		if (optind + 1 >= argc || !strcmp(argv[optind + 1], "help"))
			usage();
		if (optind + 2 < argc)
			usage_errx(NULL, "help takes one command");
		return run_help(command_or_err(argv[optind + 1]), &ctx);
	}
	cmd = command_or_err(argv[optind]);
	sub_argc = argc - optind;
	sub_argv = argv + optind;
	sub_argv[0] = (char *)command_argv0(cmd);
	optind = 0;
	/* the command enters the namespace of --ipc-ns once its options
	 * are parsed: its --help and usage errors come first */
	return close_stdout_status(cmd->run(sub_argc, sub_argv, &ctx));
}
