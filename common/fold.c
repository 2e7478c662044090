/*
 * fold.c -- the key a name is compared by, so that the same name written
 * in HR's and in a system's way compares equal: 髙橋 and 高橋, ﾀｶﾊｼ,
 * タカハシ and たかはし, "山田　太郎" and "山田太郎".  Names are stored as
 * they were given; only keys are folded.  Steps, in order:
 *
 *  1. NFKC (libunistring's u8_normalize): full-width letters and digits,
 *     half-width kana, circled numbers (① to 1), parenthesised and
 *     squared forms (㈱ to (株)), and the CJK compatibility ideographs
 *     that have a canonical mapping (塚 U+FA10, 神 U+FA19, 逸 U+FA67,
 *     隆 U+F9DC, ...) to their plain forms.
 *  2. Each character: white space of any width dropped (Unicode's
 *     White_Space; after NFKC the ideographic space U+3000 is U+0020),
 *     and the invisible ones too (U+200B, U+2060, U+FEFF), as are
 *     variation selectors (an IVS picks a glyph, not another character);
 *     ASCII letters to lower case; hiragana to katakana (たなか to タナカ,
 *     ゝゞ to ヽヾ); a variant kanji to its common form by the table below.
 *  3. When what is left holds a combining mark (or anything else outside
 *     the scripts names are written in), steps 1 and 2 again until nothing
 *     changes: dropping the space NFKC makes of ゛ (U+309B) lets カ and
 *     U+3099 compose to ガ, and わ゛ mapped to ワ゛ composes to ヷ.
 *
 * The variant table (fold_variants, sorted by the left side, searched by
 * bisection) maps one character to one, never to a character that is
 * itself a left side, so folding twice changes nothing.  Its sources:
 *
 *  - The 旧字体 of 常用漢字 that 戸籍法施行規則 別表第二 二 lists as
 *    usable in names (人名用漢字), as Unihan records them in
 *    kJinmeiyoKanji (Unicode 15.0, Unihan_OtherMappings.txt): 國 国,
 *    廣 広, 櫻 桜, 德 徳, 惠 恵, 與 与, 實 実, 壽 寿, 榮 栄, 齊 斉, 嶋 島,
 *    冨 富, 峯 峰, 瀧 滝, ... (all 160 there but 龍 竜, below).  The 52
 *    that are CJK compatibility ideographs (神 U+FA19, 都 U+FA26, ...)
 *    are left to NFKC.
 *  - The four 許容字体 of the 2010 常用漢字表 (剝 剥, 𠮟 叱, 塡 填, 頰 頬),
 *    folded to the form JIS X 0208 (and so CP932) has.
 *  - Marked "+": the 異体字 common in surnames that are not in that list,
 *    many of them NEC/IBM extension characters of CP932: 髙 高, 﨑 崎
 *    (U+FA11, a compatibility ideograph NFKC leaves alone), 嵜 崎, 栁 柳,
 *    濵 浜, 濱 浜, 邊 辺, 邉 辺, 齋 斎, 澤 沢, 嶌 島, 桒 桑, 曻 昇, 𠮷 吉,
 *    舘 館, 籏 旗, 舩 船, 靏 鶴, 渕 淵, 鷗 鴎, 戶 戸 and a few more 旧字体
 *    (淺 關 澀 龜 會 絲 寳 寶 靑 淸 晉 嶽 豐 蘆 鐵 溪 尙).  Unihan records
 *    some of these as variants (kSemanticVariant, kZVariant or
 *    kSimplifiedVariant: 髙 﨑 嵜 栁 關 寳 寶 舘 蘆 鐵 戶 晉 淺); the rest
 *    are Japanese shinjitai and itaiji it does not cover, taken from the
 *    usual lists.
 *
 * Left out on purpose:
 *  - 斉/斎 and 齊/齋: 斉藤 and 斎藤 are different surnames (齊 folds to
 *    斉, 齋 to 斎, and the two stay apart).
 *  - 龍/竜: both are common, separately chosen spellings in names
 *    (龍也, 竜也); 龍 is not read as an old form of 竜, so two names that
 *    differ only there are more likely two people's.
 *  - The pairs where both forms are names' characters in their own right
 *    (人名用漢字 both, 別表第二 一's pairs): 亘 亙, 凜 凛, 尭 堯, 巌 巖,
 *    晃 晄, 桧 檜, 槙 槇, 祢 禰, 祷 禱, 禄 祿, 穣 穰, 萌 萠, 遥 遙.  (The
 *    other five pairs there, 渚 猪 琢 祐 禎, have a compatibility
 *    ideograph as their second form, which NFKC folds all the same.)
 *  - Characters that are distinct though they look alike or share a
 *    simplified form: 埼 and 碕 are not 崎; 辨 辯 瓣 are not all 弁, nor
 *    缺 欠 or 餘 余.
 *  - The eleven other compatibility ideographs NFKC leaves alone (U+FA0E,
 *    FA0F, FA13, FA14, FA1F, FA21, FA23, FA24, FA27-FA29): Unihan records
 *    no variant for them; they compare equal only to themselves.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "common.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])
#define FOLD_STACK	256		/* NFKC of most names fits here */
#define FOLD_ROUNDS	8		/* more would be a name of marks */

