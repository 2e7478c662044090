/*
 * help.c -- the prose of the console's help, one topic per screen.  The
 * key lists are not here: the console builds them from its key and
 * action tables, so they cannot drift.
 */
#include "config.h"

#include <string.h>

#include "common.h"
#include "help.h"

const struct help_topic help_topics[] = {
	{ "login", N_(
	    "Log in with your operator name. The PAM stack then asks for what\n"
	    "it needs: a fingerprint (wait for the reader, or press Esc to use\n"
	    "your password instead), a password, or a new password when yours\n"
	    "has expired. Only active daicho operators may log in. After too\n"
	    "many failed logins the console refuses logins for a while. Every\n"
	    "login, failure and logout is recorded in the ledger.") },
	{ "dashboard", N_(
	    "The state of the organisation's IDs and of the ledger at a\n"
	    "glance: operators by role, people on record, the ledger's size,\n"
	    "its latest signed checkpoint and key epoch, and alerts that need\n"
	    "attention. Idle sessions lock themselves; F10 logs out, which\n"
	    "also starts a new ledger key epoch.") },
	{ "operators", N_(
	    "Console operators and their roles: admin does the work, approver\n"
	    "is the second person for two-person operations, auditor reads\n"
	    "and verifies. Adding, removing and changing the role of an\n"
	    "operator are two-person operations: a different operator with\n"
	    "the approver role authenticates on this terminal to approve.\n"
	    "F5 adds one, F4 changes the chosen one's role, F9 removes it.\n"
	    "Type to filter the list.") },
	{ "ledger", N_(
	    "Every change is a signed entry in this tamper-evident ledger.\n"
	    "It opens on the newest entry; Home goes to the first. Enter\n"
	    "shows an entry's exact bytes. F3 verifies the whole ledger\n"
	    "(tree, key chain, latest checkpoint, key file); F11 exports the\n"
	    "latest signed checkpoint to keep outside this machine; ^K shows\n"
	    "the root verifier key and its QR code for the paper record.\n"
	    "Type to filter.") },
	{ "ids", N_(
	    "Every ID on every system. F8 filters by system, kind, state,\n"
	    "department and owner (or user of a shared ID); typing filters\n"
	    "further. Enter opens an ID: what it is, who owns it, and its\n"
	    "history from the ledger, with keys to lock or unlock, suspend\n"
	    "or resume (each asks why), set the end date or revoke it\n"
	    "(which asks, and says no unless told yes). F5 issues a new ID\n"
	    "under the standard's rules; a temporary password is shown\n"
	    "once. A state marked * has an operation its system has not\n"
	    "applied yet; a login marked ! is a break-glass account.") },
	{ "systems", N_(
	    "The systems IDs live on, with their confidentiality /\n"
	    "integrity / availability class and their IDs. F5 adds one (two\n"
	    "people). F3 reconciles the chosen system: every account it has\n"
	    "that the ledger does not know, or in another state, each with\n"
	    "its remedy. Choose one with Up/Down: l locks it, a adopts it\n"
	    "(registers it in the state the system shows), r removes it\n"
	    "from the system; each shows what it will do and asks first.\n"
	    "A manual system's changes are work orders.") },
	{ "findings", N_(
	    "Every finding of every rule, the most severe first and grouped\n"
	    "by rule: leavers and movers with live access, IDs whose owner is\n"
	    "not in the HR records, people missing from the export, shared\n"
	    "IDs without a current user, dormant and expired contractor IDs,\n"
	    "accounts on the systems that are unregistered or drifted, and\n"
	    "passwords overdue, temporary ones unchanged, shared ones due,\n"
	    "and systems with too many privileged IDs in use.\n"
	    "Type to filter. Enter opens a finding: the policy clause it\n"
	    "enforces and the remedies that fit. Insert or ^T marks a\n"
	    "finding, ^A marks all shown. F4 applies one remedy (lock,\n"
	    "revoke, remove, force-change) to the marked findings, or to\n"
	    "the chosen one:\n"
	    "a preview lists every action and ID first, then y (a few) or\n"
	    "the count typed back (more) carries them out in one go, all or\n"
	    "none. A remedy that does not fit a marked finding is refused,\n"
	    "naming it. Adopting an unregistered account is F3 on Systems.\n"
	    "Shift-Tab from the dashboard comes here.") },
	{ "passwords", N_(
	    "Passwords that need attention, the worst first: overdue (set\n"
	    "by daicho longer ago than the policy's max_age_days for the\n"
	    "ID's system and kind), temporary ones past their deadline,\n"
	    "shared IDs whose password must change because a user left, due\n"
	    "within warn_days, and temporary ones still in time. IDs that\n"
	    "are fine, or whose password daicho never set, are counted at\n"
	    "the top. \", forced\" marks an ID whose next login must change\n"
	    "the password. Type to filter; Insert or ^T marks, ^A marks all\n"
	    "shown. Enter opens an ID: when and by whom its password was set,\n"
	    "its policy and why it is due. F4 acts: f forces a change at the\n"
	    "next login on the marked IDs (or the chosen one) after a reason\n"
	    "and a preview, y (a few) or the count typed back (more), all in\n"
	    "one go; r issues the chosen ID a fresh temporary password, shown\n"
	    "once and wiped when its dialog closes.") },
	{ "incidents", N_(
	    "Emergency lockouts. F12, from any screen, opens the lockout:\n"
	    "choose a person, a department, a system, every contractor ID,\n"
	    "or everything but the break-glass accounts; the preview lists\n"
	    "every live ID it takes, by system, and marks a shared ID whose\n"
	    "other users are outside the scope; typing the count locks them.\n"
	    "Each ID's prior state is recorded: Enter on an incident lists\n"
	    "every ID it took and that state. F4 restores an incident:\n"
	    "a second person approves, and each ID returns to exactly its\n"
	    "prior state (an ID locked before stays locked).") },
	{ "workorders", N_(
	    "Work orders: the changes to manual systems, which daicho\n"
	    "cannot reach, for a person to carry out. When one is done, F4\n"
	    "records what was done and a second operator with the approver\n"
	    "role confirms it on this terminal. F9 refuses one that cannot\n"
	    "be done, saying why; it then shows as failed on the dashboard.\n"
	    "An account's work orders close in the order they were queued.\n"
	    "Order 553/0 is operation 0 of ledger entry 553 (the command\n"
	    "line uses the same number). F8 shows the open ones, the done\n"
	    "and refused ones, or all.") },
	{ "privileged", N_(
	    "Privileged IDs with time limits. A time-limited privileged ID\n"
	    "is dormant (locked on its system) until a request for it is\n"
	    "approved; it is then open until its minutes are up, and the\n"
	    "sweep locks it again. n asks for one (system, ID, minutes up to\n"
	    "the policy's cap, reason; only within the allowed hours). Enter\n"
	    "or a approves the chosen request: an admin at the console hands\n"
	    "over to an approver, who logs in here and approves in their own\n"
	    "name; nobody approves their own request. r rejects it with a\n"
	    "reason; e ends an active one now. Up and Down choose. The active\n"
	    "ones count down; below them, the IDs in use per system against\n"
	    "the policy's maximum (h lists each holder, staff or contractor),\n"
	    "and the history of requests.") },
	{ "stocktake", N_(
	    "The quarterly ID stocktake (棚卸し). A campaign snapshots every\n"
	    "ID in its scope as it stands (F5: the scope, all or system:S and\n"
	    "department:D separated by commas, and a deadline), with its\n"
	    "findings and advice: revoke for leavers', dormant and orphaned\n"
	    "IDs, keep otherwise. The bar shows how much is decided. F4\n"
	    "decides the marked items (^T, or ^A all shown) or the chosen one:\n"
	    "keep, change, suspend, revoke or investigate, with a reason, one\n"
	    "entry each, in one transaction. ^F decides every item a filter\n"
	    "selects in one entry (system=, department=, kind=, state=,\n"
	    "recommendation=, finding=, decided=yes|no, joined by commas). At\n"
	    "the deadline the sweep gives the undecided items the policy's\n"
	    "stocktake_default. F3 draws the chart: per department, its IDs\n"
	    "by state and by decision. F9 closes the campaign once every item\n"
	    "is decided: a second person approves, the revocations and\n"
	    "suspensions go to the targets, and the review list is sealed\n"
	    "(daicho report stocktake N writes it with its proof). On a\n"
	    "closed campaign, ^D records a change or an investigation the\n"
	    "close left to people as carried out, confirmed by a second\n"
	    "person (stocktake.confirm). F8 shows another campaign.") },
	{ "analysis", N_(
	    "Reviewing the ledger's own records over a period: failed\n"
	    "logins (and the failure that locked a terminal), work by\n"
	    "operators outside the policy's allowed hours, privileged\n"
	    "changes, emergency actions and bulk exports. The counts are at\n"
	    "the top; the list holds the period's entries in the category\n"
	    "shown, oldest first. The period is the last 30 days until F8\n"
	    "changes it (days in the policy's time zone); ^N and ^P switch\n"
	    "the category. Enter shows an entry's exact bytes and why it is\n"
	    "listed. F4 records that you reviewed the period shown\n"
	    "(review.done), with what you found; the entry keeps the counts.\n"
	    "The dashboard reminds when the last period reviewed ended more\n"
	    "than the policy's review_interval_days ago.") },
	{ "exceptions", N_(
	    "Exceptions to policy (例外措置). An exception lifts one rule (a\n"
	    "finding's, or a refusal such as priv-outside-hours) for its\n"
	    "scope (id:SYSTEM:LOGIN, system:SYSTEM, person:EMPLOYEE_NO) over\n"
	    "its period, at most 366 days; a finding it covers is still\n"
	    "listed, saying which exception covers it. F5 r asks for one; an\n"
	    "approver other than the requester decides (F4 a approves with\n"
	    "the conditions, r rejects): an admin at the console hands over\n"
	    "to an approver, who logs in here. F5 m applies one at once in an\n"
	    "emergency; it must be reported to an approver (F4 p) within\n"
	    "exception_report_days, or it is a finding and a dashboard alert.\n"
	    "F4 e ends one early; the sweep expires it at its end. Those\n"
	    "awaiting someone come first (an emergency not reported is\n"
	    "marked !); F8 shows one status; Enter shows one whole.") },
	{ "people", N_(
	    "Looking a person up. Personal data is looked up, not browsed:\n"
	    "F8 searches by the employee number, or by two of name, kana,\n"
	    "department and birth date (from the HR export's 生年月日);\n"
	    "fewer is refused. Names match however they are written: 髙橋 finds\n"
	    "高橋, ﾀｶﾊｼ finds タカハシ, and a part of a name is enough. Enter\n"
	    "shows the person: their record (status, department, position,\n"
	    "dates, whether it came from the HR export, and whether the\n"
	    "latest export no longer lists them), the IDs they own and the\n"
	    "shared IDs they use, their HR events, and the ledger entries\n"
	    "about them and their IDs. A status marked ? is missing from the\n"
	    "latest export.") },
	{ "import", N_(
	    "Importing the HR system's export. F5 names the file (a path;\n"
	    "F4 in that field lists a directory's files), its encoding (auto\n"
	    "tells UTF-8 from CP932) and the date the export speaks for. It\n"
	    "is read and checked whole: any error and the validation\n"
	    "report lists each as FILE:LINE:COLUMN: message, and nothing is\n"
	    "written (F3 shows the report again). A valid export is compared\n"
	    "with the records: the summary, then every change with its\n"
	    "events (joiner, mover, leaver, leave, return), to filter and\n"
	    "scroll. F4 records it as one hr.import entry after a question;\n"
	    "when its leavers own more IDs than the threshold allows, a\n"
	    "second operator with the approver role confirms on this\n"
	    "terminal first. A person missing from the export is a finding,\n"
	    "never a leaver.") },
	{ "events", N_(
	    "The joiners, movers, leavers, leaves and returns the HR imports\n"
	    "found, by effective date. It opens on the pending ones; F8\n"
	    "filters by kind, state and employee number. Enter shows an\n"
	    "event and its plan: the ID actions it will run, worked out from\n"
	    "the records now (a leaver's locks, a mover's old IDs revoked and\n"
	    "new ones issued). The daily sweep carries a plan out on its day;\n"
	    "F4 carries it out now, from that day on, after showing it.") },
	{ NULL, NULL },
};

const char *
help_topic(const char *name)
{
	const struct help_topic	*h;

	for (h = help_topics; h->name != NULL; h++) {
		if (strcmp(h->name, name) == 0)
			return h->text;
	}
	return N_("There is no help for this screen yet.");
}
