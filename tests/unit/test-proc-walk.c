/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the /proc walker of src/core/proc-walk.c, over a directory
 * laid out like /proc (made per test) and once over the real /proc. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/proc-walk.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAPS_42 "00400000-00452000 r-xp 00000000 08:02 173521 /usr/bin/x\n"

/* ---- a fake /proc ---- */

static char root[64];

static void make_dir(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", root, name);
	assert_int_equal(mkdir(path, 0755), 0);
}

static void make_file(const char *name, const char *text, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Processes 1, 7 and 42 among names that are no process. */
static int setup(void **state)
{
	static const char *const not_pids[] = {
		"0", "012", "abc", "12a", "99999999999", "-5",
	};
	char path[128];

	(void)state;
	snprintf(root, sizeof(root), "%s/walk-test-XXXXXX", P_tmpdir);
	if (!mkdtemp(root))
		return -1;
	make_dir("1");
	make_dir("7");
	make_dir("42");
	make_file("42/maps", MAPS_42, strlen(MAPS_42));
	make_dir("1/maps");     /* read() fails: EISDIR, even for root */
	for (size_t i = 0; i < ARRAY_LEN(not_pids); i++)
		make_dir(not_pids[i]);
	snprintf(path, sizeof(path), "%s/self", root);
	return symlink("42", path);
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

static int root_fd(void)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

/* ---- callbacks ---- */

struct seen {
	pid_t pids[16];
	size_t n;
	ssize_t len[16];
	int stop_after;         /* stop with -E2BIG after this many; 0: never */
};

static int record(struct proc_walk *w, void *ctx)
{
	struct seen *s = ctx;

	assert_true(s->n < ARRAY_LEN(s->pids));
	s->pids[s->n] = w->pid;
	s->len[s->n] = proc_walk_read(w, "maps");
	s->n++;
	return s->stop_after && (int)s->n == s->stop_after ? -E2BIG : 0;
}

static ssize_t len_of(const struct seen *s, pid_t pid)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->pids[i] == pid)
			return s->len[i];
	fail_msg("pid %d not visited", (int)pid);
	return 0;
}

/* ---- tests ---- */

/* Only the numeric entries are processes; each is read once: 42's maps,
 * 7 without one (gone: not counted), 1's unreadable (counted). */
static void test_walk_dir(void **state)
{
	struct seen s = { 0 };
	struct proc_walk_stats st;

	(void)state;
	assert_int_equal(proc_walk_dir(root_fd(), record, &s, &st), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(st.pids, 3);
	assert_int_equal(len_of(&s, 42), strlen(MAPS_42));
	assert_int_equal(len_of(&s, 7), -ENOENT);
	assert_int_equal(len_of(&s, 1), -EISDIR);
	assert_int_equal(st.denied, 1);
	assert_false(st.hidden);        /* not procfs: nothing to hide */
}

/* A callback's error stops the walk and is returned; the counts so far
 * are kept. */
static void test_walk_stop(void **state)
{
	struct seen s = { .stop_after = 2 };
	struct proc_walk_stats st;

	(void)state;
	assert_int_equal(proc_walk_dir(root_fd(), record, &s, &st), -E2BIG);
	assert_int_equal(s.n, 2);
	assert_int_equal(st.pids, 2);
}

/* Not a directory: the error, and the descriptor closed all the same. */
static void test_walk_not_dir(void **state)
{
	struct seen s = { 0 };
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(proc_walk_dir(fd, record, &s, NULL), -ENOTDIR);
	assert_int_equal(s.n, 0);
	assert_int_equal(fcntl(fd, F_GETFD), -1);
}

/* A file larger than the first buffer is read whole, and the buffer is
 * reused (not shrunk) for the next, smaller one. */
static int read_big(struct proc_walk *w, void *ctx)
{
	const char *text = ctx;
	size_t len = strlen(text);

	if (w->pid != 42)
		return 0;
	assert_int_equal(proc_walk_read(w, "big"), (ssize_t)len);
	assert_memory_equal(w->buf, text, len);
	assert_int_equal(proc_walk_read(w, "maps"), strlen(MAPS_42));
	assert_true(w->cap > len);
	assert_memory_equal(w->buf, MAPS_42, strlen(MAPS_42));
	return 0;
}

static void test_read_grows(void **state)
{
	size_t len = 600 * 1024 + 17;
	char *text = malloc(len + 1);

	(void)state;
	assert_non_null(text);
	for (size_t i = 0; i < len; i++)
		text[i] = (char)('a' + i % 26);
	text[len] = '\0';
	make_file("42/big", text, len);
	assert_int_equal(proc_walk_dir(root_fd(), read_big, text, NULL), 0);
	free(text);
}

/* The one place that tells a process gone from one denied. */
static void test_failed(void **state)
{
	static const struct {
		int err;
		bool gone;
	} cases[] = {
		{ ENOENT, true }, { ESRCH, true },
		{ EACCES, false }, { EPERM, false }, { EIO, false },
	};
	struct proc_walk w = { 0 };

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		unsigned long before = w.st.denied;

		assert_int_equal(proc_walk_gone(cases[i].err), cases[i].gone);
		assert_int_equal(proc_walk_failed(&w, cases[i].err), 0);
		if (w.st.denied != before + !cases[i].gone)
			fail_msg("case %zu: errno %d counted wrong", i, cases[i].err);
	}
	assert_int_equal(w.st.denied, 3);
}