struct fold_variant {
	uint32_t	 from;
	uint32_t	 to;
};

/* Sorted by from; see the top of the file for what is here and why. */
static const struct fold_variant fold_variants[] = {
	{ 0x4e58, 0x4e57 },	/* 乘 乗 */
	{ 0x4e9e, 0x4e9c },	/* 亞 亜 */
	{ 0x4f5b, 0x4ecf },	/* 佛 仏 */
	{ 0x4f86, 0x6765 },	/* 來 来 */
	{ 0x50b3, 0x4f1d },	/* 傳 伝 */
	{ 0x50de, 0x507d },	/* 僞 偽 */
	{ 0x50f9, 0x4fa1 },	/* 價 価 */
	{ 0x5109, 0x5039 },	/* 儉 倹 */
	{ 0x5152, 0x5150 },	/* 兒 児 */
	{ 0x51a8, 0x5bcc },	/* 冨 富 */
	{ 0x51c9, 0x6dbc },	/* 凉 涼 */
	{ 0x525d, 0x5265 },	/* 剝 剥 */
	{ 0x5269, 0x5270 },	/* 剩 剰 */
	{ 0x528d, 0x5263 },	/* 劍 剣 */
	{ 0x52f3, 0x52f2 },	/* 勳 勲 */
	{ 0x5377, 0x5dfb },	/* 卷 巻 */
	{ 0x537d, 0x5373 },	/* 卽 即 */
	{ 0x55ae, 0x5358 },	/* 單 単 */
	{ 0x56b4, 0x53b3 },	/* 嚴 厳 */
	{ 0x5708, 0x570f },	/* 圈 圏 */
	{ 0x570b, 0x56fd },	/* 國 国 */
	{ 0x5713, 0x5186 },	/* 圓 円 */
	{ 0x5718, 0x56e3 },	/* 團 団 */
	{ 0x57dc, 0x91ce },	/* 埜 野 */
	{ 0x5861, 0x586b },	/* 塡 填 */
	{ 0x589e, 0x5897 },	/* 增 増 */
	{ 0x58d8, 0x5841 },	/* 壘 塁 */
	{ 0x58de, 0x58ca },	/* 壞 壊 */
	{ 0x58ef, 0x58ee },	/* 壯 壮 */
	{ 0x58fd, 0x5bff },	/* 壽 寿 */
	{ 0x5967, 0x5965 },	/* 奧 奥 */
	{ 0x596c, 0x5968 },	/* 奬 奨 */
	{ 0x5b43, 0x5b22 },	/* 孃 嬢 */
	{ 0x5be2, 0x5bdd },	/* 寢 寝 */
	{ 0x5be6, 0x5b9f },	/* 實 実 */
	{ 0x5bec, 0x5bdb },	/* 寬 寛 */
	{ 0x5bf3, 0x5b9d },	/* 寳 宝 + */
	{ 0x5bf6, 0x5b9d },	/* 寶 宝 + */
	{ 0x5c07, 0x5c06 },	/* 將 将 */
	{ 0x5c08, 0x5c02 },	/* 專 専 */
	{ 0x5c19, 0x5c1a },	/* 尙 尚 + */
	{ 0x5cef, 0x5cf0 },	/* 峯 峰 */
	{ 0x5cfd, 0x5ce1 },	/* 峽 峡 */
	{ 0x5d5c, 0x5d0e },	/* 嵜 崎 + */
	{ 0x5d8b, 0x5cf6 },	/* 嶋 島 */
	{ 0x5d8c, 0x5cf6 },	/* 嶌 島 + */
	{ 0x5dbd, 0x5cb3 },	/* 嶽 岳 + */
	{ 0x5de2, 0x5de3 },	/* 巢 巣 */
	{ 0x5e36, 0x5e2f },	/* 帶 帯 */
	{ 0x5ee3, 0x5e83 },	/* 廣 広 */
	{ 0x5ef3, 0x5e81 },	/* 廳 庁 */
	{ 0x5f48, 0x5f3e },	/* 彈 弾 */
	{ 0x5f4c, 0x5f25 },	/* 彌 弥 */
	{ 0x5f9e, 0x5f93 },	/* 從 従 */
	{ 0x5fb5, 0x5fb4 },	/* 徵 徴 */
	{ 0x5fb7, 0x5fb3 },	/* 德 徳 */
	{ 0x6046, 0x6052 },	/* 恆 恒 */
	{ 0x60e0, 0x6075 },	/* 惠 恵 */
	{ 0x60e1, 0x60aa },	/* 惡 悪 */
	{ 0x613c, 0x614e },	/* 愼 慎 */
	{ 0x61c9, 0x5fdc },	/* 應 応 */
	{ 0x61f7, 0x61d0 },	/* 懷 懐 */
	{ 0x6230, 0x6226 },	/* 戰 戦 */
	{ 0x6232, 0x622f },	/* 戲 戯 */
	{ 0x6236, 0x6238 },	/* 戶 戸 + */
	{ 0x62c2, 0x6255 },	/* 拂 払 */
	{ 0x62d4, 0x629c },	/* 拔 抜 */
	{ 0x62dc, 0x62dd },	/* 拜 拝 */
	{ 0x63ed, 0x63b2 },	/* 揭 掲 */
	{ 0x6416, 0x63fa },	/* 搖 揺 */
	{ 0x641c, 0x635c },	/* 搜 捜 */
	{ 0x64ca, 0x6483 },	/* 擊 撃 */
	{ 0x651d, 0x6442 },	/* 攝 摂 */
	{ 0x6536, 0x53ce },	/* 收 収 */
	{ 0x654d, 0x53d9 },	/* 敍 叙 */
	{ 0x6649, 0x664b },	/* 晉 晋 + */
	{ 0x665a, 0x6669 },	/* 晚 晩 */
	{ 0x665d, 0x663c },	/* 晝 昼 */
	{ 0x66c6, 0x66a6 },	/* 曆 暦 */
	{ 0x66c9, 0x6681 },	/* 曉 暁 */
	{ 0x66fb, 0x6607 },	/* 曻 昇 + */
	{ 0x66fe, 0x66fd },	/* 曾 曽 */
	{ 0x6703, 0x4f1a },	/* 會 会 + */
	{ 0x6801, 0x67f3 },	/* 栁 柳 + */
	{ 0x6852, 0x6851 },	/* 桒 桑 + */
	{ 0x689d, 0x6761 },	/* 條 条 */
	{ 0x69ae, 0x6804 },	/* 榮 栄 */
	{ 0x6a02, 0x697d },	/* 樂 楽 */
	{ 0x6a23, 0x69d8 },	/* 樣 様 */
	{ 0x6a6b, 0x6a2a },	/* 橫 横 */
	{ 0x6aa2, 0x691c },	/* 檢 検 */
	{ 0x6afb, 0x685c },	/* 櫻 桜 */
	{ 0x6b65, 0x6b69 },	/* 步 歩 */
	{ 0x6b77, 0x6b74 },	/* 歷 歴 */
	{ 0x6bcf, 0x6bce },	/* 每 毎 */
	{ 0x6c23, 0x6c17 },	/* 氣 気 */
	{ 0x6d89, 0x6e09 },	/* 涉 渉 */
	{ 0x6dda, 0x6d99 },	/* 淚 涙 */
	{ 0x6de8, 0x6d44 },	/* 淨 浄 */
	{ 0x6df8, 0x6e05 },	/* 淸 清 + */
	{ 0x6dfa, 0x6d45 },	/* 淺 浅 + */
	{ 0x6e15, 0x6df5 },	/* 渕 淵 + */
	{ 0x6e34, 0x6e07 },	/* 渴 渇 */
	{ 0x6eaa, 0x6e13 },	/* 溪 渓 + */
	{ 0x6eab, 0x6e29 },	/* 溫 温 */
	{ 0x6eef, 0x6ede },	/* 滯 滞 */
	{ 0x6f80, 0x6e0b },	/* 澀 渋 + */
	{ 0x6f81, 0x6e0b },	/* 澁 渋 */
	{ 0x6fa4, 0x6ca2 },	/* 澤 沢 + */
	{ 0x6fd5, 0x6e7f },	/* 濕 湿 */
	{ 0x6ff1, 0x6d5c },	/* 濱 浜 + */
	{ 0x6ff5, 0x6d5c },	/* 濵 浜 + */
	{ 0x7027, 0x6edd },	/* 瀧 滝 */
	{ 0x7028, 0x702c },	/* 瀨 瀬 */
	{ 0x71c8, 0x706f },	/* 燈 灯 */
	{ 0x71d2, 0x713c },	/* 燒 焼 */
	{ 0x722d, 0x4e89 },	/* 爭 争 */
	{ 0x7232, 0x70ba },	/* 爲 為 */
	{ 0x72c0, 0x72b6 },	/* 狀 状 */
	{ 0x72f9, 0x72ed },	/* 狹 狭 */
	{ 0x7378, 0x7363 },	/* 獸 獣 */
	{ 0x758a, 0x7573 },	/* 疊 畳 */
	{ 0x7626, 0x75e9 },	/* 瘦 痩 */
	{ 0x76c3, 0x676f },	/* 盃 杯 */
	{ 0x76dc, 0x76d7 },	/* 盜 盗 */
	{ 0x76e1, 0x5c3d },	/* 盡 尽 */
	{ 0x771e, 0x771f },	/* 眞 真 */
	{ 0x788e, 0x7815 },	/* 碎 砕 */
	{ 0x7955, 0x79d8 },	/* 祕 秘 */
	{ 0x79aa, 0x7985 },	/* 禪 禅 */
	{ 0x79ae, 0x793c },	/* 禮 礼 */
	{ 0x7a3b, 0x7a32 },	/* 稻 稲 */
	{ 0x7a57, 0x7a42 },	/* 穗 穂 */
	{ 0x7c4f, 0x65d7 },	/* 籏 旗 + */
	{ 0x7cb9, 0x7c8b },	/* 粹 粋 */
	{ 0x7d72, 0x7cf8 },	/* 絲 糸 + */
	{ 0x7da0, 0x7dd1 },	/* 綠 緑 */
	{ 0x7dd6, 0x7dd2 },	/* 緖 緒 */
	{ 0x7de3, 0x7e01 },	/* 緣 縁 */
	{ 0x7e23, 0x770c },	/* 縣 県 */
	{ 0x7e31, 0x7e26 },	/* 縱 縦 */
	{ 0x7e96, 0x7e4a },	/* 纖 繊 */
	{ 0x807d, 0x8074 },	/* 聽 聴 */
	{ 0x81df, 0x81d3 },	/* 臟 臓 */
	{ 0x8207, 0x4e0e },	/* 與 与 */
	{ 0x8218, 0x9928 },	/* 舘 館 + */
	{ 0x8229, 0x8239 },	/* 舩 船 + */
	{ 0x838a, 0x8358 },	/* 莊 荘 */
	{ 0x842c, 0x4e07 },	/* 萬 万 */
	{ 0x8597, 0x5712 },	/* 薗 園 */
	{ 0x85b0, 0x85ab },	/* 薰 薫 */
	{ 0x85cf, 0x8535 },	/* 藏 蔵 */
	{ 0x85dd, 0x82b8 },	/* 藝 芸 */
	{ 0x85e5, 0x85ac },	/* 藥 薬 */
	{ 0x8606, 0x82a6 },	/* 蘆 芦 + */
	{ 0x865b, 0x865a },	/* 虛 虚 */
	{ 0x885e, 0x885b },	/* 衞 衛 */
	{ 0x88dd, 0x88c5 },	/* 裝 装 */
	{ 0x89bd, 0x89a7 },	/* 覽 覧 */
	{ 0x8b20, 0x8b21 },	/* 謠 謡 */
	{ 0x8b93, 0x8b72 },	/* 讓 譲 */
	{ 0x8c50, 0x8c4a },	/* 豐 豊 + */
	{ 0x8ce3, 0x58f2 },	/* 賣 売 */
	{ 0x8cf4, 0x983c },	/* 賴 頼 */
	{ 0x8f49, 0x8ee2 },	/* 轉 転 */
	{ 0x9089, 0x8fba },	/* 邉 辺 + */
	{ 0x908a, 0x8fba },	/* 邊 辺 + */
	{ 0x90de, 0x90ce },	/* 郞 郎 */
	{ 0x9189, 0x9154 },	/* 醉 酔 */
	{ 0x91c0, 0x91b8 },	/* 釀 醸 */
	{ 0x9304, 0x9332 },	/* 錄 録 */
	{ 0x934a, 0x932c },	/* 鍊 錬 */
	{ 0x93ad, 0x93ae },	/* 鎭 鎮 */
	{ 0x9435, 0x9244 },	/* 鐵 鉄 + */
	{ 0x9444, 0x92f3 },	/* 鑄 鋳 */
	{ 0x95dc, 0x95a2 },	/* 關 関 + */
	{ 0x9677, 0x9665 },	/* 陷 陥 */
	{ 0x96aa, 0x967a },	/* 險 険 */
	{ 0x96dc, 0x96d1 },	/* 雜 雑 */
	{ 0x974f, 0x9db4 },	/* 靏 鶴 + */
	{ 0x9751, 0x9752 },	/* 靑 青 + */
	{ 0x975c, 0x9759 },	/* 靜 静 */
	{ 0x9830, 0x982c },	/* 頰 頬 */
	{ 0x986f, 0x9855 },	/* 顯 顕 */
	{ 0x98dc, 0x7ffb },	/* 飜 翻 */
	{ 0x99c8, 0x99c6 },	/* 駈 駆 */
	{ 0x9a37, 0x9a12 },	/* 騷 騒 */
	{ 0x9a57, 0x9a13 },	/* 驗 験 */
	{ 0x9ad9, 0x9ad8 },	/* 髙 高 + */
	{ 0x9aee, 0x9aea },	/* 髮 髪 */
	{ 0x9dc4, 0x9d8f },	/* 鷄 鶏 */
	{ 0x9dd7, 0x9d0e },	/* 鷗 鴎 + */
	{ 0x9ec3, 0x9ec4 },	/* 黃 黄 */
	{ 0x9ed1, 0x9ed2 },	/* 黑 黒 */
	{ 0x9ed8, 0x9ed9 },	/* 默 黙 */
	{ 0x9f4a, 0x6589 },	/* 齊 斉 */
	{ 0x9f4b, 0x658e },	/* 齋 斎 + */
	{ 0x9f9c, 0x4e80 },	/* 龜 亀 + */
	{ 0xfa11, 0x5d0e },	/* 﨑 崎 + */
	{ 0x20b9f, 0x53f1 },	/* 𠮟 叱 */
	{ 0x20bb7, 0x5409 },	/* 𠮷 吉 + */
};

