/*
 * nsexec: the only C in runts. It does what the JavaScript runtime cannot (README.md, "The
 * JavaScript runtime"): it is multi-threaded, so it cannot setns() into some namespaces, and it
 * cannot run JavaScript after fork(), so it cannot fork into a new pid or time namespace.
 * nsexec is single-threaded; it
 *
 *   1. opens every namespace file to join (before joining any: joining a mount namespace
 *      changes what later paths mean), then setns() into each, the mount namespace last;
 *   2. unshare()s the namespaces to create (a new pid or time namespace applies to children);
 *   3. writes time namespace offsets (they must be set before the first child enters);
 *   4. forks, with CLONE_PARENT: the child, inside every namespace and a child of runts itself,
 *      execs the given program (`runts init`); nsexec reports the child's pid and exits.
 *
 * It knows nothing of containers: the TypeScript parent decides what to join and create.
 *
 * With --protect-exe, the child first makes PROGRAM reachable only through a read-only bind
 * mount of itself, in a mount namespace of its own (a new one unless one was just created), so
 * that a container process that opens /proc/<pid>/exe of it can never write the host's file,
 * not even after it exec'd something else (CVE-2019-5736; runc's cloned_binary.c does the same).
 *
 * Its second use keeps a created container cheap: once `runts init` has built the container,
 * it execs `nsexec --wait-fifo FD -- PATH ARGV...` (statically linked, so it runs in any
 * rootfs), which holds the container in the created state for a few hundred kilobytes instead
 * of a runts process: it opens the exec fifo for writing (blocking until `runts start` opens it
 * for reading), writes "0" and execs PATH with ARGV and the environment it got.
 * Reports go to the sync fd as JSON lines, the protocol of src/container/protocol.ts:
 *   {"type":"init-pid","pid":1234}
 *   {"type":"error","step":"setns /proc/42/ns/net","errno":22}
 *
 * usage: nsexec --sync-fd N [--join TYPE:PATH]... [--unshare FLAGS] [--time-offset CLOCK:SECS:NSECS]...
 *               [--protect-exe] -- PROGRAM ARGS...
 *        nsexec --wait-fifo FD -- PATH ARGV...
 *   TYPE is a /proc/<pid>/ns name (mnt, net, pid, ipc, uts, cgroup, time, user);
 *   FLAGS is the CLONE_NEW* mask in decimal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#define MAX_JOINS 16
#define MAX_OFFSETS 2

static int sync_fd = -1;

static void report(const char *json)
{
	size_t len = strlen(json);
	while (len > 0) {
		ssize_t n = write(sync_fd, json, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		json += n;
		len -= (size_t)n;
	}
}

static void fail(const char *step, const char *detail, int err)
{
	char line[4096];
	char quoted[3072];
	size_t j = 0;
	/* JSON-escape "step detail" (paths may hold quotes or backslashes). */
	char text[2048];
	snprintf(text, sizeof(text), "%s%s%s", step, detail[0] ? " " : "", detail);
	for (size_t i = 0; text[i] != '\0' && j + 7 < sizeof(quoted); i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '"' || c == '\\') {
			quoted[j++] = '\\';
			quoted[j++] = (char)c;
		} else if (c < 0x20) {
			j += (size_t)snprintf(quoted + j, sizeof(quoted) - j, "\\u%04x", c);
		} else {
			quoted[j++] = (char)c;
		}
	}
	quoted[j] = '\0';
	snprintf(line, sizeof(line), "{\"type\":\"error\",\"step\":\"%s\",\"errno\":%d}\n", quoted, err);
	report(line);
	_exit(1);
}

struct join {
	const char *spec;
	int fd;
	int nstype;
};

/* The CLONE_NEW* flag of a /proc/<pid>/ns name; setns() then refuses a file of another type. */
static int nstype_of(const char *spec)
{
	static const struct {
		const char *name;
		int flag;
	} types[] = {
		{ "mnt:", CLONE_NEWNS },   { "net:", CLONE_NEWNET },	 { "pid:", CLONE_NEWPID },
		{ "ipc:", CLONE_NEWIPC },  { "uts:", CLONE_NEWUTS },	 { "cgroup:", CLONE_NEWCGROUP },
		{ "time:", CLONE_NEWTIME }, { "user:", CLONE_NEWUSER },
	};
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++)
		if (strncmp(spec, types[t].name, strlen(types[t].name)) == 0)
			return types[t].flag;
	return -1;
}

struct time_offset {
	const char *clock;
	long long secs;
	long long nsecs;
};

static void write_time_offsets(const struct time_offset *offsets, int count)
{
	char buf[256];
	int len = 0;
	for (int i = 0; i < count; i++)
		len += snprintf(buf + len, sizeof(buf) - (size_t)len, "%s %lld %lld\n", offsets[i].clock,
				offsets[i].secs, offsets[i].nsecs);
	int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		fail("open", "/proc/self/timens_offsets", errno);
	if (write(fd, buf, (size_t)len) != len)
		fail("write", "/proc/self/timens_offsets", errno);
	close(fd);
}

