// SPDX-License-Identifier: GPL-2.0-only
// Unit tests of kernel/json.c (docs/PROTOCOL.md, "Lua to JSON"), built in
// userspace against Debian's Lua 5.4, where numbers are doubles.
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

extern "C" {
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "json.h"
}

using nlohmann::json;
using namespace std::string_literals;

// The test-side output sink: a growable buffer with a limit. A write that
// would pass the limit writes nothing and fails with `error`.
struct klua_buf {
	std::string data;
	size_t limit = SIZE_MAX;
	int error = -ENOSPC;
};

extern "C" int klua_buf_write(struct klua_buf *b, const void *p, size_t n)
{
	if (n > b->limit - b->data.size())
		return b->error;
	b->data.append(static_cast<const char *>(p), n);
	return 0;
}

namespace {

// Counts allocations once `forbid` is set (and refuses them).
struct AllocGuard {
	bool forbid = false;
	int refused = 0;
};

void *test_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	auto *guard = static_cast<AllocGuard *>(ud);
	(void)osize;
	if (nsize == 0) {
		free(ptr);
		return nullptr;
	}
	if (guard->forbid) {
		guard->refused++;
		return nullptr;
	}
	return realloc(ptr, nsize);
}

struct Result {
	int err;
	std::string out;
	std::string why;
};

std::string base64_decode(const std::string &s)
{
	static const std::string tab =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	std::string out;
	unsigned int acc = 0;
	int bits = 0;
	EXPECT_EQ(s.size() % 4, 0u) << s;
	for (char c : s) {
		if (c == '=')
			break;
		auto v = tab.find(c);
		EXPECT_NE(v, std::string::npos) << s;
		acc = (acc << 6) | static_cast<unsigned int>(v);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out.push_back(static_cast<char>((acc >> bits) & 0xff));
		}
	}
	return out;
}

class JsonTest : public ::testing::Test {
protected:
	void SetUp() override
	{
		L = lua_newstate(test_alloc, &guard);
		ASSERT_NE(L, nullptr);
		luaL_openlibs(L);
	}
	void TearDown() override
	{
		guard.forbid = false;
		lua_close(L);
	}

	// Pushes the single value returned by chunk.
	void Push(const std::string &chunk)
	{
		ASSERT_EQ(luaL_loadbuffer(L, chunk.data(), chunk.size(), "=test"), LUA_OK)
			<< lua_tostring(L, -1);
		ASSERT_EQ(lua_pcall(L, 0, 1, 0), LUA_OK) << lua_tostring(L, -1);
	}

	// Encodes the value at idx, checking that the stack is left as it was.
	Result EncodeAt(int idx, size_t limit = SIZE_MAX, int error = -ENOSPC)
	{
		klua_buf b;
		const char *why = nullptr;
		int top = lua_gettop(L);
		int type = lua_type(L, idx);

		b.limit = limit;
		b.error = error;
		int err = klua_json_value(L, idx, &b, &why);
		EXPECT_EQ(lua_gettop(L), top) << "stack not balanced, err " << err;
		EXPECT_EQ(lua_type(L, idx), type) << "value replaced";
		if (err)
			EXPECT_NE(why, nullptr);
		else
			EXPECT_LE(b.data.size(), limit);
		return { err, b.data, why ? why : "" };
	}

	// Runs chunk, encodes what it returns, pops it.
	Result Encode(const std::string &chunk, size_t limit = SIZE_MAX,
		      int error = -ENOSPC)
	{
		int top = lua_gettop(L);
		Push(chunk);
		if (lua_gettop(L) != top + 1) {
			lua_settop(L, top);
			return { -1, "", "chunk failed" };
		}
		Result r = EncodeAt(-1, limit, error);
		lua_settop(L, top);
		return r;
	}

	// Encodes successfully, checks the output parses, returns it parsed.
	json Parsed(const std::string &chunk)
	{
		Result r = Encode(chunk);
		EXPECT_EQ(r.err, 0) << r.why;
		try {
			return json::parse(r.out);
		} catch (const json::exception &e) {
			ADD_FAILURE() << "not JSON: " << r.out << ": " << e.what();
			return json();
		}
	}

	// Output of a successful encoding, as text.
	std::string Text(const std::string &chunk)
	{
		Result r = Encode(chunk);
		EXPECT_EQ(r.err, 0) << r.why;
		return r.out;
	}

	// Encodes s as a Lua string value.
	Result EncodeString(const std::string &s)
	{
		lua_pushlstring(L, s.data(), s.size());
		Result r = EncodeAt(-1);
		lua_pop(L, 1);
		return r;
	}

