// SHA-256 against the FIPS 180-4 examples and OpenSSL-computed digests at block boundaries.
#include <catch2/catch.hpp>

#include <string>

#include "pm/util/sha256.hpp"

using pm::sha256_hex;

TEST_CASE("sha256: the standard's examples", "[sha256]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256: lengths around the block and padding boundaries", "[sha256]") {
  struct Case {
    std::size_t length;
    const char* digest;  // of `length` times 'x', by openssl dgst -sha256
  };
  const Case cases[] = {
      {55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"},
      {56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"},
      {63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"},
      {64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"},
      {65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9"},
      {119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c"},
      {120, "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98"},
      {128, "24da1b81d0b16df6428eee73c69fcb2a93c76bc6df706f0c6670fe6bfe800464"},
  };
  for (const auto& c : cases) {
    INFO("length " << c.length);
    CHECK(sha256_hex(std::string(c.length, 'x')) == c.digest);
  }
}

TEST_CASE("sha256: the SHA instructions and the portable code agree", "[sha256]") {
  // On a CPU without the SHA instructions both sides are the portable code.
  INFO("accelerated: " << pm::detail::sha256_accelerated());
  std::string data;
  for (std::size_t length = 0; length <= 300; ++length) {
    INFO("length " << length);
    CHECK(pm::sha256(data) == pm::detail::sha256_portable(data));
    data.push_back(static_cast<char>((length * 131 + 7) & 0xFF));
  }
  std::string large(100000, '\0');
  for (std::size_t i = 0; i < large.size(); ++i) {
    large[i] = static_cast<char>((i * 2654435761u) >> 13);
  }
  CHECK(pm::sha256(large) == pm::detail::sha256_portable(large));
}

TEST_CASE("sha256: data given in pieces has the digest of the whole", "[sha256]") {
  std::string data;
  for (std::size_t i = 0; i < 1000; ++i) {
    data.push_back(static_cast<char>((i * 2654435761u) >> 11));
  }
  for (std::size_t piece : {1u, 3u, 63u, 64u, 65u, 130u, 1000u}) {
    INFO("pieces of " << piece);
    pm::Sha256 hash;
    for (std::size_t at = 0; at < data.size(); at += piece) {
      hash.update(std::string_view(data).substr(at, piece));
    }
    CHECK(hash.finish_hex() == pm::sha256_hex(data));
  }
  pm::Sha256 empty;
  CHECK(empty.finish_hex() == pm::sha256_hex(""));
}