/* The exec fifo is an O_PATH descriptor; reopening it for writing blocks until start reads. */
static int wait_fifo_and_exec(int fifo_fd, char **program)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fifo_fd);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "runts: open exec fifo: %s\n", strerror(errno));
		return 1;
	}
	if (write(fd, "0", 1) != 1) {
		fprintf(stderr, "runts: write exec fifo: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	close(fifo_fd);
	execv(program[0], &program[1]);
	fprintf(stderr, "runts: exec %s: %s\n", program[0], strerror(errno));
	return 127;
}

/* In the child: PROGRAM, bound read-only onto itself in a private mount namespace. */
static void protect_exe(const char *program, int have_new_mount_ns)
{
	if (!have_new_mount_ns && unshare(CLONE_NEWNS) < 0)
		fail("unshare", "mount namespace for --protect-exe", errno);
	/* Nothing done here may reach the host's mount namespace. */
	if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		fail("mount", "/ as a slave", errno);
	if (mount(program, program, NULL, MS_BIND, NULL) < 0)
		fail("bind", program, errno);
	if (mount(NULL, program, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0)
		fail("remount read-only", program, errno);
}

int main(int argc, char **argv)
{
	int wait_fd = -1;
	int protect = 0;
	struct join joins[MAX_JOINS];
	struct time_offset offsets[MAX_OFFSETS];
	int njoins = 0, noffsets = 0;
	long unshare_flags = 0;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "--protect-exe") == 0) {
			protect = 1;
		} else if (strcmp(argv[i], "--wait-fifo") == 0 && i + 1 < argc) {
			wait_fd = atoi(argv[++i]);
		} else if (strcmp(argv[i], "--sync-fd") == 0 && i + 1 < argc) {
			sync_fd = atoi(argv[++i]);
		} else if (strcmp(argv[i], "--join") == 0 && i + 1 < argc && njoins < MAX_JOINS) {
			joins[njoins].spec = argv[++i];
			joins[njoins].nstype = nstype_of(argv[i]);
			if (joins[njoins].nstype < 0) {
				fprintf(stderr, "nsexec: bad --join %s\n", argv[i]);
				return 2;
			}
			njoins++;
		} else if (strcmp(argv[i], "--unshare") == 0 && i + 1 < argc) {
			unshare_flags = strtol(argv[++i], NULL, 10);
		} else if (strcmp(argv[i], "--time-offset") == 0 && i + 1 < argc && noffsets < MAX_OFFSETS) {
			static char clocks[MAX_OFFSETS][32];
			if (sscanf(argv[++i], "%31[a-z]:%lld:%lld", clocks[noffsets], &offsets[noffsets].secs,
				   &offsets[noffsets].nsecs) != 3) {
				fprintf(stderr, "nsexec: bad --time-offset %s\n", argv[i]);
				return 2;
			}
			offsets[noffsets].clock = clocks[noffsets];
			noffsets++;
		} else {
			fprintf(stderr, "nsexec: unexpected argument %s\n", argv[i]);
			return 2;
		}
	}
	if (wait_fd >= 0 && i + 1 < argc)
		return wait_fifo_and_exec(wait_fd, &argv[i]);
	if (sync_fd < 0 || i >= argc) {
		fprintf(stderr, "usage: nsexec --sync-fd N [--join TYPE:PATH]... [--unshare FLAGS] -- PROGRAM ARGS...\n"
				"       nsexec --wait-fifo FD -- PATH ARGV...\n");
		return 2;
	}
	for (int j = 0; j < njoins; j++) {
		const char *path = strchr(joins[j].spec, ':');
		path = path ? path + 1 : joins[j].spec;
		joins[j].fd = open(path, O_RDONLY | O_CLOEXEC);
		if (joins[j].fd < 0)
			fail("open namespace", path, errno);
	}
	for (int pass = 0; pass < 2; pass++) {
		for (int j = 0; j < njoins; j++) {
			if ((joins[j].nstype == CLONE_NEWNS) != pass)
				continue;
			if (setns(joins[j].fd, joins[j].nstype) < 0)
				fail("setns", joins[j].spec, errno);
			close(joins[j].fd);
		}
	}
	if (unshare_flags != 0 && unshare((int)unshare_flags) < 0)
		fail("unshare", "", errno);
	if (noffsets > 0)
		write_time_offsets(offsets, noffsets);

	/*
	 * Like fork(), but the child is born runts's child, not nsexec's (runc's nsexec does the
	 * same): runts can wait for it without having made itself a subreaper first, which would
	 * mean loading koffi before nsexec starts, and init's start overlaps that work instead.
	 */
	pid_t child = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, NULL);
	if (child < 0)
		fail("clone", "CLONE_PARENT", errno);
	if (child == 0) {
		if (protect)
			protect_exe(argv[i], (unshare_flags & CLONE_NEWNS) != 0);
		execv(argv[i], &argv[i]);
		fail("exec", argv[i], errno);
	}
	char line[64];
	snprintf(line, sizeof(line), "{\"type\":\"init-pid\",\"pid\":%d}\n", (int)child);
	report(line);
	return 0;
}
