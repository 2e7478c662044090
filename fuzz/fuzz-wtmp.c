/*
 * fuzz-wtmp.c -- the unix target's reader of wtmp (unix_wtmp_scan, which
 * unix-lastuse.c runs on each chunk of ROOT/var/log/wtmp), against a
 * passwd read by the target's own parser.
 *
 * Input: a passwd, a line "%%", then the bytes of a wtmp (a partial last
 * record is dropped, as the target drops it).  Without the "%%" line the
 * whole input is the passwd and the wtmp is empty.
 *
 * Promise checked: every last login it reports is the time of a
 * USER_PROCESS record of the input, after 1970 and not more than a day
 * ahead; it never reads past the records.
 */
#include "config.h"

#include <time.h>
#include <utmp.h>

#include "fuzz.h"
#include "targets-int.h"

#define SEP	"%%\n"

/* Whether some USER_PROCESS record of w has the time t. */
static int
seen(const uint8_t *w, size_t len, int64_t t)
{
	struct utmp	 u;
	size_t		 off;

	for (off = 0; off + sizeof u <= len; off += sizeof u) {
		memcpy(&u, w + off, sizeof u);
		if (u.ut_type == USER_PROCESS && u.ut_tv.tv_sec == t)
			return 1;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t	*w = data + size;
	uint8_t		*wtmp;
	int64_t		*last;
	char		*passwd, *cause = NULL;
	size_t		 plen = size, wlen = 0, n, i, k;

	/* The first "%%" line ends the passwd. */
	for (k = 0; k + 3 <= size; k++) {
		if ((k == 0 || data[k - 1] == '\n') &&
		    memcmp(data + k, SEP, 3) == 0) {
			plen = k;
			w = data + k + 3;
			wlen = size - k - 3;
			break;
		}
	}
	passwd = fuzz_str(data, plen);
	/* Its own block, so ASan sees a read past the records. */
	wtmp = malloc(wlen > 0 ? wlen : 1);
	if (wtmp == NULL)
		abort();
	memcpy(wtmp, w, wlen);
	if (target_unix_wtmp_mem(passwd, plen, wtmp, wlen, &last, &n,
	    &cause) != 0) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
	} else {
		for (i = 0; i < n; i++) {
			if (last[i] == -1)
				continue;
			FUZZ_CHECK(last[i] > 0 &&
			    last[i] <= (int64_t)time(NULL) + 86400);
			FUZZ_CHECK(seen(wtmp, wlen - wlen % sizeof(struct utmp),
			    last[i]));
		}
		free(last);
	}
	free(wtmp);
	free(passwd);
	return 0;
}
