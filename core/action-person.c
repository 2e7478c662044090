/*
 * action-person.c -- people: the staff of the organisation, each of whom
 * may own IDs.  Most arrive from the HR system's export; contractors are
 * entered with a sponsor and an end date.  This file has person.add; the
 * HR import and the life-cycle actions build on it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

static const char *const person_employment[] = {
	"regular", "fixed_term", "part_time", "contractor", NULL
};

static int
employee_no_ok(const char *s)
{
	size_t	 i, len = strlen(s);

	if (len == 0 || len > 16)
		return 0;
	for (i = 0; i < len; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' &&
		    s[i] <= 'Z')))
			return 0;
	}
	return 1;
}

/*
 * Full-width katakana (U+30A1..U+30FC, which includes the long vowel
 * mark) and the ideographic space, as HR systems write readings.
 */
static int
kana_ok(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned		 cp;

	if (*p == '\0')
		return 0;
	while (*p != '\0') {
		if (p[0] != 0xe3 || (p[1] & 0xc0) != 0x80 ||
		    (p[2] & 0xc0) != 0x80)
			return 0;
		cp = (unsigned)(p[0] & 0x0f) << 12 |
		    (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
		if (!((cp >= 0x30a1 && cp <= 0x30fc) || cp == 0x3000))
			return 0;
		p += 3;
	}
	return 1;
}

static int
person_add_validate(struct core_run *run, char **cause)
{
	const char	*no, *kanji, *kana, *dept, *pos, *emp, *start, *end;
	size_t		 i;
	int		 yes;

	if (core_arg(run, "employee_no", &no, cause) != 0 ||
	    core_arg(run, "name_kanji", &kanji, cause) != 0 ||
	    core_arg(run, "name_kana", &kana, cause) != 0 ||
	    core_arg(run, "department", &dept, cause) != 0 ||
	    core_arg(run, "position", &pos, cause) != 0 ||
	    core_arg(run, "employment", &emp, cause) != 0 ||
	    core_arg(run, "start_date", &start, cause) != 0)
		return -1;
	end = store_args_get(&run->args, "end_date");
	if (!employee_no_ok(no)) {
		xasprintf(cause, _("person.add: employee number \"%.40s\" "
		    "is not 1 to 16 digits or capital letters"), no);
		return -1;
	}
	if (core_text_ok("person.add: name (kanji)", 64, kanji, cause) != 0 ||
	    core_text_ok("person.add: department", 64, dept, cause) != 0 ||
	    core_text_ok("person.add: position", 64, pos, cause) != 0)
		return -1;
	if (strlen(kana) > 128 || !kana_ok(kana)) {
		xasprintf(cause, _("person.add: the reading of %s must be "
		    "full-width katakana"), no);
		return -1;
	}
	for (i = 0; person_employment[i] != NULL; i++) {
		if (strcmp(emp, person_employment[i]) == 0)
			break;
	}
	if (person_employment[i] == NULL) {
		xasprintf(cause, _("person.add: employment \"%.40s\" is not "
		    "one of regular, fixed_term, part_time, contractor"), emp);
		return -1;
	}
	if (!core_date_ok(start) || (end != NULL && !core_date_ok(end))) {
		xasprintf(cause, _("person.add: dates must be YYYY-MM-DD"));
		return -1;
	}
	if (end != NULL && strcmp(end, start) < 0) {
		xasprintf(cause, _("person.add: end date %s is before start "
		    "date %s"), end, start);
		return -1;
	}
	if (core_person_exists(run->store, no, &yes, cause) != 0)
		return -1;
	if (yes) {
		xasprintf(cause, _("person.add: employee number %s is already "
		    "registered"), no);
		return -1;
	}
	xasprintf(&run->subject, "person:%s", no);
	return 0;
}

static int
person_add_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const struct store_args	*a = &e->args;
	char			 idx[24];

	snprintf(idx, sizeof idx, "%llu", (unsigned long long)e->index);
	return core_sql(s, "INSERT INTO person (employee_no, name_kanji, "
	    "name_kana, department, position, employment, status, start_date, "
	    "end_date, changed_idx) VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, "
	    "?)", cause, 9, store_args_get(a, "employee_no"),
	    store_args_get(a, "name_kanji"), store_args_get(a, "name_kana"),
	    store_args_get(a, "department"), store_args_get(a, "position"),
	    store_args_get(a, "employment"), store_args_get(a, "start_date"),
	    store_args_get(a, "end_date"), idx);
}

static const struct core_param person_add_params[] = {
	{ "employee_no", CORE_ARG_REQUIRED, N_("1 to 16 digits or capital "
	    "letters") },
	{ "name_kanji", CORE_ARG_REQUIRED, N_("the name as written") },
	{ "name_kana", CORE_ARG_REQUIRED, N_("its reading, full-width "
	    "katakana") },
	{ "department", CORE_ARG_REQUIRED, N_("the department") },
	{ "position", CORE_ARG_REQUIRED, N_("the position") },
	{ "employment", CORE_ARG_REQUIRED, N_("regular, fixed_term, "
	    "part_time or contractor") },
	{ "start_date", CORE_ARG_REQUIRED, N_("YYYY-MM-DD") },
	{ "end_date", 0, N_("YYYY-MM-DD, for a fixed term") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_person_add = {
	.name = "person.add",
	.summary = N_("Register a member of staff"),
	.roles = CORE_ROLE_ADMIN,
	.flags = 0,
	.params = person_add_params,
	.validate = person_add_validate,
	.apply = person_add_apply,
};