#define MAPS_51 "00400000-00452000 r-xp 00000000 08:02 173522 /usr/bin/y\n"

/* A process of threads: 50, whose leader ended (empty maps, no ns/)
 * while thread 51 runs on; 60, a kernel thread (empty maps, one
 * thread); 70, whose thread count the kernel does not give (a task
 * directory with no link per thread). */
static void make_threads(void)
{
	make_file("50/maps", "", 0);
	make_dir("50/task");
	make_dir("50/task/50");
	make_dir("50/task/51");
	make_file("50/task/51/maps", MAPS_51, strlen(MAPS_51));
	make_dir("50/task/51/ns");
	make_file("50/task/51/ns/ipc", "", 0);
	make_dir("60");
	make_file("60/maps", "", 0);
	make_dir("60/task");
	make_dir("60/task/60");
	make_dir("70");
	make_file("70/maps", "", 0);
	make_dir("70/task");
}

/* What proc_walk_maps() gave, chunk after chunk, and how: each chunk
 * must end with a whole line. */
static struct {
	char *text;
	size_t len, chunks;
	size_t cut;             /* chunks that end inside a line */
} got;

static int collect(const char *buf, size_t len, void *ctx)
{
	(void)ctx;
	got.text = realloc(got.text, got.len + len + 1);
	assert_non_null(got.text);
	memcpy(got.text + got.len, buf, len);
	got.len += len;
	got.text[got.len] = '\0';
	got.chunks++;
	got.cut += buf[len - 1] != '\n';
	return 0;
}

static ssize_t maps_of(struct proc_walk *w)
{
	free(got.text);
	memset(&got, 0, sizeof(got));
	return proc_walk_maps(w, collect, NULL);
}

/* A leader's empty maps are taken from another thread, its namespace
 * too; a process with maps is asked nothing more (not even its thread
 * count), nor is a process of one thread. */
