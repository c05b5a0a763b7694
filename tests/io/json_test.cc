#include "io/json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

namespace geosim::io {
namespace {

std::string error_of(std::string_view text) {
  try {
    parse_json(text, "m.json");
  } catch (const UserError& e) {
    return e.what();
  }
  return "no error";
}

TEST(JsonQuote, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(json_quote("plain"), "\"plain\"");
  EXPECT_EQ(json_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(json_quote("\n\t\r\b\f"), "\"\\n\\t\\r\\b\\f\"");
  EXPECT_EQ(json_quote(std::string("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
  EXPECT_EQ(json_quote(std::string("nul\0x", 5)), "\"nul\\u0000x\"");
  EXPECT_EQ(json_quote("Zürich → 東京"), "\"Zürich → 東京\"");
}

TEST(JsonWriter, WritesIndentedObjectsAndFoldsScalarArrays) {
  JsonWriter w;
  w.begin_object();
  w.member("version", "0.1.0");
  w.member("seed", int64_t{42});
  w.member("ratio", 0.1);
  w.member("quiet", false);
  w.key("none").null();
  w.key("args").begin_array().value("run").value("a.yaml").end_array();
  w.key("files").begin_array();
  w.begin_object().member("path", "a.yaml").end_object();
  w.end_array();
  w.key("empty").begin_object().end_object();
  w.key("nothing").begin_array().end_array();
  w.end_object();
  EXPECT_EQ(w.str(),
            "{\n"
            "  \"version\": \"0.1.0\",\n"
            "  \"seed\": 42,\n"
            "  \"ratio\": 0.1,\n"
            "  \"quiet\": false,\n"
            "  \"none\": null,\n"
            "  \"args\": [\"run\", \"a.yaml\"],\n"
            "  \"files\": [\n"
            "    {\n"
            "      \"path\": \"a.yaml\"\n"
            "    }\n"
            "  ],\n"
            "  \"empty\": {},\n"
            "  \"nothing\": []\n"
            "}\n");
}

TEST(JsonWriter, LongScalarArraysStayOneElementPerLine) {
  JsonWriter w;
  w.begin_array();
  for (int i = 0; i < 40; ++i) w.value(1000 + i);
  w.end_array();
  EXPECT_EQ(w.str().substr(0, 13), "[\n  1000,\n  1");
  EXPECT_EQ(parse_json(w.str(), "x").items().size(), 40u);
}

TEST(JsonWriter, DoublesReadBackExactly) {
  JsonWriter w;
  w.begin_array().value(0.1 + 0.2).value(1e-310).value(-0.0).value(3.0).end_array();
  EXPECT_EQ(w.str(), "[0.30000000000000004, 1e-310, -0, 3]\n");
  JsonValue v = parse_json(w.str(), "x");
  EXPECT_EQ(v.at(0).as_double(), 0.1 + 0.2);
  EXPECT_EQ(v.at(1).as_double(), 1e-310);
  EXPECT_TRUE(std::signbit(v.at(2).as_double()));
}

TEST(Json, DocumentsRoundTrip) {
  JsonWriter w;
  w.begin_object();
  w.member("text", std::string("quote\" slash\\ nl\n ctl\x02 ü"));
  w.member("big", std::numeric_limits<int64_t>::max());
  w.member("neg", -17);
  w.member("size", size_t{12});
  w.key("nested").begin_object().key("list").begin_array();
  w.begin_array().value(true).null().end_array();
  w.end_array().end_object();
  w.end_object();
  JsonValue v = parse_json(w.str(), "m.json");
  EXPECT_EQ(v["text"].as_string(), "quote\" slash\\ nl\n ctl\x02 ü");
  EXPECT_EQ(v["big"].as_int64(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(v["neg"].as_int64(), -17);
  EXPECT_EQ(v["size"].as_int64(), 12);
  const JsonValue& inner = v["nested"]["list"].at(0);
  EXPECT_TRUE(inner.at(0).as_bool());
  EXPECT_TRUE(inner.at(1).is_null());
  ASSERT_EQ(v.members().size(), 5u);
  EXPECT_EQ(v.members()[3].first, "size");
}

TEST(ParseJson, DecodesEscapesAndSurrogatePairs) {
  JsonValue v = parse_json(R"(["\u0041\u00e9\u20ac", "\ud83d\ude00", "\/\b\f\n\r\t\"\\"])", "x");
  EXPECT_EQ(v.at(0).as_string(), "Aé€");
  EXPECT_EQ(v.at(1).as_string(), "\xF0\x9F\x98\x80");
  EXPECT_EQ(v.at(2).as_string(), "/\b\f\n\r\t\"\\");
}

TEST(ParseJson, ReadsNumbersAndKeepsTheirText) {
  JsonValue v = parse_json(" [0, -0.5, 1e3, 2E-2, 12345678901234567890] ", "x");
  EXPECT_EQ(v.at(1).as_double(), -0.5);
  EXPECT_EQ(v.at(2).as_double(), 1000);
  EXPECT_EQ(v.at(3).as_double(), 0.02);
  EXPECT_EQ(v.at(4).number_text(), "12345678901234567890");
  EXPECT_THROW(v.at(4).as_int64(), UserError);
  EXPECT_THROW(v.at(1).as_int64(), UserError);
}

TEST(ParseJson, MalformedInputIsAnErrorAtLineAndColumn) {
  EXPECT_EQ(error_of("{\"a\": [1,\n 2,]}"),
            "m.json:2:4: unexpected ']'; expected a value (object, array, string, number, true, "
            "false or null)");
  EXPECT_EQ(error_of("{\"a\" 1}"), "m.json:1:6: unexpected '1'; expected ':' after the key");
  EXPECT_EQ(error_of("{\"a\": 1,}"), "m.json:1:9: unexpected '}'; expected a key in double quotes");
  EXPECT_EQ(error_of("[1 2]"), "m.json:1:4: unexpected '2'; expected ',' or ']' in an array");
  EXPECT_EQ(error_of("{\"a\": 1 \"b\": 2}"),
            "m.json:1:9: unexpected '\"'; expected ',' or '}' in an object");
  EXPECT_EQ(error_of("\n  \"abc"), "m.json:2:3: unterminated string; expected a closing '\"'");
  EXPECT_EQ(error_of("[\"a\nb\"]"),
            "m.json:1:4: unexpected byte 0x0A in a string; control characters must be escaped "
            "(\\n, \\t, \\u00XX)");
  EXPECT_EQ(error_of("[01]"), "m.json:1:3: unexpected '1'; a number may not have a leading zero");
  EXPECT_EQ(error_of("[1.]"), "m.json:1:4: unexpected ']'; expected a digit after '.'");
  EXPECT_EQ(error_of("[1e400]"), "m.json:1:2: number 1e400 is beyond the range of a double");
  EXPECT_EQ(error_of("tru"),
            "m.json:1:1: unexpected 't'; expected a value (object, array, "
            "string, number, true, false or null)");
  EXPECT_EQ(error_of("{} x"),
            "m.json:1:4: unexpected 'x' after the end of the document; "
            "expected nothing more");
  EXPECT_EQ(error_of(""), "m.json:1:1: unexpected end of input; expected a value");
  EXPECT_EQ(error_of("{\"a\": 1, \"a\": 2}"), "m.json:1:10: duplicate key 'a'");
  EXPECT_EQ(error_of("[\"\\x\"]"),
            "m.json:1:4: unexpected 'x' after '\\'; expected one of \" \\ / b f n r t u");
  EXPECT_EQ(error_of("[\"\\u12G4\"]"),
            "m.json:1:7: unexpected 'G'; expected four hex digits after \\u");
}

TEST(ParseJson, LoneSurrogatesAreRejected) {
  EXPECT_EQ(error_of("[\"\\udc00\"]"),
            "m.json:1:3: lone low surrogate \\u escape; expected a high surrogate first");
  EXPECT_EQ(error_of("[\"\\ud800x\"]"),
            "m.json:1:3: high surrogate \\u escape not followed by a low surrogate \\u escape");
  EXPECT_EQ(error_of("[\"\\ud800\\u0041\"]"),
            "m.json:1:3: high surrogate \\u escape not followed by a low surrogate \\u escape");
}

TEST(ParseJson, NestingBeyond256LevelsIsRejected) {
  std::string ok = std::string(256, '[') + std::string(256, ']');
  EXPECT_NO_THROW(parse_json(ok, "x"));
  std::string deep = std::string(257, '[') + std::string(257, ']');
  EXPECT_EQ(error_of(deep), "m.json:1:257: nesting deeper than 256 levels");
  std::string huge(100000, '[');
  EXPECT_EQ(error_of(huge), "m.json:1:257: nesting deeper than 256 levels");
}

TEST(ParseJson, MutatedDocumentsGiveAValueOrAUserError) {
  const std::string doc = R"({"a": [1, -2.5e3, true, null], "b": {"c": "x\u00e9\ud83d\ude00"}})";
  const std::string alphabet = "{}[]\",:\\u0123456789eE+-.truefalsnl \n\x01\xff";
  std::mt19937 rng(12);
  int rejected = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string text = doc;
    for (int k = 1 + static_cast<int>(rng() % 3); k > 0; --k) {
      size_t pos = rng() % text.size();
      switch (rng() % 3) {
        case 0:
          text[pos] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          text.erase(pos, 1);
          break;
        default:
          text.insert(pos, 1, alphabet[rng() % alphabet.size()]);
      }
    }
    try {
      parse_json(text, "m.json");
    } catch (const UserError& e) {
      ++rejected;
      ASSERT_EQ(e.diagnostics().size(), 1u);
      EXPECT_GT(e.diagnostics()[0].loc.line, 0) << text;
    }
  }
  EXPECT_GT(rejected, 1000);
}

TEST(JsonValue, WrongTypesAndMissingKeysAreUserErrorsAtTheValue) {
  JsonValue v = parse_json("{\n  \"seed\": \"x\",\n  \"threads\": 4\n}", "m.json");
  try {
    v["seed"].as_double();
    FAIL();
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(), "m.json:2:11: expected a number, found a string");
  }
  try {
    v["thread"];
    FAIL();
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(), "m.json:1:1: missing key 'thread' (did you mean 'threads'?)");
  }
  EXPECT_EQ(v.find("nope"), nullptr);
  EXPECT_EQ(v.find("threads")->as_int64(), 4);
  EXPECT_EQ(v["threads"].find("x"), nullptr);
  EXPECT_THROW(v["threads"].at(0), UserError);
  EXPECT_THROW(v.items(), UserError);
  EXPECT_EQ(v.size(), 2u);
}

}  // namespace
}  // namespace geosim::io
