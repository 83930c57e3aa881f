// JsonWriter (pm/util/json_writer.hpp): dump_json's bytes, already printable, in chunks.
#include <catch2/catch.hpp>

#include "pm/util/check.hpp"
#include "pm/util/json.hpp"
#include "pm/util/json_writer.hpp"

using namespace pm;

namespace {

// What a damaged or older ledger may hold, beside plain text.
const std::vector<std::string> k_texts = {
    "",
    "plain ASCII with \"quotes\" and \\ backslash",
    "Ведомость: клиент присылает тексты к пятнице",
    "tab\tline\nbreak\rreturn \b \f",
    "escape \x1B[2J and bell \x07",
    "C1 \xC2\x85 next line, \xC2\x9B CSI, \xC2\xA0 no-break space",
    "caf\xC3\x28 bad tail, lone \x80, truncated \xD0",
    "Д\xD0",
    "emoji \xF0\x9F\x98\x80 and \xE2\x84\x96 numero",
};

}  // namespace

TEST_CASE("JsonWriter strings equal dump_json's made printable", "[json]") {
  for (const auto& text : k_texts) {
    std::string out;
    JsonWriter(out, -1).value(text);
    CAPTURE(text);
    CHECK(out == printable_text(dump_json(Json(text))));
    CHECK(Json::parse(out).get<std::string>() == utf8_replaced(text));
  }
}

TEST_CASE("JsonWriter writes DEL as a JSON escape where printable_text shows it as text",
          "[json]") {
  std::string out;
  JsonWriter(out, -1).value("a\x7F" "b");
  CHECK(out == "\"a\\u007fb\"");
  CHECK(Json::parse(out) == "a\x7F" "b");
}

TEST_CASE("JsonWriter documents equal dump_json with indent", "[json]") {
  Json doc = Json::object();
  doc["texts"] = k_texts;
  doc["n"] = 3;
  doc["empty"] = Json::array();
  doc["none"] = nullptr;
  std::string out;
  JsonWriter w(out, 2);
  w.begin_object().key("texts").begin_array();
  for (const auto& text : k_texts) {
    w.value(text);
  }
  w.end_array().member("n", 3).key("empty").begin_array().end_array().key("none").null();
  w.end_object();
  CHECK(out == printable_text(dump_json(doc, 2)));
}

TEST_CASE("JsonWriter on a ChunkedOutput hands whole tokens to the sink, a chunk at a time",
          "[json]") {
  std::vector<std::string> chunks;
  std::string whole;
  {
    ChunkedOutput out([&](std::string_view chunk) { chunks.emplace_back(chunk); });
    JsonWriter w(out, 2);
    JsonWriter collected(whole, 2);
    w.begin_array();
    collected.begin_array();
    for (int i = 0; i < 5000; ++i) {
      w.value(k_texts[2]);
      collected.value(k_texts[2]);
    }
    w.end_array();
    collected.end_array();
    out.finish();
  }
  REQUIRE(chunks.size() > 1);
  std::string joined;
  for (const auto& chunk : chunks) {
    CHECK(valid_utf8(chunk));
    joined += chunk;
  }
  CHECK(joined == whole);
  CHECK(Json::parse(joined).size() == 5000);
}
