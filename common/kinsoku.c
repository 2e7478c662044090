/*
 * kinsoku.c -- where a line of Japanese text may not break (禁則): never
 * after an opening bracket, never before closing punctuation, so that
 * 、。」 stay with what they follow.  One set for the console's wrapping
 * (tui/text.c) and the command line's (cli/daicho.c).
 */
#include "config.h"

#include <wchar.h>

#include "common.h"

int
kinsoku_no_end(wchar_t wc)
{
	return wc != L'\0' && wcschr(L"(「『（[【", wc) != NULL;
}

int
kinsoku_no_start(wchar_t wc)
{
	return wc != L'\0' && wcschr(L"、。，．」』）)]】:;,.!?", wc) != NULL;
}
