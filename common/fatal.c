/*
 * fatal.c -- the one way out on an unrecoverable error.  A hook (set by
 * the console to endwin()) runs first so the message lands on a sane
 * terminal, as htop's fail() does.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static void	(*fatal_hook)(void);

void
fatal_set_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

static DAICHO_NORETURN DAICHO_PRINTF(2, 0) void
fatal_vexit(int saved_errno, const char *fmt, va_list ap)
{
	if (fatal_hook != NULL)
		fatal_hook();
	fputs("daicho: fatal: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (saved_errno != 0)
		fprintf(stderr, ": %s", strerror(saved_errno));
	fputc('\n', stderr);
	exit(2);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved_errno = errno;

	va_start(ap, fmt);
	fatal_vexit(saved_errno, fmt, ap);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	fatal_vexit(0, fmt, ap);
}
