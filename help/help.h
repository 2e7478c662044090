/*
 * help.h -- the help texts, one topic per screen, shared by the console
 * (F1) and the man page.
 */
#ifndef DAICHO_HELP_H
#define DAICHO_HELP_H

struct help_topic {
	const char	*name;			/* a screen's name */
	const char	*text;			/* untranslated; gettext at use */
};

extern const struct help_topic help_topics[];
/* The text of topic name, or a line saying there is none. */
const char	*help_topic(const char *);

#endif
