/*
 * qr.c -- a QR code of the root verifier key, for the paper record.
 *
 * libqrencode makes the matrix; here it becomes text a terminal or a
 * printer can show.  Dark modules are drawn dark on a light quiet zone,
 * so it scans from a screen with a dark background too.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "common.h"
#include "core.h"

#define QR_QUIET	2		/* modules of light border */

static int
qr_dark(const QRcode *q, int x, int y)
{
	if (x < 0 || y < 0 || x >= q->width || y >= q->width)
		return 0;
	return q->data[y * q->width + x] & 1;
}

char **
core_qr_lines(const char *text, int utf8)
{
	QRcode	*q;
	char	**lines, *l;
	int	 x, y, w, nlines, i = 0;
	size_t	 cell = utf8 ? 3 : 2;

	if ((q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8,
	    1)) == NULL)
		return NULL;
	w = q->width + 2 * QR_QUIET;
	nlines = utf8 ? (w + 1) / 2 : w;
	lines = xcalloc((size_t)nlines + 1, sizeof *lines);
	for (y = -QR_QUIET; y < q->width + QR_QUIET; y += utf8 ? 2 : 1) {
		l = lines[i++] = xmalloc((size_t)w * cell + 1);
		for (x = -QR_QUIET; x < q->width + QR_QUIET; x++) {
			if (!utf8) {
				memcpy(l, qr_dark(q, x, y) ? "  " : "##", 2);
				l += 2;
				continue;
			}
			/*
			 * Light is drawn, dark left blank: the upper and
			 * lower module of this cell pick the block.
			 */
			switch (!qr_dark(q, x, y) << 1 |
			    !qr_dark(q, x, y + 1)) {
			case 3:
				memcpy(l, "\xe2\x96\x88", 3);	/* full */
				break;
			case 2:
				memcpy(l, "\xe2\x96\x80", 3);	/* upper */
				break;
			case 1:
				memcpy(l, "\xe2\x96\x84", 3);	/* lower */
				break;
			default:
				memcpy(l, " ", 1);
				l -= 2;
				break;
			}
			l += 3;
		}
		*l = '\0';
	}
	QRcode_free(q);
	return lines;
}

void
core_qr_free(char **lines)
{
	char	**l;

	if (lines == NULL)
		return;
	for (l = lines; *l != NULL; l++)
		free(*l);
	free(lines);
}
