/* shmtool: administration of System V shared memory.
 * main: global options, the command table, dispatch. */
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "util.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "create",       cmd_create,       "make a segment" },
	{ "attach-write", cmd_attach_write, "write data into a segment" },
	{ "cat",          cmd_cat,          "print a segment's bytes" },
	{ "list",         cmd_list,         "list the segments in a table" },
	{ "stat",         cmd_stat,         "show everything about some segments" },
	{ "rm",           cmd_rm,           "remove segments" },
	{ "gc",           cmd_gc,           "remove orphaned segments, safely" },
	{ "ftok",         cmd_ftok,         "print the key ftok(3) gives for a path" },
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
	      "  -h, --help      show this help and exit\n"
	      "  -V, --version   show the version and exit\n"
	      "\n"
	      "Run 'shmtool <command> --help' for a command's options; see shmtool(1).\n",
	      stdout);
	exit_help();
}

static const struct option longopts[] = {
	{ "help",    no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

int main(int argc, char **argv)
{
	int c;

	setlocale(LC_ALL, "");
	/* a reader that went away (| head) ends the output quietly */
	signal(SIGPIPE, SIG_IGN);
	/* '+': global options stop at the command name */
	while ((c = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage();
		case 'V':
			printf("shmtool %s\n", PACKAGE_VERSION);
			return close_stdout_status(EXIT_OK);
		default:
			usage_hint(NULL);
		}
	}
	if (optind >= argc)
		usage_errx(NULL, "no command given");

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name) == 0) {
			int sub_argc = argc - optind;
			char **sub_argv = argv + optind;
			char *name = NULL;

			/* getopt's own messages start with argv[0] */
			if (asprintf(&name, "shmtool %s", commands[i].name) > 0)
				sub_argv[0] = name;
			optind = 0;
			return close_stdout_status(commands[i].run(sub_argc, sub_argv));
		}
	}
	usage_errx(NULL, "unknown command '%s'", argv[optind]);
}
