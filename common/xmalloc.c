/*
 * xmalloc.c -- allocation that never returns NULL.  Out of memory is not
 * a condition daicho can recover from half-way through a transaction, so
 * it ends the program through fatal(), which restores the terminal first.
 */
#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

/*
 * glibc gives memory back to the kernel (brk) whenever 128 KiB at the top
 * of the heap are free, and moves its thresholds as it goes.  SQLite frees
 * and takes such blocks for statements run thousands of times in one
 * transaction, and every give-back is a system call and a TLB shootdown on
 * every CPU: made by mkcity, 60,000 IDs took 52 s that way and 3 s with
 * fixed thresholds.  So: keep up to 64 MiB free, and map blocks of 4 MiB
 * or more by themselves, so that a big array grows by mremap instead of
 * a copy beside the old one (the console's 600,000-row list would peak
 * 20 MB higher) and goes back to the kernel when freed.
 */
void
xmalloc_init(void)
{
	mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
}

void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		fatalx("xmalloc: zero size");
	if ((p = malloc(size)) == NULL)
		fatal("xmalloc: allocating %zu bytes", size);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	if (nmemb == 0 || size == 0)
		fatalx("xcalloc: zero size");
	if ((p = calloc(nmemb, size)) == NULL)
		fatal("xcalloc: allocating %zu * %zu bytes", nmemb, size);
	return p;
}

void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void	*p;

	if (nmemb == 0 || size == 0)
		fatalx("xreallocarray: zero size");
	if ((p = reallocarray(ptr, nmemb, size)) == NULL)
		fatal("xreallocarray: allocating %zu * %zu bytes", nmemb, size);
	return p;
}

void *
xgrow(void *ptr, size_t *cap, size_t want, size_t size)
{
	size_t	 n = *cap;

	if (want <= n)
		return ptr;
	while (n < want)
		n = n < 16 ? 16 : n * 2;
	ptr = xreallocarray(ptr, n, size);
	*cap = n;
	return ptr;
}

char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		fatal("xstrdup");
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	if ((p = strndup(s, n)) == NULL)
		fatal("xstrndup");
	return p;
}

int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = xvasprintf(ret, fmt, ap);
	va_end(ap);
	return n;
}

int
xvasprintf(char **ret, const char *fmt, va_list ap)
{
	int	 n;

	if ((n = vasprintf(ret, fmt, ap)) == -1)
		fatal("xvasprintf");
	return n;
}
