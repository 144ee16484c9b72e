/*
 * exitcode.h - logfold's exit statuses, a public interface: scripts and cron
 * jobs test them. Documented in the README and the man page. When several
 * apply, the highest wins (an output error hides an input error).
 */
#ifndef LF_EXITCODE_H
#define LF_EXITCODE_H

enum exit_code {
	EXIT_OK = 0,        /* everything read and written */
	EXIT_BAD_LINES = 1, /* more than --max-bad of the lines were malformed;
			     * for logfold privacy: outside the exemption */
	EXIT_USAGE = 2,     /* bad options; nothing was read or written */
	EXIT_INPUT = 3,     /* a file could not be read or its gzip is damaged; the
			     * good lines were still counted and written */
	EXIT_OUTPUT = 4,    /* writing failed; nothing of this run was kept */
	EXIT_BUSY = 5,      /* another writer held the database past --wait;
			     * nothing was written */
	EXIT_INTERRUPTED = 6, /* SIGINT or SIGTERM: stopped, nothing written */
};

#endif