static uint32_t
fold_variant_of(uint32_t cp)
{
	size_t	 lo = 0, hi = NELEM(fold_variants), mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (fold_variants[mid].from == cp)
			return fold_variants[mid].to;
		if (fold_variants[mid].from < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return cp;
}

int
fold_variant(size_t i, uint32_t *from, uint32_t *to)
{
	if (i >= NELEM(fold_variants))
		return -1;
	*from = fold_variants[i].from;
	*to = fold_variants[i].to;
	return 0;
}

/* Whether cp leaves no mark in a key: spaces, invisible ones, selectors. */
static int
fold_dropped(uint32_t cp)
{
	return uc_is_property_white_space(cp) || cp == 0x200b ||
	    cp == 0x2060 || cp == 0xfeff || (cp >= 0xfe00 && cp <= 0xfe0f) ||
	    (cp >= 0xe0100 && cp <= 0xe01ef);
}

/* One character of an NFKC string as the key has it (0: dropped). */
static uint32_t
fold_char(uint32_t cp)
{
	if (cp < 0x80) {
		if (cp == ' ' || (cp >= '\t' && cp <= '\r'))
			return 0;
		return cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp;
	}
	if (fold_dropped(cp))
		return 0;
	/* ぁ..ゖ and ゝゞ: the katakana 0x60 above. */
	if ((cp >= 0x3041 && cp <= 0x3096) || cp == 0x309d || cp == 0x309e)
		return cp + 0x60;
	return fold_variant_of(cp);
}

/*
 * Whether NFKC can leave cp alone whatever comes before or after it: true
 * of the ranges names are written in (up to U+02FF, CJK symbols and kana
 * but their combining marks, ideographs, full-width forms), which hold
 * nothing that composes with the character before it or is reordered.
 */
static int
fold_settled(uint32_t cp)
{
	if (cp == 0x3099 || cp == 0x309a || (cp >= 0x302a && cp <= 0x302f))
		return 0;			/* combining marks */
	return cp < 0x300 || (cp >= 0x3000 && cp <= 0x30ff) ||
	    (cp >= 0x3400 && cp <= 0x9fff) ||
	    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff00 && cp <= 0xffef) ||
	    (cp >= 0x20000 && cp <= 0x3ffff);
}

