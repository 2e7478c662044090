/*
 * synth.c -- made-up people for the demo, the tests and the benchmarks.
 *
 * Names are combinations of common surname and given-name parts drawn
 * from a seeded generator: they look like a city's staff list but belong
 * to nobody.  The same (seed, n) always gives the same person, so a test
 * or benchmark can be repeated exactly.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common.h"
#include "core-int.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

static const char *const synth_surnames[][2] = {
	{ "佐藤", "サトウ" }, { "鈴木", "スズキ" }, { "高橋", "タカハシ" },
	{ "田中", "タナカ" }, { "伊藤", "イトウ" }, { "渡辺", "ワタナベ" },
	{ "山本", "ヤマモト" }, { "中村", "ナカムラ" }, { "小林", "コバヤシ" },
	{ "加藤", "カトウ" }, { "吉田", "ヨシダ" }, { "山田", "ヤマダ" },
	{ "佐々木", "ササキ" }, { "山口", "ヤマグチ" }, { "松本", "マツモト" },
	{ "井上", "イノウエ" }, { "木村", "キムラ" }, { "林", "ハヤシ" },
	{ "斎藤", "サイトウ" }, { "清水", "シミズ" }, { "森", "モリ" },
	{ "池田", "イケダ" }, { "橋本", "ハシモト" }, { "石川", "イシカワ" },
	{ "前田", "マエダ" }, { "藤田", "フジタ" }, { "岡田", "オカダ" },
	{ "後藤", "ゴトウ" }, { "長谷川", "ハセガワ" }, { "村上", "ムラカミ" },
	{ "近藤", "コンドウ" }, { "石井", "イシイ" },
};

static const char *const synth_given[][2] = {
	{ "翔太", "ショウタ" }, { "陽菜", "ヒナ" }, { "大輔", "ダイスケ" },
	{ "美咲", "ミサキ" }, { "健一", "ケンイチ" }, { "結衣", "ユイ" },
	{ "拓也", "タクヤ" }, { "さくら", "サクラ" }, { "直樹", "ナオキ" },
	{ "愛", "アイ" }, { "誠", "マコト" }, { "真由美", "マユミ" },
	{ "隆", "タカシ" }, { "恵子", "ケイコ" }, { "浩二", "コウジ" },
	{ "由美", "ユミ" }, { "悠斗", "ユウト" }, { "彩", "アヤ" },
	{ "和也", "カズヤ" }, { "明美", "アケミ" }, { "亮", "リョウ" },
	{ "千尋", "チヒロ" }, { "剛", "ツヨシ" }, { "舞", "マイ" },
};

static const char *const synth_departments[] = {
	"総務課", "企画政策課", "情報政策課", "市民課", "税務課",
	"福祉課", "子育て支援課", "健康推進課", "環境課", "建設課",
	"都市計画課", "上下水道課", "会計課", "教育委員会総務課",
	"消防本部", "議会事務局",
};

static const char *const synth_positions[] = {
	"主事", "主事", "主事", "主任", "主任", "係長", "課長補佐", "課長",
};

/* splitmix64: small, fast, and good enough to pick names with. */
static uint64_t
synth_next(uint64_t *x)
{
	uint64_t	 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
core_synth_person(uint64_t seed, uint64_t n, struct core_synth_person *p)
{
	uint64_t	 x = seed * 0x100000001b3ULL ^ n, r;
	size_t		 s, g;
	unsigned	 y, m, d;

	memset(p, 0, sizeof *p);
	snprintf(p->employee_no, sizeof p->employee_no, "E%07llu",
	    (unsigned long long)(n + 1) % 10000000);
	s = (size_t)(synth_next(&x) % NELEM(synth_surnames));
	g = (size_t)(synth_next(&x) % NELEM(synth_given));
	snprintf(p->name_kanji, sizeof p->name_kanji, "%s %s",
	    synth_surnames[s][0], synth_given[g][0]);
	/* U+3000 ideographic space between surname and given name. */
	snprintf(p->name_kana, sizeof p->name_kana, "%s\xe3\x80\x80%s",
	    synth_surnames[s][1], synth_given[g][1]);
	snprintf(p->department, sizeof p->department, "%s",
	    synth_departments[synth_next(&x) % NELEM(synth_departments)]);
	snprintf(p->position, sizeof p->position, "%s",
	    synth_positions[synth_next(&x) % NELEM(synth_positions)]);
	r = synth_next(&x) % 100;
	snprintf(p->employment, sizeof p->employment, "%s", r < 70 ?
	    "regular" : r < 85 ? "fixed_term" : r < 95 ? "part_time" :
	    "contractor");
	y = 1990 + (unsigned)(synth_next(&x) % 36);
	m = 1 + (unsigned)(synth_next(&x) % 12);
	d = 1 + (unsigned)(synth_next(&x) % 28);
	snprintf(p->start_date, sizeof p->start_date, "%04u-%02u-%02u", y, m,
	    d);
}

void
core_synth_args(const struct core_synth_person *p, struct store_args *a)
{
	store_args_add(a, "employee_no", p->employee_no);
	store_args_add(a, "name_kanji", p->name_kanji);
	store_args_add(a, "name_kana", p->name_kana);
	store_args_add(a, "department", p->department);
	store_args_add(a, "position", p->position);
	store_args_add(a, "employment", p->employment);
	store_args_add(a, "start_date", p->start_date);
}