static void test_threads(void **state)
{
	struct proc_walk w = { .procfd = root_fd(), .pid = 50 };
	struct stat st;

	(void)state;
	make_dir("50");
	make_threads();
	assert_int_equal(proc_walk_threads(&w), 2);
	assert_int_equal(maps_of(&w), strlen(MAPS_51));
	assert_string_equal(got.text, MAPS_51);
	assert_int_equal(proc_walk_stat_live(&w, "ns/ipc", &st), 0);
	assert_string_equal(w.path, "50/task/51/ns/ipc");
	assert_string_equal(proc_walk_task_path(&w, 50, "fd"), "50/fd");

	w = (struct proc_walk){ .procfd = w.procfd, .buf = w.buf, .cap = w.cap, .pid = 60 };
	assert_int_equal(maps_of(&w), 0);
	assert_int_equal(proc_walk_threads(&w), 1);
	assert_int_equal(proc_walk_stat_live(&w, "ns/ipc", &st), -ENOENT);
	assert_int_equal(w.st.denied, 0);               /* gone, not denied */

	w = (struct proc_walk){ .procfd = w.procfd, .buf = w.buf, .cap = w.cap, .pid = 70 };
	assert_int_equal(maps_of(&w), 0);
	assert_int_equal(proc_walk_threads(&w), 0);     /* not known */
	assert_true(proc_walk_may_outlive_leader(&w));

	w = (struct proc_walk){ .procfd = w.procfd, .buf = w.buf, .cap = w.cap, .pid = 42 };
	assert_int_equal(maps_of(&w), strlen(MAPS_42));
	assert_string_equal(got.text, MAPS_42);
	assert_int_equal(w.threads, 0);                 /* never asked */
	free(w.buf);
	close(w.procfd);
}

/* A maps file of many megabytes (65,000 mappings of long names) is
 * read a chunk of whole lines at a time: the buffer stays small, every
 * byte arrives once, in order. */
static void test_maps_in_chunks(void **state)
{
	struct proc_walk w = { .procfd = root_fd(), .pid = 80 };
	char line[4200];
	size_t n = 0, total = 0;
	char *big;
	int len;

	(void)state;
	big = malloc(8u << 20);
	assert_non_null(big);
	memset(line, 'x', sizeof(line));
	for (int i = 0; total + sizeof(line) + 100 < (8u << 20); i++) {
		/* lines of every length up to a long path */
		len = snprintf(big + total, 200, "7f%010x-7f%010x rw-s 00000000 00:1a %d /",
			       i, i + 1, i);
		n = (size_t)(i * 37) % 4000;
		memcpy(big + total + len, line, n);
		total += (size_t)len + n;
		big[total++] = '\n';
	}
	make_dir("80");
	make_file("80/maps", big, total - 7);           /* no final newline either */
	assert_int_equal(maps_of(&w), (ssize_t)(total - 7));
	assert_int_equal(got.len, total - 7);
	assert_memory_equal(got.text, big, total - 7);
	assert_true(got.chunks > 8);
	assert_int_equal(got.cut, 1);                   /* the last only */
	assert_true(w.cap <= 512 * 1024);                /* a chunk, not the file */
	free(big);
	free(w.buf);
	close(w.procfd);
}

/* The real /proc: this process is there, with its maps. */
static int find_self(struct proc_walk *w, void *ctx)
{
	ssize_t *len = ctx;

	if (w->pid == getpid())
		*len = proc_walk_read(w, "maps");
	return 0;
}

static bool in_initial_pidns(void)
{
	struct stat st;

	return stat("/proc/self/ns/pid", &st) == 0 && st.st_ino == 0xEFFFFFFC;
}

static void test_real_proc(void **state)
{
	struct proc_walk_stats st;
	ssize_t len = 0;

	(void)state;
	assert_int_equal(proc_walk(find_self, &len, &st), 0);
	assert_true(len > 0);
	assert_true(st.pids >= 1);
	/* as root (CAP_SYS_PTRACE), whatever hidepid says, every process of
	 * this PID namespace; those of the namespaces above it never */
	if (geteuid() == 0)
		assert_false(st.hidden & PROC_HIDDEN_PROC);
	assert_int_equal(!!(st.hidden & PROC_HIDDEN_PIDNS), !in_initial_pidns());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_walk_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_stop, setup, teardown),
		cmocka_unit_test(test_walk_not_dir),
		cmocka_unit_test_setup_teardown(test_read_grows, setup, teardown),
		cmocka_unit_test(test_failed),
		cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_maps_in_chunks, setup, teardown),
		cmocka_unit_test(test_real_proc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
