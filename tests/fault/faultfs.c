/*
 * faultfs.c - an LD_PRELOAD shim for tests/check-faults.sh: it counts the
 * calls a process makes that change files under one directory, and fails
 * one of them, as a full or failing disk would, so that the sweep can fail
 * each in turn (SQLite's I/O-error tests are the model).
 *
 *   FAULT_DIR=/abs/dir  only files whose path starts with it count, and
 *                       only descriptors opened on such paths
 *   FAULT_LOG=file      each counted call appends "N CALL PATH" to it
 *   FAULT_AT=N          the Nth counted call (from 1) fails; 0: none
 *   FAULT_STICKY=1      and every counted call after it (a disk that
 *                       stays full or broken: the clean-up fails too)
 *
 * Counted, and how each fails (errno; the call does nothing, but close
 * and fclose, which close first, as Linux does on an error):
 *   open, openat, creat (and their 64/_2 forms), mkdir    EIO
 *   write, pwrite, writev, pwritev, ftruncate, fallocate  ENOSPC
 *   fsync, fdatasync                                      EIO
 *   rename, renameat, unlink, unlinkat                    EIO
 *   close                                                 EIO
 *   fwrite, fputs, fputc, fflush, fclose on such a file   ENOSPC / EIO
 * stdio is counted at its own calls because glibc's stdio writes through
 * an internal write(2) that no shim can see. Reads are never failed.
 *
 * The counter is shared by all threads (an atomic), so the order is the
 * order of the calls: logfold's two writers (the day writer thread, then
 * the main thread's commit) never write at the same time. This file is a
 * test tool: it is not part of logfold and is built without sanitizers.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

/* Descriptors opened on a counted path; higher ones are never counted. */
#define FAULT_FDS 4096

static atomic_bool tracked[FAULT_FDS];
static atomic_long counter;

static const char *dir(void)
{
	const char *d = getenv("FAULT_DIR");
	return d && d[0] ? d : NULL;
}

/* Whether path (relative to the working directory, or absolute) is
 * under FAULT_DIR; "..", symbolic links and the like are not resolved. */
static bool in_dir(const char *path)
{
	const char *d = dir();
	char abs[4096];
	if (!d || !path)
		return false;
	if (path[0] != '/') {
		if (!getcwd(abs, sizeof(abs) - 1))
			return false;
		size_t n = strlen(abs);
		snprintf(abs + n, sizeof(abs) - n, "/%s", path);
		path = abs;
	}
	return strncmp(path, d, strlen(d)) == 0;
}

static bool fd_tracked(int fd)
{
	return fd >= 0 && fd < FAULT_FDS && atomic_load(&tracked[fd]);
}

static void track(int fd, bool on)
{
	if (fd >= 0 && fd < FAULT_FDS)
		atomic_store(&tracked[fd], on);
}

/* The path of fd, for the log ("fd N" when /proc cannot say). */
static void fd_path(int fd, char *buf, size_t len)
{
	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, buf, len - 1);
	if (n < 0)
		n = snprintf(buf, len, "fd %d", fd);
	buf[n] = '\0';
}

/* Count a call; true when it is the one to fail (errno is then set). */
static bool count(const char *call, const char *path, int err)
{
	long n = atomic_fetch_add(&counter, 1) + 1;
	const char *log = getenv("FAULT_LOG"), *at = getenv("FAULT_AT");
	const char *sticky = getenv("FAULT_STICKY");
	long first = at ? atol(at) : 0;
	bool fail = first > 0 && (n == first || (n > first && sticky && sticky[0] == '1'));
	if (log) {
		static int (*real_open)(const char *, int, ...);
		static ssize_t (*real_write)(int, const void *, size_t);
		static int (*real_close)(int);
		if (!real_open) {
			real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
			real_write = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
			real_close = (int (*)(int))dlsym(RTLD_NEXT, "close");
		}
		char line[4200];
		int k = snprintf(line, sizeof(line), "%ld %s %s%s\n", n, call, path,
				 fail ? " FAILED" : "");
		int fd = real_open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0) {
			(void)!real_write(fd, line, (size_t)k);
			real_close(fd);
		}
	}
	if (fail)
		errno = err;
	return fail;
}

static bool count_fd(const char *call, int fd, int err)
{
	char path[4096];
	if (!fd_tracked(fd))
		return false;
	fd_path(fd, path, sizeof(path));
	return count(call, path, err);
}

#define REAL(ret, name, ...)                                                  \
	static ret (*real)(__VA_ARGS__);                                      \
	if (!real)                                                            \
		real = (ret (*)(__VA_ARGS__))dlsym(RTLD_NEXT, name)

/* ---- opening -------------------------------------------------------- */

static int opened(int fd, const char *path)
{
	if (fd >= 0)
		track(fd, in_dir(path));
	return fd;
}

