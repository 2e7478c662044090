/*
 * test-fold.c -- the keys names are compared by (common/fold.c): NFKC,
 * the variant kanji, spaces, case and kana folded; distinct names kept
 * apart; and the variant table sorted and consistent, walked entry by
 * entry.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <uninorm.h>
#include <unistr.h>

#include "common.h"

/* The key of s is want. */
static void
key_is(const char *s, const char *want)
{
	char	*k = fold_name(s);

	assert_string_equal(k, want);
	free(k);
}

static int
same(const char *a, const char *b)
{
	char	*ka = fold_name(a), *kb = fold_name(b);
	int	 r = strcmp(ka, kb) == 0;

	free(ka);
	free(kb);
	return r;
}

static void
test_nfkc(void **state)
{
	(void)state;
	key_is("ｶﾅ", "カナ");
	assert_true(same("ｶﾅ", "カナ"));
	key_is("ＡＢＣ１", "abc1");
	key_is("①", "1");
	key_is("㈱", "(株)");
	key_is("ｶﾞｯｺｳ", "ガッコウ");
	/* Compatibility ideographs with a canonical mapping: NFKC's. */
	key_is("\xef\xa8\x90", "塚");		/* U+FA10 */
	key_is("\xef\xa8\x99", "神");		/* U+FA19 */
	key_is("\xef\xa9\xa7", "逸");		/* U+FA67 */
	key_is("\xef\xa7\x9c", "隆");		/* U+F9DC */
	key_is("", "");
}

static void
test_variants(void **state)
{
	(void)state;
	assert_true(same("髙橋", "高橋"));
	key_is("髙橋", "高橋");
	assert_true(same("山﨑", "山崎"));	/* U+FA11: NFKC leaves it */
	assert_true(same("山嵜", "山崎"));
	assert_true(same("德永", "徳永"));
	assert_true(same("栁田", "柳田"));
	assert_true(same("濵田", "浜田"));
	assert_true(same("濱田", "浜田"));
	assert_true(same("渡邊", "渡辺"));
	assert_true(same("渡邉", "渡辺"));
	assert_true(same("齋藤", "斎藤"));
	assert_true(same("齊藤", "斉藤"));
	assert_true(same("澤田", "沢田"));
	assert_true(same("嶋田", "島田"));
	assert_true(same("小嶌", "小島"));
	assert_true(same("桒原", "桑原"));
	assert_true(same("𠮷野", "吉野"));
	assert_true(same("國廣", "国広"));
	assert_true(same("櫻井", "桜井"));
	assert_true(same("瀨戶", "瀬戸"));
	assert_true(same("髙橋 惠", "高橋恵"));
}

/* What looks alike or shares a reading but is another name. */
static void
test_distinct(void **state)
{
	(void)state;
	assert_false(same("斉藤", "斎藤"));
	assert_false(same("齊藤", "齋藤"));
	assert_false(same("齊藤", "斎藤"));
	assert_false(same("龍也", "竜也"));
	assert_false(same("埼玉", "崎玉"));
	assert_false(same("高橋", "髙嶋"));
	assert_false(same("カナ", "カタ"));
	assert_false(same("タナカ", "ダナカ"));
	assert_false(same("a1", "a2"));
	/* Long vowel mark and hyphen are different characters. */
	assert_false(same("ユーコ", "ユ-コ"));
}

static void
test_spaces(void **state)
{
	(void)state;
	assert_true(same("山田　太郎", "山田太郎"));	/* U+3000 */
	assert_true(same("山田 太郎", "山田太郎"));
	assert_true(same(" 山田\t太郎\r\n", "山田太郎"));
	assert_true(same("山田\xc2\xa0太郎", "山田太郎"));	/* U+00A0 */
	assert_true(same("山田\xe2\x80\x8b太郎", "山田太郎"));	/* U+200B */
	assert_true(same("山田\xe2\x80\x83太郎", "山田太郎"));	/* U+2003 */
	/* White space NFKC keeps as it is. */
	assert_true(same("山田\xe2\x80\xa8太郎", "山田太郎"));	/* U+2028 */
	assert_true(same("山田\xe1\x9a\x80太郎", "山田太郎"));	/* U+1680 */
	/* An ideographic variation selector picks a glyph, nothing more. */
	assert_true(same("葛\xf3\xa0\x84\x81西", "葛西"));	/* U+E0101 */
	key_is("　", "");
}

