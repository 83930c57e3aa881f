#include "pm/util/sha256.hpp"

#include <algorithm>
#include <cstddef>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define PM_SHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace pm {

namespace {

constexpr std::array<std::uint32_t, 64> k_round = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

constexpr std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

using State = std::array<std::uint32_t, 8>;

void compress(State& state, const std::uint8_t* block) {
  std::array<std::uint32_t, 64> w{};
  for (int i = 0; i < 16; ++i) {
    w[i] = (std::uint32_t{block[4 * i]} << 24) | (std::uint32_t{block[4 * i + 1]} << 16) |
           (std::uint32_t{block[4 * i + 2]} << 8) | std::uint32_t{block[4 * i + 3]};
  }
  for (int i = 16; i < 64; ++i) {
    std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  std::uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int i = 0; i < 64; ++i) {
    std::uint32_t s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    std::uint32_t ch = (e & f) ^ (~e & g);
    std::uint32_t t1 = h + s1 + ch + k_round[i] + w[i];
    std::uint32_t s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    std::uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
    std::uint32_t t2 = s0 + maj;
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

void compress_portable(State& state, const std::uint8_t* blocks, std::size_t count) {
  for (std::size_t b = 0; b < count; ++b) {
    compress(state, blocks + 64 * b);
  }
}

#ifdef PM_SHA256_X86
// The same compression with the SHA extensions (Intel since Goldmont and Ice Lake, AMD since
// Zen): each ledger entry is hashed when it is written and again by pm verify, and an import
// writes 100,000 entries, where the portable code costs about 4,000 instructions a block.
// After the public-domain sha256-x86.c of Jeffrey Walton's SHA-Intrinsics.
__attribute__((target("sha,sse4.1,ssse3"))) void compress_x86(State& state,
                                                              const std::uint8_t* blocks,
                                                              std::size_t count) {
  const __m128i k_byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  // The state as the instructions want it: ABEF and CDGH.
  __m128i tmp = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[0]));
  __m128i state1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[4]));
  tmp = _mm_shuffle_epi32(tmp, 0xB1);                // CDAB
  state1 = _mm_shuffle_epi32(state1, 0x1B);          // EFGH
  __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);  // ABEF
  state1 = _mm_blend_epi16(state1, tmp, 0xF0);       // CDGH
  for (std::size_t b = 0; b < count; ++b, blocks += 64) {
    const __m128i abef = state0;
    const __m128i cdgh = state1;
    __m128i w[4];  // the message schedule, four words at a time, in a ring
#pragma GCC unroll 16
    for (int g = 0; g < 16; ++g) {
      __m128i& words = w[g % 4];
      if (g < 4) {
        words = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks + 16 * g)),
                                 k_byte_swap);
      } else {
        // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], for t = 4g .. 4g+3.
        __m128i sum = _mm_sha256msg1_epu32(words, w[(g + 1) % 4]);
        sum = _mm_add_epi32(sum, _mm_alignr_epi8(w[(g + 3) % 4], w[(g + 2) % 4], 4));
        words = _mm_sha256msg2_epu32(sum, w[(g + 3) % 4]);
      }
      __m128i msg =
          _mm_add_epi32(words, _mm_loadu_si128(reinterpret_cast<const __m128i*>(&k_round[4 * g])));
      state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
      msg = _mm_shuffle_epi32(msg, 0x0E);
      state0 = _mm_sha256rnds2_epu32(state0, state1, msg);
    }
    state0 = _mm_add_epi32(state0, abef);
    state1 = _mm_add_epi32(state1, cdgh);
  }
  tmp = _mm_shuffle_epi32(state0, 0x1B);        // FEBA
  state1 = _mm_shuffle_epi32(state1, 0xB1);     // DCHG
  state0 = _mm_blend_epi16(tmp, state1, 0xF0);  // DCBA
  state1 = _mm_alignr_epi8(state1, tmp, 8);     // ABEF
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[0]), state0);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[4]), state1);
}

