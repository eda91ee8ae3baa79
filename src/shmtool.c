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
#include <stdbool.h>
#include <string.h>

#include "commands.h"
#include "ipcns.h"
#include "posix-obj.h"
#include "util.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const struct command_options *options;
	const char *summary;
};

/* A command's run function and options both come from its cmd_<fn>. */
#define COMMAND(name, fn, summary) { name, cmd_##fn, &cmd_##fn##_options, summary }

static const struct command commands[] = {
	COMMAND("create",       create,       "make a segment"),
	COMMAND("attach-write", attach_write, "write data into a segment"),
	COMMAND("cat",          cat,          "print a segment's bytes"),
	COMMAND("list",         list,         "list the segments in a table"),
	COMMAND("stat",         stat,         "show everything about some segments"),
	COMMAND("rm",           rm,           "remove segments"),
	COMMAND("gc",           gc,           "remove orphaned segments, safely"),
	COMMAND("ftok",         ftok,         "print the key ftok(3) gives for a path"),
	COMMAND("namespaces",   namespaces,   "list the IPC namespaces that hold segments"),
	COMMAND("metrics",      metrics,      "print Prometheus metrics of the segments and limits"),
};

static noreturn void usage(void)
{
	fputs("Usage: shmtool [options] <command> [command options]\n"
	      "\n"
	      "Administer System V shared memory segments.\n"
	      "\n"
	      "Commands:\n", stdout);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-14s %s\n", commands[i].name, commands[i].summary);
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

/* --ipc-ns: enter the namespace before the command runs, so that every
 * /proc/sysvipc/shm it opens and every shmctl it makes act there. */
static void enter_ipc_ns_or_err(const char *arg)
{
	char what[96];
	pid_t pid = 0;
	int rc = ipcns_parse_target(arg, &pid);

	if (rc < 0)
		usage_errx(NULL, "invalid --ipc-ns '%s' (a pid or a namespace file)", arg);
	if (rc == 1) {
		snprintf(what, sizeof(what), "of process %d", (int)pid);
		rc = ipcns_enter_process(pid);
	} else {
		snprintf(what, sizeof(what), "%s", arg);
		rc = ipcns_enter_file(arg);
	}
	if (rc == -ENOENT && pid)
		errx(EXIT_FAIL, "no process %d", (int)pid);
	if (rc == -ENOENT)
		errx_safe(EXIT_FAIL, "cannot open %s: %s", arg, strerror(-rc));
	if (rc == -EINVAL && pid)
		errx(EXIT_FAIL, "/proc/%d/ns/ipc is not an IPC namespace", (int)pid);
	if (rc == -EINVAL)
		errx_safe(EXIT_FAIL, "%s is not an IPC namespace file", arg);
	if (rc == -EPERM || rc == -EACCES)
		errx_safe(EXIT_FAIL, "cannot enter the IPC namespace %s: permission denied", what);
	if (rc)
		errx_safe(EXIT_FAIL, "cannot enter the IPC namespace %s: %s", what, strerror(-rc));
}

/* With --ipc-ns: whether the command would show its help, found by its
 * own options as its getopt_long() will parse them. */
static bool command_asks_help(const struct command *cmd, int argc, char **argv)
{
	int rc = options_ask_help(argc, argv, cmd->options->shortopts, cmd->options->longopts);

	if (rc < 0)
		errx(EXIT_FAIL, "cannot allocate memory");
	return rc;
}

/* With --ipc-ns PATH: whether the command acts on POSIX objects. */
static bool command_asks_posix(const struct command *cmd, int argc, char **argv)
{
	int rc = options_meet_long(argc, argv, cmd->options->shortopts, cmd->options->longopts,
				   "posix");

	if (rc < 0)
		errx(EXIT_FAIL, "cannot allocate memory");
	return rc;
}

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* The command named name, or a usage error that suggests the nearest. */
static const struct command *command_or_err(const char *name)
{
	const char *names[NCOMMANDS + 1], *near;

	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
		names[i] = commands[i].name;
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

static int run_help(const struct command *cmd)
{
	char *help_argv[] = { (char *)command_argv0(cmd), (char *)"--help", NULL };

	optind = 0;
	return close_stdout_status(cmd->run(2, help_argv));
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	const char *ipc_ns = NULL;
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
			ipc_ns = optarg;
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
		return run_help(command_or_err(argv[optind + 1]));
	}
	cmd = command_or_err(argv[optind]);
	sub_argc = argc - optind;
	sub_argv = argv + optind;
	sub_argv[0] = (char *)command_argv0(cmd);
	optind = 0;
	/* the help is the same in every namespace: it is shown even for a
	 * namespace that cannot be entered, and nothing else runs */
	if (ipc_ns && command_asks_help(cmd, sub_argc, sub_argv))
		return run_help(cmd);
	if (ipc_ns && ipcns_parse_target(ipc_ns, &(pid_t){ 0 }) == 0 &&
	    command_asks_posix(cmd, sub_argc, sub_argv))
		/* before anything is opened: a usage error is the same
		 * whatever the path */
		posix_scope_or_err(cmd->name, true);
	if (ipc_ns)
		enter_ipc_ns_or_err(ipc_ns);
	return close_stdout_status(cmd->run(sub_argc, sub_argv));
}