	// Expects s encoded as {"$base64":...} whose bytes are s; returns the base64.
	std::string ExpectBase64(const std::string &s)
	{
		Result r = EncodeString(s);
		EXPECT_EQ(r.err, 0);
		json j = json::parse(r.out);
		EXPECT_TRUE(j.is_object()) << r.out;
		EXPECT_EQ(j.size(), 1u) << r.out;
		std::string b64 = j.value("$base64", "");
		EXPECT_EQ(base64_decode(b64), s);
		return b64;
	}

	void ExpectPlainString(const std::string &s)
	{
		Result r = EncodeString(s);
		EXPECT_EQ(r.err, 0);
		json j = json::parse(r.out);	// nlohmann rejects invalid UTF-8
		ASSERT_TRUE(j.is_string()) << r.out;
		EXPECT_EQ(j.get<std::string>(), s);
	}

	AllocGuard guard;
	lua_State *L = nullptr;
};

// --- scalars ---

TEST_F(JsonTest, NilAndBooleans)
{
	EXPECT_EQ(Text("return nil"), "null");
	EXPECT_EQ(Text("return true"), "true");
	EXPECT_EQ(Text("return false"), "false");
}

TEST_F(JsonTest, Integers)
{
	EXPECT_EQ(Text("return 0"), "0");
	EXPECT_EQ(Text("return 7"), "7");
	EXPECT_EQ(Text("return -1"), "-1");
	EXPECT_EQ(Text("return 1234567890"), "1234567890");
	EXPECT_EQ(Parsed("return -42"), json(-42));
}

TEST_F(JsonTest, IntegerExtremes)
{
	EXPECT_EQ(Text("return math.maxinteger"), "9223372036854775807");
	EXPECT_EQ(Text("return math.mininteger"), "-9223372036854775808");
	EXPECT_EQ(Parsed("return math.mininteger"), json(INT64_MIN));
	EXPECT_EQ(Parsed("return math.maxinteger"), json(INT64_MAX));
	lua_pushinteger(L, LLONG_MIN);
	EXPECT_EQ(EncodeAt(-1).out, "-9223372036854775808");
	lua_pop(L, 1);
}

TEST_F(JsonTest, IntegralFloatsAreIntegers)
{
	EXPECT_EQ(Text("return 3.0"), "3");
	EXPECT_EQ(Text("return -0.0"), "0");
	EXPECT_EQ(Text("return 2.0^53"), "9007199254740992");
	EXPECT_EQ(Text("return -2.0^63"), "-9223372036854775808");
	EXPECT_EQ(Text("return 10 / 2"), "5");
}

TEST_F(JsonTest, NonIntegralFloatsAreErrors)
{
	for (const char *chunk : { "return 0.5", "return -1.25", "return 2.0^63",
				   "return -2.0^64", "return math.huge",
				   "return -math.huge", "return 0/0" }) {
		Result r = Encode(chunk);
		EXPECT_EQ(r.err, -EINVAL) << chunk;
		EXPECT_EQ(r.why, "number is not an integer") << chunk;
	}
}

// --- strings ---

TEST_F(JsonTest, PlainStrings)
{
	EXPECT_EQ(Text("return ''"), "\"\"");
	EXPECT_EQ(Text("return 'hello world'"), "\"hello world\"");
	EXPECT_EQ(Text("return 'a/b'"), "\"a/b\"");	// '/' is not escaped
	EXPECT_EQ(Text("return '\\x7f'"), "\"\x7f\"");	// DEL needs no escape
	EXPECT_EQ(Parsed("return 'caf\\u{e9}'"), json("caf\u00e9"));
}

TEST_F(JsonTest, QuoteAndBackslashAreEscaped)
{
	EXPECT_EQ(Text(R"(return 'say "hi" \\ bye')"), R"("say \"hi\" \\ bye")");
}

TEST_F(JsonTest, EveryControlCharacterIsEscaped)
{
	std::string all;
	for (int c = 0; c < 0x20; c++)
		all.push_back(static_cast<char>(c));
	Result r = EncodeString(all);
	ASSERT_EQ(r.err, 0);
	EXPECT_EQ(r.out, "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007"
			 "\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
			 "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017"
			 "\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\"");
	EXPECT_EQ(json::parse(r.out).get<std::string>(), all);
}

TEST_F(JsonTest, EscapesBetweenPlainText)
{
	ExpectPlainString("a\nb\"c\\d\x01" "e\0f"s);
	ExpectPlainString("\n\n\n");
	ExpectPlainString("x\ty");
}