bool cpu_has_sha() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) {
    return false;
  }
  bool ssse3_sse41 = (ecx & bit_SSSE3) != 0 && (ecx & bit_SSE4_1) != 0;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) {
    return false;
  }
  return ssse3_sse41 && (ebx & bit_SHA) != 0;
}
#endif

using Compress = void (*)(State&, const std::uint8_t*, std::size_t);

Compress pick_compress() {
#ifdef PM_SHA256_X86
  if (cpu_has_sha()) {
    return compress_x86;
  }
#endif
  return compress_portable;
}

constexpr State k_initial = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                             0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

/// The last blocks: `rest` (< 64) bytes not compressed yet, a 1 bit, zeros, and the length of
/// the whole message in bits; then the digest.
Sha256Digest finish_with(Compress compress_blocks, State& state, const std::uint8_t* rest_bytes,
                         std::size_t rest, std::uint64_t length) {
  std::array<std::uint8_t, 128> tail{};
  for (std::size_t i = 0; i < rest; ++i) {
    tail[i] = rest_bytes[i];
  }
  tail[rest] = 0x80;
  std::size_t blocks = rest + 9 <= 64 ? 1 : 2;
  std::uint64_t bits = length * 8;
  for (int i = 0; i < 8; ++i) {
    tail[blocks * 64 - 1 - static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(bits >> (8 * i));
  }
  compress_blocks(state, tail.data(), blocks);
  Sha256Digest digest{};
  for (std::size_t i = 0; i < 8; ++i) {
    for (std::size_t j = 0; j < 4; ++j) {
      digest[4 * i + j] = static_cast<std::uint8_t>(state[i] >> (24 - 8 * j));
    }
  }
  return digest;
}

Sha256Digest digest_with(Compress compress_blocks, std::string_view data) {
  State state = k_initial;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(data.data());
  std::size_t full = data.size() / 64 * 64;
  compress_blocks(state, bytes, full / 64);
  return finish_with(compress_blocks, state, bytes + full, data.size() - full, data.size());
}

Compress chosen_compress() {
  static const Compress k_compress = pick_compress();
  return k_compress;
}

std::string hex_of(const Sha256Digest& digest) {
  static const char* k_hex = "0123456789abcdef";
  std::string out(64, '0');
  for (std::size_t i = 0; i < digest.size(); ++i) {
    out[2 * i] = k_hex[digest[i] >> 4];
    out[2 * i + 1] = k_hex[digest[i] & 0xF];
  }
  return out;
}

}  // namespace

Sha256Digest sha256(std::string_view data) { return digest_with(chosen_compress(), data); }

Sha256::Sha256() : m_state(k_initial) {}

void Sha256::update(std::string_view data) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(data.data());
  std::size_t size = data.size();
  m_length += size;
  if (m_buffered > 0) {
    std::size_t take = std::min(size, 64 - m_buffered);
    std::copy(bytes, bytes + take, m_block.begin() + static_cast<std::ptrdiff_t>(m_buffered));
    m_buffered += take;
    bytes += take;
    size -= take;
    if (m_buffered < 64) {
      return;
    }
    chosen_compress()(m_state, m_block.data(), 1);
    m_buffered = 0;
  }
  std::size_t full = size / 64;
  if (full > 0) {
    chosen_compress()(m_state, bytes, full);
  }
  std::copy(bytes + 64 * full, bytes + size, m_block.begin());
  m_buffered = size - 64 * full;
}

Sha256Digest Sha256::finish() {
  return finish_with(chosen_compress(), m_state, m_block.data(), m_buffered, m_length);
}

std::string Sha256::finish_hex() { return hex_of(finish()); }

namespace detail {

Sha256Digest sha256_portable(std::string_view data) { return digest_with(compress_portable, data); }

bool sha256_accelerated() {
#ifdef PM_SHA256_X86
  static const bool k_sha = cpu_has_sha();
  return k_sha;
#else
  return false;
#endif
}

}  // namespace detail

std::string sha256_hex(std::string_view data) { return hex_of(sha256(data)); }

}  // namespace pm
