/*
 * opttable.h - the options as data. One row of opt_table (opttable.c) says
 * everything logfold knows of an option: its long name (also its config
 * key), short letter, kind of value, range or choices, default, the field
 * of struct config it sets, the modes (subcommands) that take it, and its
 * --help text. getopt_long, the config file, --help, the defaults and the
 * checks of every value are all made from the rows (options.c drives them,
 * optkinds.c parses each kind); tests/check-help-man.sh and
 * tests/check-completion.sh compare the man page and the completion with
 * the --help the rows make.
 *
 * A new option is one row (see "Adding an option" below). What the rows
 * cannot say is in options.c, on purpose and short: the format options'
 * checks against each other (settle_format), the database beside --csv,
 * and the operands each subcommand takes.
 */
#ifndef LF_OPTTABLE_H
#define LF_OPTTABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"

/*
 * Adding an option: one row in opt_table, where it should show in --help,
 * then its field in struct config, its line in README's table, its entry
 * in docs/logfold.1's OPTIONS and in the two completions
 * (dist/completion/), in the same commit. For example (an option logfold
 * does not have):
 *
 *	{ .name = "top", .shortopt = 'T', .arg = "N", .kind = OPT_INT,
 *	  CFG(top), .lo = 1, .hi = 100, DEF("10"),
 *	  .help = "the report's top N rows (default 10)" },
 *
 * is --top N and -T N, a config key 'top', a number from 1 to 100 checked
 * with the message "invalid value 'x' for --top: a number from 1 to 100"
 * (with FILE:LINE from the file), 10 when not given, in --help. Then:
 *   - .flags: OPTF_CLI (command line only, no config key), OPTF_FORMAT
 *     (one of the options that say the format: see settle_format),
 *     OPTF_NONE (the value 'none' means the empty value: NULL, 0, an empty
 *     list);
 *   - .modes = OPT_MODE(OPTIONS_MODE_REPORT) | ...: only these take it on
 *     the command line (0: every mode); a key in the file is read by all;
 *   - a repeatable option: CFG_LIST(array, count) or CFG_STRLIST(field);
 *     each use adds, a command line's first use replaces the file's list,
 *     a file's first use replaces the default list;
 *   - a per-site option ([site HOST] sections): SITE(field) or
 *     SITE_LIST(rule kind), fields of struct page_rules_spec;
 *   - GIVEN(field): a bool of struct config set when the option is given;
 *   - .def_fn: a function giving a number default known only at run time
 *     (--jobs: the CPUs online), instead of DEF;
 *   - .want: the message's "what is wanted", when the kind's own words
 *     (INT: "a number from LO to HI", ENUM: "one of a, b", DAY, SWITCH)
 *     do not fit; .full: a full list's message (default "more than N
 *     values");
 *   - .check (OPT_STRING): a function refusing some values, saying why;
 *     .parse (OPT_CUSTOM): a function that parses and stores it all, for a
 *     value the kinds cannot say (--client-ip, --geoip-field).
 * A value no kind can say is a new kind (enum opt_kind, its function in
 * optkinds.c's kinds[]) or, for one option, OPT_CUSTOM. The per-mode
 * words of a .modes row are options.c's mode_words.
 * tests/unit/test_options.c checks every row against these rules (kind
 * and field type agree, names and letters unique, defaults parse, every
 * key read from a file as from the command line, ranges, help fits the
 * column); tests/check-help-man.sh and tests/check-completion.sh compare
 * --help with the man page, README and the completions.
 */

/* The kinds of value: how one is parsed, checked and stored (optkinds.c). */
enum opt_kind {
	OPT_SWITCH,   /* bool; no value on the command line, true/yes/on/1 or
		       * false/no/off/0 in the file */
	OPT_CONST,    /* takes no value, stores .lo into an int or enum field:
		       * one of a pair such as --progress / --no-progress (OPTF_CLI) */
	OPT_INT,      /* a whole number from .lo to .hi (int or unsigned field) */
	OPT_DECIMAL,  /* a decimal number from .lo to .hi, .unit allowed after it */
	OPT_DURATION, /* seconds from .lo to .hi: N minutes, Ns, Nm or Nh; a
		       * bare 0 when .lo is 0 (unsigned field) */
	OPT_DAY,      /* YYYY-MM-DD: the day number (int field, REBUILD_NONE
		       * when not given) or the text itself (string field) */
	OPT_STRING,   /* text of .lo to .hi bytes (.hi 0: any length), refused
		       * by .check if it says why; a file name, a regex, a host */
	OPT_PATH,     /* OPT_STRING naming a file (completed as one) */
	OPT_DIR,      /* OPT_STRING naming a directory (completed as one) */
	OPT_ENUM,     /* one of .choices (NULL-terminated), stored as its index */
	OPT_CUSTOM,   /* .parse parses, checks and stores it */
	OPT_HELP,     /* --help, --version, --config: read by the first pass, */
	OPT_VERSION,  /* before the config file; no field */
	OPT_CONFIG,
};

/* The type of the field a row sets, found by OPT_FTYPE from the field
 * itself, so that a row and struct config cannot disagree unseen. An enum
 * field is FT_UINT (GCC and clang make an enum without negative values an
 * unsigned int). */
enum opt_ftype {
	FT_NONE, /* no field (help, version, config) */
	FT_BOOL,
	FT_INT,  /* int, int32_t */
	FT_UINT, /* unsigned, uint32_t, enums */
	FT_DOUBLE,
	FT_STR,   /* const char * */
	FT_STRV,  /* const char *[]: a list of strings */
	FT_OTHER, /* a custom parser's business */
};