TEST_F(JsonTest, ValidUtf8IsAString)
{
	ExpectPlainString("\xc2\x80");		// U+0080, first 2-byte
	ExpectPlainString("\xc3\xa9");		// U+00E9
	ExpectPlainString("\xdf\xbf");		// U+07FF, last 2-byte
	ExpectPlainString("\xe0\xa0\x80");	// U+0800, first 3-byte
	ExpectPlainString("\xe2\x82\xac");	// U+20AC
	ExpectPlainString("\xed\x9f\xbf");	// U+D7FF, below the surrogates
	ExpectPlainString("\xee\x80\x80");	// U+E000, above the surrogates
	ExpectPlainString("\xef\xbf\xbf");	// U+FFFF
	ExpectPlainString("\xf0\x90\x80\x80");	// U+10000, first 4-byte
	ExpectPlainString("\xf0\x9f\x98\x80");	// U+1F600
	ExpectPlainString("\xf4\x8f\xbf\xbf");	// U+10FFFF, last code point
	ExpectPlainString("mixed \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 text\n");
}

TEST_F(JsonTest, OverlongFormsAreBase64)
{
	ExpectBase64("\xc0\x80");
	ExpectBase64("\xc1\xbf");
	ExpectBase64("\xe0\x80\x80");
	ExpectBase64("\xe0\x9f\xbf");
	ExpectBase64("\xf0\x80\x80\x80");
	ExpectBase64("\xf0\x8f\xbf\xbf");
}

TEST_F(JsonTest, SurrogatesAreBase64)
{
	ExpectBase64("\xed\xa0\x80");	// U+D800
	ExpectBase64("\xed\xbf\xbf");	// U+DFFF
	ExpectBase64("\xed\xa0\xbd\xed\xb8\x80");	// CESU-8 pair
}

TEST_F(JsonTest, AboveMaxCodePointIsBase64)
{
	ExpectBase64("\xf4\x90\x80\x80");	// U+110000
	ExpectBase64("\xf5\x80\x80\x80");
	ExpectBase64("\xf7\xbf\xbf\xbf");
	ExpectBase64("\xf8\x88\x80\x80\x80");	// 5-byte form
	ExpectBase64("\xfe");
	ExpectBase64("\xff");
}

TEST_F(JsonTest, TruncatedSequencesAreBase64)
{
	ExpectBase64("\xc3");
	ExpectBase64("\xe2\x82");
	ExpectBase64("\xf0\x9f\x98");
	ExpectBase64("abc\xf0\x9f");
	ExpectBase64("\xc3" "a");	// lead byte followed by ASCII
	ExpectBase64("\xe2\x82" "a");
}

TEST_F(JsonTest, StrayContinuationBytesAreBase64)
{
	ExpectBase64("\x80");
	ExpectBase64("\xbf");
	ExpectBase64("a\x80" "b");
	ExpectBase64("\xc3\xa9\xa9");	// one continuation too many
}

TEST_F(JsonTest, Base64Padding)
{
	// Lengths 3n, 3n+1, 3n+2 give 0, 2 and 1 '='.
	EXPECT_EQ(ExpectBase64("\xff\xfe\xfd"), "//79");
	EXPECT_EQ(ExpectBase64("\xff"), "/w==");
	EXPECT_EQ(ExpectBase64("\xff\xfe"), "//4=");
	EXPECT_EQ(ExpectBase64("\xff\xfe\xfd\xfc\xfb\xfa"), "//79/Pv6");
	EXPECT_EQ(ExpectBase64("\xff\xfe\xfd\xfc"), "//79/A==");
	EXPECT_EQ(ExpectBase64("\xff\xfe\xfd\xfc\xfb"), "//79/Ps=");
	EXPECT_EQ(ExpectBase64("\x80Man"), "gE1hbg==");
	EXPECT_EQ(EncodeString("\xff\0"s).out, R"({"$base64":"/wA="})");
}

TEST_F(JsonTest, Base64RoundTrip)
{
	// Lengths around the encoder's 48-byte chunks, and all byte values.
	std::vector<size_t> lengths = { 1, 2, 3, 4, 5, 46, 47, 48, 49, 50, 95, 96, 97, 1000 };
	for (size_t n : lengths) {
		std::string s;
		for (size_t i = 0; i < n; i++)
			s.push_back(static_cast<char>(0xff - (i * 7) % 256));
		std::string b64 = ExpectBase64(s);
		EXPECT_EQ(b64.size(), (n + 2) / 3 * 4) << n;
	}
	std::string all;
	for (int c = 255; c >= 0; c--)
		all.push_back(static_cast<char>(c));
	ExpectBase64(all);
}

