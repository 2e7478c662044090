/*
 * words.c -- the words of the state tables as the console shows them.
 *
 * Kinds, states, severities, decisions and remedies are stored and
 * recorded in English (the ledger, the CSV and the reports never change
 * with LANG); the console translates them where it draws them, with
 * _(value).  This table is where xgettext finds them, so that po/ja.po
 * has each one: a value not listed here is shown as stored.
 */
#include "config.h"

#include "common.h"
#include "tui-int.h"

const char *const tui_words[] = {
	/* operators' roles */
	N_("admin"), N_("approver"), N_("auditor"),
	/* account kinds */
	N_("personal"), N_("shared"), N_("privileged"), N_("contractor"),
	N_("service"),
	/* account, operator, incident and stocktake states */
	N_("active"), N_("locked"), N_("suspended"), N_("dormant"),
	N_("expired"), N_("revoked"), N_("removed"), N_("restored"),
	N_("open"), N_("closed"),
	/* HR events, their states, people */
	N_("joiner"), N_("mover"), N_("leaver"), N_("leave"), N_("return"),
	N_("pending"), N_("applied"), N_("cancelled"), N_("failed"),
	N_("retired"), N_("regular"), N_("fixed_term"), N_("part_time"),
	/* exceptions */
	N_("planned"), N_("emergency"), N_("requested"), N_("approved"),
	N_("reported"), N_("rejected"), N_("ended"),
	/* findings: severities and remedies */
	N_("high"), N_("medium"), N_("low"), N_("lock"), N_("adopt"),
	N_("remove"), N_("force-change"),
	/* stocktake decisions and advice */
	N_("keep"), N_("change"), N_("suspend"), N_("revoke"),
	N_("investigate"),
	NULL
};