#define OPT_FTYPE(e) \
	_Generic((e), bool: FT_BOOL, int: FT_INT, unsigned: FT_UINT, double: FT_DOUBLE,     \
		 const char *: FT_STR, const char **: FT_STRV, default: FT_OTHER)

enum opt_flags {
	OPTF_CLI = 1,    /* command line only, not a config key */
	OPTF_FORMAT = 2, /* says the format with the others so flagged: the command
			  * line's replace the file's as a group, and a [site]
			  * section may hold them */
	OPTF_NONE = 4,   /* 'none' is the empty value (NULL, 0, no values) */
};

/* The bit of an enum options_mode in opt_def.modes. */
#define OPT_MODE(m) (1u << (m))

struct opt_def;

/*
 * A check of a value (OPT_STRING and its kin, one value of a list): NULL
 * when value is good, else why not, a static text or one written into err
 * (cap bytes). It may rewrite value in place (lower-case a host).
 */
typedef const char *opt_check_fn(const struct opt_def *o, char *value, char *err, size_t cap);

/*
 * A custom kind: parse value, check it and store it into the row's field
 * of base (struct config, or struct page_rules_spec for a per-site row);
 * base NULL: check only. Returns as opt_check_fn.
 */
typedef const char *opt_parse_fn(const struct opt_def *o, char *value, void *base, char *err,
				 size_t cap);

struct opt_def {
	const char *name; /* --NAME, and the config key NAME */
	char shortopt;    /* -X, or 0 for none */
	const char *arg;  /* the value's name in --help; NULL: takes no value */
	enum opt_kind kind;
	unsigned flags;       /* enum opt_flags */
	unsigned modes;       /* OPT_MODE() of each mode taking it; 0: every mode */
	bool site;            /* the field is in struct page_rules_spec: the option
			       * may be in a [site HOST] section */
	size_t field;         /* the field's offset (CFG, SITE ...) */
	enum opt_ftype ftype; /* and its type */
	size_t count;         /* a list: the offset of its int count */
	int max;              /* a list: its capacity; 0: not a list */
	bool has_given;       /* GIVEN: set the bool at .given when given */
	size_t given;
	long lo, hi;                /* the range (INT, DECIMAL, DURATION, STRING's length) */
	const char *unit;           /* OPT_DECIMAL: may follow the number ("%") */
	const char *const *choices; /* OPT_ENUM: the names, NULL-terminated */
	int param;                  /* .check's parameter (SITE_LIST: the rule kind) */
	opt_check_fn *check;        /* OPT_STRING, OPT_PATH, OPT_DIR: refuses some values */
	opt_parse_fn *parse;        /* OPT_CUSTOM */
	const char *const *def;     /* DEF(...): the values applied first, as given */
	int (*def_fn)(void);        /* a number default known only at run time (the
				     * CPUs online), applied after .def */
	const char *want;           /* the "what is wanted" of its message; NULL: the kind's */
	const char *full;           /* a list's message when full; NULL: "more than N values" */
	const char *help;           /* --help text (refilled to the column) */
};

/* The field m of struct config. */
#define CFG(m) .field = offsetof(struct config, m), .ftype = OPT_FTYPE(((struct config *)0)->m)
/* A list: the array arr of struct config, its int count cnt. */
#define CFG_LIST(arr, cnt)                                         \
	CFG(arr), .count = offsetof(struct config, cnt),           \
		  .max = (int)(sizeof(((struct config *)0)->arr) / \
			       sizeof(((struct config *)0)->arr[0]))
/* A list that is a struct strlist field of struct config. */
#define CFG_STRLIST(m) CFG_LIST(m.v, m.n)
/* The field m of struct page_rules_spec (per-site). */
#define SITE(m)                                                     \
	.site = true, .field = offsetof(struct page_rules_spec, m), \
	.ftype = OPT_FTYPE(((struct page_rules_spec *)0)->m)
/* The per-site list of rule kind k (enum rule_kind). */
#define SITE_LIST(k)                                                           \
	SITE(list[k].v), .count = offsetof(struct page_rules_spec, list[k].n), \
			 .max = RULES_LIST_MAX, .param = (k)
/* A bool of struct config set when the option is given (file or command
 * line), never by its default. */
#define GIVEN(m) .has_given = true, .given = offsetof(struct config, m)
/* The default: one value, or a list's values, as a user would give them. */
#define DEF(...)                     \
	.def = (const char *const[]) \
	{                            \
		__VA_ARGS__, NULL    \
	}

/* Rows at most: getopt's arrays are sized by it (opttable.c checks). */
#define OPTS_MAX 128

extern const struct opt_def opt_table[];
extern const size_t opt_count;

/* The row of --NAME / key NAME, or NULL. */
const struct opt_def *opt_by_name(const char *name);

/* getopt_long's value for a row (its short letter, else 256 + its index)
 * and the row of such a value (NULL for none). */
int opt_val(const struct opt_def *o);
const struct opt_def *opt_by_val(int val);

/* Is the row a list (repeatable)? */
static inline bool opt_is_list(const struct opt_def *o)
{
	return o->max > 0;
}

/* Does the row take a value on the command line? */
static inline bool opt_takes_value(const struct opt_def *o)
{
	return o->arg != NULL;
}

#endif