TEST_F(JsonTest, KluaJsonStringDirectly)
{
	klua_buf b;
	ASSERT_EQ(klua_json_string(&b, "a\"b", 3), 0);
	EXPECT_EQ(b.data, R"("a\"b")");
	b.data.clear();
	ASSERT_EQ(klua_json_string(&b, "\xff", 1), 0);
	EXPECT_EQ(b.data, R"({"$base64":"/w=="})");
	b.data.clear();
	ASSERT_EQ(klua_json_string(&b, "", 0), 0);
	EXPECT_EQ(b.data, "\"\"");
	b.data.clear();
	// Only len bytes count: a sequence cut by len is truncated.
	ASSERT_EQ(klua_json_string(&b, "\xc3\xa9", 1), 0);
	EXPECT_EQ(b.data, R"({"$base64":"ww=="})");
	b.data.clear();
	ASSERT_EQ(klua_json_string(&b, "\xf0\x9f\x98\x80", 3), 0);
	EXPECT_EQ(b.data, R"({"$base64":"8J+Y"})");
	b.data.clear();
	ASSERT_EQ(klua_json_string(&b, "ab\ncd", 3), 0);
	EXPECT_EQ(b.data, R"("ab\n")");
	b.data.clear();
	b.limit = 3;
	EXPECT_EQ(klua_json_string(&b, "abcdef", 6), -ENOSPC);
}

// --- tables ---

TEST_F(JsonTest, EmptyTableIsAnArray)
{
	EXPECT_EQ(Text("return {}"), "[]");
	EXPECT_EQ(Text("return {{}, {}}"), "[[],[]]");
}

TEST_F(JsonTest, Arrays)
{
	EXPECT_EQ(Text("return {1, 2, 3}"), "[1,2,3]");
	EXPECT_EQ(Text("return {'a', true, false, {}}"), R"(["a",true,false,[]])");
	EXPECT_EQ(Text("return {[3] = 'c', [1] = 'a', [2] = 'b'}"), R"(["a","b","c"])");
	EXPECT_EQ(Text("return {1, nil}"), "[1]");	// a trailing nil is no key
	EXPECT_EQ(Text("return {[1.0] = 'x', [2.0] = 'y'}"), R"(["x","y"])");
	EXPECT_EQ(Text("local t = {} for i = 1, 100 do t[i] = i end return t"),
		  Parsed("local t = {} for i = 1, 100 do t[i] = i end return t").dump());
}