static void
test_case_and_kana(void **state)
{
	(void)state;
	key_is("Tanaka Taro", "tanakataro");
	key_is("ＴＡＮＡＫＡ", "tanaka");
	assert_true(same("たなか", "タナカ"));
	assert_true(same("たなか", "ﾀﾅｶ"));
	assert_true(same("ﾀｶﾊｼ ﾀﾛｳ", "たかはし　たろう"));
	key_is("ぁゔゖゝゞ", "ァヴヶヽヾ");
	/* NFKC joins a kana and a combining sound mark first. */
	assert_true(same("か\xe3\x82\x99", "ガ"));		/* U+3099 */
	/* ゛ (U+309B) is a space and U+3099 under NFKC: joined all the same. */
	key_is("カ\xe3\x82\x9b", "ガ");
	key_is("たか\xe3\x82\x9bわ\xe3\x82\x99", "タガヷ");
	/* Not UTF-8: the bytes themselves, equal to no valid key. */
	key_is("\xff\xfe", "\xff\xfe");
	assert_false(same("\xff", "y"));
}

/* Folding a key again changes nothing. */
static void
test_idempotent(void **state)
{
	static const char *const names[] = {
		"髙橋　たろう", "ﾀｶﾊｼ ﾀﾛｳ", "ＡＢＣ１①㈱", "山﨑 德永",
		"𠮷野 剝", "渡邊 藝", "Ｅ０００１", "Rene\xcc\x81 e \xcc\x81",
		"ｶﾞ ﾞ", "わ\xe3\x82\x99", "\xe1\x84\x80 \xe1\x85\xa1",
	};
	size_t	 i;
	char	*k, *kk;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		k = fold_name(names[i]);
		kk = fold_name(k);
		assert_string_equal(k, kk);
		free(k);
		free(kk);
	}
}

/* cp as a NUL-terminated UTF-8 string in buf (5 bytes); its length. */
static size_t
utf8(uint32_t cp, char *buf)
{
	int	 n = u8_uctomb((uint8_t *)buf, cp, 4);

	assert_true(n > 0);
	buf[n] = '\0';
	return (size_t)n;
}

/* Whether NFKC leaves the character in buf (len bytes) as it is. */
static int
nfkc_stable(const char *buf, size_t len)
{
	uint8_t	 out[32], *r;
	size_t	 rlen = sizeof out;
	int	 same_text;

	r = u8_normalize(UNINORM_NFKC, (const uint8_t *)buf, len, out, &rlen);
	assert_non_null(r);
	same_text = rlen == len && memcmp(r, buf, len) == 0;
	if (r != out)
		free(r);
	return same_text;
}

/*
 * Every entry: sorted strictly (so bisection finds it), its left side one
 * NFKC leaves alone (else the entry would be dead), its right side no
 * left side (one fold is enough) and no longer in UTF-8, and folding the
 * left side gives the right side.
 */
static void
test_table(void **state)
{
	uint32_t from, to, prev = 0, f2, t2;
	char	 a[5], b[5], *k;
	size_t	 i, j, la, lb;

	(void)state;
	for (i = 0; fold_variant(i, &from, &to) == 0; i++) {
		if (i > 0 && from <= prev)
			fail_msg("entry %zu U+%04X after U+%04X", i,
			    (unsigned)from, (unsigned)prev);
		prev = from;
		la = utf8(from, a);
		lb = utf8(to, b);
		assert_true(lb <= la);
		assert_true(nfkc_stable(a, la));
		assert_true(nfkc_stable(b, lb));
		for (j = 0; fold_variant(j, &f2, &t2) == 0; j++)
			if (f2 == to)
				fail_msg("U+%04X folds to U+%04X, itself "
				    "folded", (unsigned)from, (unsigned)to);
		k = fold_name(a);
		if (strcmp(k, b) != 0)
			fail_msg("%s (U+%04X) folds to %s, not %s", a,
			    (unsigned)from, k, b);
		free(k);
		k = fold_name(b);
		assert_string_equal(k, b);
		free(k);
	}
	assert_true(i >= 200);
	assert_int_equal(fold_variant(i, &from, &to), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nfkc),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_distinct),
		cmocka_unit_test(test_spaces),
		cmocka_unit_test(test_case_and_kana),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests_name("fold", tests, NULL, NULL);
}
