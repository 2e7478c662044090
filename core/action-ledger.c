/*
 * action-ledger.c -- the ledger's own actions: ledger.init opens the
 * ledger under the root key, ledger.rotate hands over to the next epoch
 * key.  Both entries are signed by the key they come from, and replay
 * rebuilds the epoch table from them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

static int
ledger_init_validate(struct core_run *run, char **cause)
{
	uint64_t	 size;
	const char	*origin, *key;
	char		*vkey;
	int		 r;

	if (core_arg(run, "origin", &origin, cause) != 0 ||
	    core_arg(run, "key", &key, cause) != 0)
		return -1;
	if (store_ledger_size(run->store, &size, cause) != 0)
		return -1;
	if (size != 0) {
		xasprintf(cause, _("ledger.init: the ledger already has %llu "
		    "entries"), (unsigned long long)size);
		return -1;
	}
	if (strcmp(origin, store_ledger_origin(run->store)) != 0) {
		xasprintf(cause, _("ledger.init: origin is not this ledger's"));
		return -1;
	}
	/* The entry names the root key; it must be the one that signs it. */
	vkey = store_epoch_vkey(run->store);
	r = strcmp(key, vkey);
	free(vkey);
	if (r != 0) {
		xasprintf(cause, _("ledger.init: key is not this ledger's root "
		    "key"));
		return -1;
	}
	run->subject = xstrdup("ledger");
	return 0;
}

static int
ledger_init_apply(struct store *s, const struct store_entry *e, char **cause)
{
	const char	*key = store_args_get(&e->args, "key");

	if (key == NULL) {
		xasprintf(cause, _("entry %llu: no key"),
		    (unsigned long long)e->index);
		return -1;
	}
	return core_sql(s, "INSERT INTO epoch (n, first_idx, vkey, began) "
	    "VALUES (0, 0, ?, ?)", cause, 2, key, e->time);
}

static const struct core_param ledger_init_params[] = {
	{ "origin", CORE_ARG_REQUIRED, N_("the ledger's origin line, for "
	    "its checkpoints") },
	{ "key", CORE_ARG_REQUIRED, N_("the root verifier key (C2SP "
	    "signed-note form)") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_ledger_init = {
	.name = "ledger.init",
	.summary = N_("Start the ledger under its root key"),
	.roles = CORE_ROLE_SYSTEM,
	.flags = CORE_SIGNED | CORE_OWN_TXN | CORE_INTERNAL,
	.params = ledger_init_params,
	.validate = ledger_init_validate,
	.apply = ledger_init_apply,
};

/*
 * The rotation entry names the next epoch, its verifier key and the tree
 * head before the entry; the outgoing key signs it.
 */
static int
ledger_rotate_validate(struct core_run *run, char **cause)
{
	struct store_head	 head;
	uint64_t		 epoch;
	char			*vkey, *v;

	if (store_epoch_current(run->store, &epoch, cause) != 0 ||
	    store_ledger_head(run->store, &head, cause) != 0)
		return -1;
	if (store_epoch_prepare(run->store, &vkey, cause) != 0)
		return -1;
	core_run_keep(run, vkey);
	xasprintf(&v, "%llu", (unsigned long long)epoch + 1);
	store_args_add(&run->args, "epoch", core_run_keep(run, v));
	store_args_add(&run->args, "key", vkey);
	xasprintf(&v, "%llu", (unsigned long long)head.size);
	store_args_add(&run->args, "size", core_run_keep(run, v));
	store_args_add(&run->args, "root",
	    core_run_keep(run, codec_b64(head.root, sizeof head.root)));
	xasprintf(&run->subject, "epoch:%llu", (unsigned long long)epoch + 1);
	return 0;
}

static int
ledger_rotate_apply(struct store *s, const struct store_entry *e,
    char **cause)
{
	const char	*epoch = store_args_get(&e->args, "epoch");
	const char	*key = store_args_get(&e->args, "key");
	char		 first[24];

	if (epoch == NULL || key == NULL) {
		xasprintf(cause, _("entry %llu: rotation without epoch or key"),
		    (unsigned long long)e->index);
		return -1;
	}
	snprintf(first, sizeof first, "%llu", (unsigned long long)e->index + 1);
	return core_sql(s, "INSERT INTO epoch (n, first_idx, vkey, began) "
	    "VALUES (?, ?, ?, ?)", cause, 4, epoch, first, key, e->time);
}

static const struct core_param ledger_rotate_params[] = {
	{ "epoch", CORE_ARG_MADE, N_("the number of the new epoch") },
	{ "key", CORE_ARG_MADE, N_("the new epoch's verifier key") },
	{ "size", CORE_ARG_MADE, N_("the tree size the outgoing key signs "
	    "for") },
	{ "root", CORE_ARG_MADE, N_("the tree head at that size, base64") },
	{ NULL, 0, NULL },
};

const struct core_action core_action_ledger_rotate = {
	.name = "ledger.rotate",
	.summary = N_("Start a new epoch key and wipe the old one"),
	.roles = CORE_ROLE_ADMIN | CORE_ROLE_SYSTEM,
	.flags = CORE_SIGNED | CORE_OWN_TXN,
	.params = ledger_rotate_params,
	.validate = ledger_rotate_validate,
	.apply = ledger_rotate_apply,
};

struct store *
core_init(const char *dir, char **vkey, char **cause)
{
	struct core_actor	 sys = { STORE_SYSTEM_ACTOR, NULL };
	struct store_args	 a = { 0 };
	struct store		*s;

	*vkey = NULL;
	if ((s = store_open(dir, STORE_CREATE, cause)) == NULL)
		return NULL;
	if (store_init(s, vkey, cause) != 0)
		goto fail;
	store_args_add(&a, "origin", store_ledger_origin(s));
	store_args_add(&a, "key", *vkey);
	if (core_run(s, "ledger.init", &sys, &a, NULL, cause) != 0)
		goto fail;
	return s;
fail:
	free(*vkey);
	*vkey = NULL;
	store_close(s);
	return NULL;
}