TEST_F(JsonTest, ObjectsWithStringKeys)
{
	EXPECT_EQ(Text("return {a = 1}"), R"({"a":1})");
	EXPECT_EQ(Parsed("return {a = 1, b = 'x', c = {}}"),
		  json::parse(R"({"a":1,"b":"x","c":[]})"));
	EXPECT_EQ(Parsed(R"(return {['q"\\'] = 1, ['\n'] = 2, [''] = 3})"),
		  json::parse(R"({"q\"\\":1,"\n":2,"":3})"));
	EXPECT_EQ(Parsed("return {['1'] = 'a'}"), json::parse(R"({"1":"a"})"));
}

TEST_F(JsonTest, ObjectsWithIntegerKeys)
{
	EXPECT_EQ(Text("return {[2] = 'x'}"), R"({"2":"x"})");	// hole at 1
	EXPECT_EQ(Text("return {[0] = 'z'}"), R"({"0":"z"})");
	EXPECT_EQ(Text("return {[-5] = 1}"), R"({"-5":1})");
	EXPECT_EQ(Text("return {[math.mininteger] = 1}"), R"({"-9223372036854775808":1})");
	EXPECT_EQ(Text("return {[math.maxinteger] = 1}"), R"({"9223372036854775807":1})");
	EXPECT_EQ(Parsed("return {1, 2, nil, 4}"),
		  json::parse(R"({"1":1,"2":2,"4":4})"));
	EXPECT_EQ(Parsed("return {[0] = 0, 1, 2}"),
		  json::parse(R"({"0":0,"1":1,"2":2})"));
}

TEST_F(JsonTest, ObjectsWithBooleanKeys)
{
	EXPECT_EQ(Parsed("return {[true] = 1, [false] = 2}"),
		  json::parse(R"({"true":1,"false":2})"));
}

TEST_F(JsonTest, MixedTablesAreObjects)
{
	EXPECT_EQ(Parsed("return {10, 20, x = 'y'}"),
		  json::parse(R"({"1":10,"2":20,"x":"y"})"));
	EXPECT_EQ(Parsed("return {10, [true] = 1}"),
		  json::parse(R"({"1":10,"true":1})"));
}

TEST_F(JsonTest, InvalidUtf8KeyUsesBase64Prefix)
{
	EXPECT_EQ(Text("return {['\\xff'] = 1}"), R"({"$base64:/w==":1})");
	EXPECT_EQ(Parsed("return {['\\xc0\\x80'] = 1, ok = 2}"),
		  json::parse(R"({"$base64:wIA=":1,"ok":2})"));
}

TEST_F(JsonTest, UnsupportedKeyTypesAreErrors)
{
	struct {
		const char *chunk;
		const char *why;
	} cases[] = {
		{ "return {[print] = 1}", "table key of type 'function' cannot be a JSON key" },
		{ "return {[function() end] = 1}",
		  "table key of type 'function' cannot be a JSON key" },
		{ "return {[{}] = 1}", "table key of type 'table' cannot be a JSON key" },
		{ "return {[coroutine.create(print)] = 1}",
		  "table key of type 'thread' cannot be a JSON key" },
		{ "return {[io.stdout] = 1}", "table key of type 'userdata' cannot be a JSON key" },
		{ "return {[1.5] = 1}",
		  "table key that is a non-integer number cannot be a JSON key" },
		{ "return {a = {b = {[print] = 1}}}",
		  "table key of type 'function' cannot be a JSON key" },
	};
	for (const auto &c : cases) {
		Result r = Encode(c.chunk);
		EXPECT_EQ(r.err, -EINVAL) << c.chunk;
		EXPECT_EQ(r.why, c.why) << c.chunk;
	}
}

TEST_F(JsonTest, LightUserdataKeyIsAnError)
{
	lua_newtable(L);
	lua_pushlightuserdata(L, this);
	lua_pushinteger(L, 1);
	lua_rawset(L, -3);
	Result r = EncodeAt(-1);
	EXPECT_EQ(r.err, -EINVAL);
	EXPECT_EQ(r.why, "table key of type 'userdata' cannot be a JSON key");
	lua_pop(L, 1);
}

// --- nesting, cycles ---

TEST_F(JsonTest, NestingAtTheLimitIsAccepted)
{
	static_assert(KLUA_JSON_MAX_DEPTH == 32);
	Result r = Encode("local t = 1 for i = 1, 32 do t = {t} end return t");
	ASSERT_EQ(r.err, 0) << r.why;
	EXPECT_EQ(r.out, std::string(32, '[') + "1" + std::string(32, ']'));
	json j = Parsed("local t = 'x' for i = 1, 32 do t = {k = t} end return t");
	for (int i = 0; i < 32; i++)
		j = j.at("k");
	EXPECT_EQ(j, json("x"));
}

TEST_F(JsonTest, NestingPastTheLimitIsAnError)
{
	for (const char *chunk :
	     { "local t = 1 for i = 1, 33 do t = {t} end return t",
	       "local t = {} for i = 1, 33 do t = {k = t} end return t",
	       "local t = {} for i = 1, 100 do t = {t} end return {1, 2, t}" }) {
		Result r = Encode(chunk);
		EXPECT_EQ(r.err, -E2BIG) << chunk;
		EXPECT_EQ(r.why, "nesting deeper than 32 levels") << chunk;
	}
}

TEST_F(JsonTest, DirectCycleIsAnError)
{
	for (const char *chunk : { "local t = {} t.self = t return t",
				   "local t = {1} t[2] = t return t" }) {
		Result r = Encode(chunk);
		EXPECT_EQ(r.err, -ELOOP) << chunk;
		EXPECT_EQ(r.why, "table contains itself") << chunk;
	}
}

TEST_F(JsonTest, IndirectCycleIsAnError)
{
	for (const char *chunk :
	     { "local a, b = {}, {} a.b = b b.a = a return a",
	       "local a, b, c = {}, {}, {} a[1] = b b[1] = c c[1] = a return {x = a}" }) {
		Result r = Encode(chunk);
		EXPECT_EQ(r.err, -ELOOP) << chunk;
		EXPECT_EQ(r.why, "table contains itself") << chunk;
	}
}

TEST_F(JsonTest, SharedSubtableIsNoCycle)
{
	EXPECT_EQ(Text("local s = {1} return {s, s}"), "[[1],[1]]");
	EXPECT_EQ(Parsed("local s = {v = 1} return {a = s, b = {s, s}}"),
		  json::parse(R"({"a":{"v":1},"b":[{"v":1},{"v":1}]})"));
	// Ten levels, each referring to the next twice: 1024 leaves.
	EXPECT_EQ(Text("local t = 0 for i = 1, 10 do t = {t, t} end return t"),
		  Parsed("local t = 0 for i = 1, 10 do t = {t, t} end return t").dump());
}

// --- functions, userdata, threads ---

TEST_F(JsonTest, CFunctions)
{
	EXPECT_EQ(Text("return print"), R"("<function>")");
	EXPECT_EQ(Text("return string.format"), R"("<function>")");
	lua_pushcfunction(L, [](lua_State *) -> int { return 0; });
	EXPECT_EQ(EncodeAt(-1).out, R"("<function>")");
	lua_pop(L, 1);
}

TEST_F(JsonTest, LuaFunctions)
{
	EXPECT_EQ(Text("return function() end"), R"("<function test:1>")");
	EXPECT_EQ(Text("local x = 1\n\nreturn function()\nend"), R"("<function test:3>")");
	std::string chunk = "return 1";
	ASSERT_EQ(luaL_loadbuffer(L, chunk.data(), chunk.size(), "=(command line)"), LUA_OK);
	EXPECT_EQ(EncodeAt(-1).out, R"("<function (command line):0>")");	// a main chunk
	lua_pop(L, 1);
	ASSERT_EQ(luaL_loadbuffer(L, chunk.data(), chunk.size(), "return 1"), LUA_OK);
	EXPECT_EQ(EncodeAt(-1).out, R"("<function [string \"return 1\"]:0>")");
	lua_pop(L, 1);
}

TEST_F(JsonTest, LuaFunctionWithInvalidUtf8SourceIsBase64)
{
	std::string chunk = "return function() end";
	ASSERT_EQ(luaL_loadbuffer(L, chunk.data(), chunk.size(), "=bad\xff"), LUA_OK);
	ASSERT_EQ(lua_pcall(L, 0, 1, 0), LUA_OK);
	Result r = EncodeAt(-1);
	EXPECT_EQ(base64_decode(json::parse(r.out).at("$base64")), "<function bad\xff:1>");
	lua_pop(L, 1);
}

TEST_F(JsonTest, Threads)
{
	EXPECT_EQ(Text("return coroutine.create(print)"), R"("<thread>")");
	lua_pushthread(L);
	EXPECT_EQ(EncodeAt(-1).out, R"("<thread>")");
	lua_pop(L, 1);
}

TEST_F(JsonTest, UserdataWithName)
{
	EXPECT_EQ(Text("return io.stdout"), R"("<FILE*>")");
	lua_newuserdatauv(L, 8, 0);
	luaL_newmetatable(L, "my.type");
	lua_setmetatable(L, -2);
	EXPECT_EQ(EncodeAt(-1).out, R"("<my.type>")");
	lua_pop(L, 1);
}

TEST_F(JsonTest, UserdataNameIsEscaped)
{
	lua_newuserdatauv(L, 8, 0);
	luaL_newmetatable(L, "say \"hi\"\n");
	lua_setmetatable(L, -2);
	Result r = EncodeAt(-1);
	EXPECT_EQ(r.out, R"("<say \"hi\"\n>")");
	EXPECT_EQ(json::parse(r.out), json("<say \"hi\"\n>"));
	lua_pop(L, 1);

	lua_newuserdatauv(L, 8, 0);
	luaL_newmetatable(L, "\xff\xfe");
	lua_setmetatable(L, -2);
	r = EncodeAt(-1);
	EXPECT_EQ(base64_decode(json::parse(r.out).at("$base64")), "<\xff\xfe>");
	lua_pop(L, 1);
}

TEST_F(JsonTest, UserdataWithoutName)
{
	lua_newuserdatauv(L, 8, 0);	// no metatable
	EXPECT_EQ(EncodeAt(-1).out, R"("<userdata>")");
	lua_newtable(L);		// a metatable without __name
	lua_pushinteger(L, 1);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
	EXPECT_EQ(EncodeAt(-1).out, R"("<userdata>")");
	lua_newtable(L);		// __name that is not a string
	lua_pushinteger(L, 5);
	lua_setfield(L, -2, "__name");
	lua_setmetatable(L, -2);
	EXPECT_EQ(EncodeAt(-1).out, R"("<userdata>")");
	lua_pop(L, 1);
	lua_pushlightuserdata(L, this);
	EXPECT_EQ(EncodeAt(-1).out, R"("<userdata>")");
	lua_pop(L, 1);
}

TEST_F(JsonTest, ValuesInsideTables)
{
	lua_newtable(L);
	lua_getglobal(L, "print");
	lua_rawseti(L, -2, 1);
	lua_getglobal(L, "io");
	lua_getfield(L, -1, "stderr");
	lua_remove(L, -2);
	lua_rawseti(L, -2, 2);
	lua_pushthread(L);
	lua_rawseti(L, -2, 3);
	Result r = EncodeAt(-1);
	EXPECT_EQ(r.out, R"(["<function>","<FILE*>","<thread>"])");
	lua_pop(L, 1);
}

// --- metamethods ---

TEST_F(JsonTest, MetamethodsAreNotCalled)
{
	const char *mt = R"(
		called = called or {}
		local function mark(name)
			return function() called[#called + 1] = name return 1 end
		end
		local mt = { __index = mark('__index'), __len = mark('__len'),
			     __pairs = function(t) called[#called + 1] = '__pairs'
					 return next, {}, nil end,
			     __newindex = mark('__newindex'), __tostring = mark('__tostring'),
			     __name = 'named', __eq = mark('__eq'), __call = mark('__call') }
	)";
	json j = Parsed(mt + "return setmetatable({1, 2}, mt)"s);
	EXPECT_EQ(j, json::parse("[1,2]"));
	j = Parsed(mt + "return setmetatable({}, mt)"s);
	EXPECT_EQ(j, json::parse("[]"));
	j = Parsed(mt + "return setmetatable({a = 1}, mt)"s);
	EXPECT_EQ(j, json::parse(R"({"a":1})"));
	j = Parsed(mt + "return {setmetatable({x = setmetatable({}, mt)}, mt)}"s);
	EXPECT_EQ(j, json::parse(R"([{"x":[]}])"));
	// A userdata whose metatable has no __name, and the metatable's own
	// metatable has an __index: a non-raw lookup of __name would call it.
	lua_newuserdatauv(L, 8, 0);
	lua_newtable(L);
	Push(mt + "return setmetatable({}, {__index = mark('meta __index')})"s);
	lua_setmetatable(L, -2);
	lua_setmetatable(L, -2);
	EXPECT_EQ(EncodeAt(-1).out, R"("<userdata>")");
	lua_pop(L, 1);

	Push("return #called");
	EXPECT_EQ(lua_tointeger(L, -1), 0) << "a metamethod was called";
	lua_pop(L, 1);
}

// --- output limit, sink errors ---

TEST_F(JsonTest, OutputLimitHitAnywhere)
{
	const std::string chunk = R"(
		local s = {1}
		return {a = {1, 2, 'three', s, s}, b = 'caf\u{e9} "q"\n',
			c = '\xff\xfe\xfd\xfc', d = print, e = io.stdout,
			f = function() end, [true] = math.mininteger,
			['\xc0'] = {x = {y = {}}}, g = coroutine.create(print)})";
	Result full = Encode(chunk);
	ASSERT_EQ(full.err, 0) << full.why;
	EXPECT_TRUE(json::accept(full.out)) << full.out;
	for (size_t limit = 0; limit < full.out.size(); limit++) {
		Result r = Encode(chunk, limit);
		EXPECT_EQ(r.err, -ENOSPC) << limit;
		EXPECT_EQ(r.why, "output larger than the limit") << limit;
		EXPECT_EQ(r.out, full.out.substr(0, r.out.size())) << limit;
	}
	Result exact = Encode(chunk, full.out.size());
	EXPECT_EQ(exact.err, 0);
	EXPECT_EQ(exact.out, full.out);
}

TEST_F(JsonTest, OutputLimitInLongStrings)
{
	std::string plain(1000, 'x');
	std::string invalid(1000, '\xff');
	for (const std::string &s : { plain, invalid }) {
		lua_pushlstring(L, s.data(), s.size());
		for (size_t limit : { 0, 1, 10, 100, 500, 999 }) {
			Result r = EncodeAt(-1, limit);
			EXPECT_EQ(r.err, -ENOSPC) << limit;
		}
		lua_pop(L, 1);
	}
}

TEST_F(JsonTest, SinkErrorsArePassedOn)
{
	Result r = Encode("return {a = {1, 2, 3}}", 8, -ENOMEM);
	EXPECT_EQ(r.err, -ENOMEM);
	EXPECT_EQ(r.why, "out of memory");
	r = Encode("return {a = {1, 2, 3}}", 8, -EIO);
	EXPECT_EQ(r.err, -EIO);
	EXPECT_EQ(r.why, "cannot write the output");
}

// --- Lua stack ---

TEST_F(JsonTest, StackIndexes)
{
	lua_pushinteger(L, 1);
	lua_pushstring(L, "two");
	lua_pushboolean(L, 1);
	EXPECT_EQ(EncodeAt(-3).out, "1");
	EXPECT_EQ(EncodeAt(-2).out, "\"two\"");
	EXPECT_EQ(EncodeAt(2).out, "\"two\"");
	EXPECT_EQ(EncodeAt(3).out, "true");
	lua_pop(L, 3);
}

TEST_F(JsonTest, StackIsBalancedAfterErrorsDeepInside)
{
	// EncodeAt checks the stack; these fail at various depths and positions.
	for (const char *chunk :
	     { "return {1, 2, {3, {a = 0.5}}}", "return {a = {b = {c = {[print] = 1}}}}",
	       "local t = {} t.x = {y = {z = t}} return {t}",
	       "local t = {} for i = 1, 40 do t = {i, t, i} end return t",
	       "return {a = {}, b = {1, 2, 3, 4.5}}" }) {
		Result r = Encode(chunk);
		EXPECT_NE(r.err, 0) << chunk;
		EXPECT_EQ(lua_gettop(L), 0);
	}
}

TEST_F(JsonTest, FullLuaStackIsAnError)
{
	Push("local t = 1 for i = 1, 32 do t = {a = t} end return t");
	int top = lua_gettop(L);
	while (lua_checkstack(L, 1))
		lua_pushinteger(L, 0);
	Result r = EncodeAt(top);
	EXPECT_EQ(r.err, -ENOMEM);
	EXPECT_EQ(r.why, "Lua stack is full");
	lua_settop(L, top - 1);
}

TEST_F(JsonTest, EncodingAllocatesNothing)
{
	// No allocation means no GC step (no __gc finalizer can run) and no
	// memory error. Stack space is reserved first: growing the stack is the
	// one allocation allowed (lua_checkstack fails cleanly if refused).
	Push(R"(
		local mt = {__gc = function() end}
		return {1, 'two', {a = {b = {'\xff', true, [false] = 3}}},
			print, function() end, io.stdout, coroutine.create(print),
			{[-1] = 2.0, ['\xc0'] = 1}, setmetatable({}, mt)})");
	lua_newuserdatauv(L, 8, 0);	// a userdata whose metatable lacks __name
	lua_newtable(L);
	lua_setmetatable(L, -2);
	lua_rawseti(L, -2, 10);
	ASSERT_TRUE(lua_checkstack(L, 200));
	guard.forbid = true;
	Result r = EncodeAt(-1);
	guard.forbid = false;
	EXPECT_EQ(r.err, 0) << r.why;
	EXPECT_EQ(guard.refused, 0);
	EXPECT_TRUE(json::accept(r.out)) << r.out;
	lua_pop(L, 1);
}

TEST_F(JsonTest, UserdataNameLookupAllocatesNothing)
{
	// A bare state, where no string "__name" exists: looking the field up
	// by pushing that string would allocate it. The encoder runs under
	// lua_pcall so that a Lua error would fail the test, not abort it.
	struct Call {
		klua_buf b;
		const char *why = nullptr;
		int err = -1;
	} call;
	AllocGuard bare_guard;
	lua_State *bare = lua_newstate(test_alloc, &bare_guard);
	ASSERT_NE(bare, nullptr);
	lua_CFunction encode = [](lua_State *l) -> int {
		auto *c = static_cast<Call *>(lua_touserdata(l, 1));
		c->err = klua_json_value(l, 2, &c->b, &c->why);
		return 0;
	};
	lua_newuserdatauv(bare, 8, 0);
	lua_newtable(bare);
	lua_pushinteger(bare, 1);
	lua_setfield(bare, -2, "other");
	lua_setmetatable(bare, -2);
	// The first call encodes nil, to allocate what lua_pcall needs.
	for (bool forbid : { false, true }) {
		call = Call();
		lua_pushcfunction(bare, encode);
		lua_pushlightuserdata(bare, &call);
		if (forbid)
			lua_pushvalue(bare, 1);
		else
			lua_pushnil(bare);
		bare_guard.forbid = forbid;
		int status = lua_pcall(bare, 2, 0, 0);
		bare_guard.forbid = false;
		ASSERT_EQ(status, LUA_OK) << "raised: " << lua_tostring(bare, -1);
		EXPECT_EQ(call.err, 0) << call.why;
		EXPECT_EQ(call.b.data, forbid ? R"("<userdata>")" : "null");
		EXPECT_EQ(bare_guard.refused, 0);
		EXPECT_EQ(lua_gettop(bare), 1);
	}
	lua_close(bare);
}

} // namespace