/*
 * The characters of s (n bytes of valid UTF-8) folded into out, which has
 * room for n + 1 bytes: no folded character is longer than its original.
 * Returns whether out holds a character that is not settled.
 */
static int
fold_chars(const uint8_t *s, size_t n, char *out)
{
	size_t	 i = 0, o = 0, len;
	uint32_t cp;
	int	 w, unsettled = 0;

	while (i < n) {
		len = vis_utf8(s + i, n - i, &cp);
		if (len == 0)
			fatalx("fold: NFKC gave invalid UTF-8");
		i += len;
		if ((cp = fold_char(cp)) == 0)
			continue;
		unsettled |= !fold_settled(cp);
		w = u8_uctomb((uint8_t *)out + o, cp, (int)(len));
		if (w < 0 || (size_t)w > len)
			fatalx("fold: U+%04X grew", (unsigned)cp);
		o += (size_t)w;
	}
	out[o] = '\0';
	return unsettled;
}

/* NFKC of s (n bytes of valid UTF-8), then folded; caller frees. */
static char *
fold_round(const char *s, size_t n, int *unsettled)
{
	uint8_t		 stack[FOLD_STACK], *nfkc;
	size_t		 len = sizeof stack;
	char		*out;

	nfkc = u8_normalize(UNINORM_NFKC, (const uint8_t *)s, n, stack, &len);
	if (nfkc == NULL)
		fatal("u8_normalize");
	out = xmalloc(len + 1);
	*unsettled = fold_chars(nfkc, len, out);
	if (nfkc != stack)
		free(nfkc);
	return out;
}

char *
fold_name(const char *s)
{
	size_t		 n = strlen(s), i;
	char		*out, *next;
	int		 unsettled, same;

	for (i = 0; i < n && (unsigned char)s[i] < 0x80; i++)
		;
	if (i == n) {			/* ASCII is its own NFKC */
		out = xmalloc(n + 1);
		fold_chars((const uint8_t *)s, n, out);
		return out;
	}
	/*
	 * Not UTF-8 (a caller's mistake): the bytes as they are, which
	 * equal no valid string's key.
	 */
	if (u8_check((const uint8_t *)s, n) != NULL)
		return xstrdup(s);
	out = fold_round(s, n, &unsettled);
	/*
	 * A space dropped between a character and a combining mark (NFKC
	 * makes "カ" U+0020 U+3099 of カ゛), or a kana mapped, can let NFKC
	 * compose or reorder what it could not before: fold again until
	 * nothing changes, so that folding a key changes nothing.  Each
	 * round that changes the text composes or reorders, so this ends.
	 */
	for (i = 0; unsettled && i < FOLD_ROUNDS; i++) {
		next = fold_round(out, strlen(out), &unsettled);
		same = strcmp(next, out) == 0;
		free(out);
		out = next;
		if (same)
			break;
	}
	return out;
}
