#pragma once
// SHA-256 (FIPS 180-4) for the ledger's hash chain: a few hundred bytes an entry, so a small
// implementation here costs nothing, where OpenSSL 3's EVP layer spends about 5 million
// instructions (configuration, providers) on the first digest of every process.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace pm {

using Sha256Digest = std::array<std::uint8_t, 32>;

/// The SHA-256 digest of `data`.
Sha256Digest sha256(std::string_view data);

/// The digest as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

/// SHA-256 over data given in pieces: sha256() of their concatenation, without holding it
/// (an NPS import's digest covers all of its answers, streamed).
class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  /// The digest of everything given; the object is then spent.
  Sha256Digest finish();
  /// finish() as 64 lowercase hex digits.
  std::string finish_hex();

 private:
  std::array<std::uint32_t, 8> m_state;
  std::array<std::uint8_t, 64> m_block{};
  std::size_t m_buffered = 0;
  std::uint64_t m_length = 0;
};

namespace detail {
/// sha256() without the CPU's SHA instructions, which sha256() uses where it has them
/// (x86-64): the tests compare the two.
Sha256Digest sha256_portable(std::string_view data);
/// True when sha256() uses the CPU's SHA instructions.
bool sha256_accelerated();
}  // namespace detail

}  // namespace pm