static mode_t mode_of(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

#define OPEN_LIKE(name)                                                       \
	int name(const char *path, int flags, ...)                            \
	{                                                                     \
		va_list ap;                                                   \
		va_start(ap, flags);                                          \
		mode_t mode = mode_of(flags, ap);                             \
		va_end(ap);                                                   \
		REAL(int, #name, const char *, int, ...);                     \
		if (in_dir(path) && count(#name, path, EIO))                  \
			return -1;                                            \
		return opened(real(path, flags, mode), path);                 \
	}
OPEN_LIKE(open)
OPEN_LIKE(open64)

#define OPENAT_LIKE(name)                                                     \
	int name(int at, const char *path, int flags, ...)                    \
	{                                                                     \
		va_list ap;                                                   \
		va_start(ap, flags);                                          \
		mode_t mode = mode_of(flags, ap);                             \
		va_end(ap);                                                   \
		REAL(int, #name, int, const char *, int, ...);                \
		if (in_dir(path) && count(#name, path, EIO))                  \
			return -1;                                            \
		return opened(real(at, path, flags, mode), path);             \
	}
OPENAT_LIKE(openat)
OPENAT_LIKE(openat64)

int __open_2(const char *path, int flags);
int __open_2(const char *path, int flags)
{
	return open(path, flags);
}

int __open64_2(const char *path, int flags);
int __open64_2(const char *path, int flags)
{
	return open64(path, flags);
}

int creat(const char *path, mode_t mode)
{
	return open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

int mkdir(const char *path, mode_t mode)
{
	REAL(int, "mkdir", const char *, mode_t);
	if (in_dir(path) && count("mkdir", path, EIO))
		return -1;
	return real(path, mode);
}

/* ---- writing -------------------------------------------------------- */

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, "write", int, const void *, size_t);
	return count_fd("write", fd, ENOSPC) ? -1 : real(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	REAL(ssize_t, "pwrite", int, const void *, size_t, off_t);
	return count_fd("pwrite", fd, ENOSPC) ? -1 : real(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	REAL(ssize_t, "pwrite64", int, const void *, size_t, off_t);
	return count_fd("pwrite64", fd, ENOSPC) ? -1 : real(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	REAL(ssize_t, "writev", int, const struct iovec *, int);
	return count_fd("writev", fd, ENOSPC) ? -1 : real(fd, iov, n);
}

ssize_t pwritev(int fd, const struct iovec *iov, int n, off_t off)
{
	REAL(ssize_t, "pwritev", int, const struct iovec *, int, off_t);
	return count_fd("pwritev", fd, ENOSPC) ? -1 : real(fd, iov, n, off);
}

int ftruncate(int fd, off_t len)
{
	REAL(int, "ftruncate", int, off_t);
	return count_fd("ftruncate", fd, ENOSPC) ? -1 : real(fd, len);
}

int ftruncate64(int fd, off_t len)
{
	REAL(int, "ftruncate64", int, off_t);
	return count_fd("ftruncate64", fd, ENOSPC) ? -1 : real(fd, len);
}

int fallocate(int fd, int mode, off_t off, off_t len)
{
	REAL(int, "fallocate", int, int, off_t, off_t);
	return count_fd("fallocate", fd, ENOSPC) ? -1 : real(fd, mode, off, len);
}

int posix_fallocate(int fd, off_t off, off_t len)
{
	REAL(int, "posix_fallocate", int, off_t, off_t);
	return count_fd("posix_fallocate", fd, ENOSPC) ? ENOSPC : real(fd, off, len);
}

int fsync(int fd)
{
	REAL(int, "fsync", int);
	return count_fd("fsync", fd, EIO) ? -1 : real(fd);
}

int fdatasync(int fd)
{
	REAL(int, "fdatasync", int);
	return count_fd("fdatasync", fd, EIO) ? -1 : real(fd);
}

int close(int fd)
{
	REAL(int, "close", int);
	bool fail = count_fd("close", fd, EIO);
	track(fd, false);
	int rc = real(fd); /* closed either way, as Linux does */
	if (fail) {
		errno = EIO;
		return -1;
	}
	return rc;
}

/* ---- names ---------------------------------------------------------- */

int rename(const char *from, const char *to)
{
	REAL(int, "rename", const char *, const char *);
	if ((in_dir(from) || in_dir(to)) && count("rename", to, EIO))
		return -1;
	return real(from, to);
}

int renameat(int a, const char *from, int b, const char *to)
{
	REAL(int, "renameat", int, const char *, int, const char *);
	if ((in_dir(from) || in_dir(to)) && count("renameat", to, EIO))
		return -1;
	return real(a, from, b, to);
}

int unlink(const char *path)
{
	REAL(int, "unlink", const char *);
	if (in_dir(path) && count("unlink", path, EIO))
		return -1;
	return real(path);
}

int unlinkat(int at, const char *path, int flags)
{
	REAL(int, "unlinkat", int, const char *, int);
	if (in_dir(path) && count("unlinkat", path, EIO))
		return -1;
	return real(at, path, flags);
}

/* ---- stdio ---------------------------------------------------------- */

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	REAL(size_t, "fwrite", const void *, size_t, size_t, FILE *);
	return count_fd("fwrite", fileno(f), ENOSPC) ? 0 : real(p, size, n, f);
}

int fputs(const char *s, FILE *f)
{
	REAL(int, "fputs", const char *, FILE *);
	return count_fd("fputs", fileno(f), ENOSPC) ? EOF : real(s, f);
}

int fputc(int c, FILE *f)
{
	REAL(int, "fputc", int, FILE *);
	return count_fd("fputc", fileno(f), ENOSPC) ? EOF : real(c, f);
}

int fflush(FILE *f)
{
	REAL(int, "fflush", FILE *);
	return f && count_fd("fflush", fileno(f), ENOSPC) ? EOF : real(f);
}

int fclose(FILE *f)
{
	REAL(int, "fclose", FILE *);
	int fd = fileno(f);
	bool fail = count_fd("fclose", fd, EIO);
	track(fd, false);
	int rc = real(f);
	if (fail) {
		errno = EIO;
		return EOF;
	}
	return rc;
}
