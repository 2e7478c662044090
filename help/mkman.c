/*
 * mkman.c -- build daicho(8) from help/daicho.8.in: the line
 * ".\" @CONSOLE@" becomes the console's section, generated from the same
 * help topics and key tables as F1, so the manual cannot drift either;
 * ".\" @ACTIONS@" becomes the action table with each action's arguments;
 * ".\" @FINDINGS@" the findings' rules with severity, clause and remedy;
 * ".\" @POLICY@" the policy's keys with their ranges and defaults.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "tui.h"

int
main(int argc, char **argv)
{
	FILE	*in;
	char	*line = NULL;
	size_t	 cap = 0;

	if (argc != 2 || (in = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "usage: mkman daicho.8.in\n");
		return 2;
	}
	while (getline(&line, &cap, in) != -1) {
		if (strcmp(line, ".\\\" @CONSOLE@\n") == 0)
			tui_help_man(stdout);
		else if (strcmp(line, ".\\\" @ACTIONS@\n") == 0)
			core_actions_man(stdout);
		else if (strcmp(line, ".\\\" @FINDINGS@\n") == 0)
			core_findings_man(stdout);
		else if (strcmp(line, ".\\\" @POLICY@\n") == 0)
			core_policy_man(stdout);
		else
			fputs(line, stdout);
	}
	free(line);
	fclose(in);
	return ferror(stdout) ? 1 : 0;
}
