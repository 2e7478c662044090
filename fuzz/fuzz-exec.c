/*
 * fuzz-exec.c -- what an exec target's program writes on its stdout: the
 * result line of an operation (target_exec_result) and the account lines
 * of a list (target_exec_parse_list).  Nothing the program writes may
 * put a control character in front of the operator.
 */
#include "config.h"

#include "fuzz.h"
#include "targets-int.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct target_account	*v = NULL;
	char			*s = fuzz_str(data, size), *cause = NULL;
	char			 error[TARGET_ERROR_MAX];
	const char		*p;
	size_t			 n = 0, i;

	memset(error, 'x', sizeof error);
	if (target_exec_result(s, error, sizeof error) != 0) {
		FUZZ_CHECK(memchr(error, '\0', sizeof error) != NULL);
		for (p = error; *p != '\0'; p++)
			FUZZ_CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
	}
	if (target_exec_parse_list(s, &v, &n, &cause) != 0) {
		FUZZ_CHECK(cause != NULL && v == NULL);
		free(cause);
	} else {
		for (i = 0; i < n; i++) {
			FUZZ_CHECK(memchr(v[i].login, '\0',
			    sizeof v[i].login) != NULL);
			FUZZ_CHECK(memchr(v[i].name, '\0',
			    sizeof v[i].name) != NULL);
			FUZZ_CHECK(v[i].locked == 0 || v[i].locked == 1);
		}
		free(v);
	}
	free(s);
	return 0;
}
