#include "crypto/sha256_ni.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define CLOISON_SHA_NI 1
#else
#define CLOISON_SHA_NI 0
#endif

namespace cloison::crypto::internal {
namespace {

#if CLOISON_SHA_NI

// FIPS 180-4 5.3.3: the initial hash value.
constexpr uint32_t kInitial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

// FIPS 180-4 4.2.2: the 64 round constants, four per group of rounds.
alignas(16) constexpr uint32_t kRound[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define CLOISON_SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))
#define CLOISON_SHA_INLINE CLOISON_SHA_TARGET __attribute__((always_inline)) inline

// The instructions keep the eight words in two registers, {A,B,E,F} and
// {C,D,G,H} (highest lane first in the comments below); the state array and
// the digest hold them in order, A first.
struct State {
  __m128i abef;
  __m128i cdgh;
};

// Big-endian words: reverse the bytes of each 32-bit lane.
CLOISON_SHA_INLINE __m128i ByteSwapMask() {
  return _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
}

CLOISON_SHA_INLINE __m128i LoadWords(const uint8_t* p) {
  return _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), ByteSwapMask());
}

CLOISON_SHA_INLINE State ToState(__m128i abcd, __m128i efgh) {  // d c b a, h g f e
  abcd = _mm_shuffle_epi32(abcd, 0xB1);                         // c d a b
  efgh = _mm_shuffle_epi32(efgh, 0x1B);                         // e f g h
  return {_mm_alignr_epi8(abcd, efgh, 8),                       // a b e f
          _mm_blend_epi16(efgh, abcd, 0xF0)};                   // c d g h
}

// Back to d c b a and h g f e.
CLOISON_SHA_INLINE void FromState(const State& s, __m128i& abcd, __m128i& efgh) {
  const __m128i feba = _mm_shuffle_epi32(s.abef, 0x1B);  // f e b a
  const __m128i dchg = _mm_shuffle_epi32(s.cdgh, 0xB1);  // d c h g
  abcd = _mm_blend_epi16(feba, dchg, 0xF0);              // d c b a
  efgh = _mm_alignr_epi8(dchg, feba, 8);                 // h g f e
}

CLOISON_SHA_INLINE State InitialState() {
  return ToState(_mm_loadu_si128(reinterpret_cast<const __m128i*>(kInitial)),
                 _mm_loadu_si128(reinterpret_cast<const __m128i*>(kInitial + 4)));
}

// One block (FIPS 180-4 6.2.2) given its sixteen message words, already
// big-endian decoded, four per register.
CLOISON_SHA_INLINE void Block(State& s, __m128i w0, __m128i w1, __m128i w2, __m128i w3) {
  const State in = s;
  // w[j % 4] holds message words 4j..4j+3 of the schedule (step 1),
  // computed four at a time from the previous sixteen.
  __m128i w[4] = {w0, w1, w2, w3};
#pragma GCC unroll 16
  for (int g = 0; g < 16; ++g) {
    if (g >= 4) {
      // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16] for t = 4g..4g+3:
      // msg1 adds s0 of words 4g-15..4g-12 to words 4g-16..4g-13, alignr
      // picks words 4g-7..4g-4, and msg2 adds s1 of the two words before
      // each (the last two of them computed in the same step).
      __m128i t = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);
      t = _mm_add_epi32(t, _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4));
      w[g & 3] = _mm_sha256msg2_epu32(t, w[(g + 3) & 3]);
    }
    __m128i wk =
        _mm_add_epi32(w[g & 3], _mm_load_si128(reinterpret_cast<const __m128i*>(kRound + 4 * g)));
    // Two rounds on the low two words, two on the high two; after each pair
    // the old {A,B,E,F} is the new {C,D,G,H}.
    s.cdgh = _mm_sha256rnds2_epu32(s.cdgh, s.abef, wk);
    wk = _mm_shuffle_epi32(wk, 0x0E);
    s.abef = _mm_sha256rnds2_epu32(s.abef, s.cdgh, wk);
  }
  s.abef = _mm_add_epi32(s.abef, in.abef);
  s.cdgh = _mm_add_epi32(s.cdgh, in.cdgh);
}

CLOISON_SHA_INLINE void Blocks(State& s, const uint8_t* p, size_t count) {
  for (size_t b = 0; b < count; ++b, p += 64) {
    Block(s, LoadWords(p), LoadWords(p + 16), LoadWords(p + 32), LoadWords(p + 48));
  }
}

CLOISON_SHA_INLINE Digest Output(const State& s) {
  __m128i abcd, efgh;
  FromState(s, abcd, efgh);
  Digest out;
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out.data()), _mm_shuffle_epi8(abcd, ByteSwapMask()));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out.data() + 16),
                   _mm_shuffle_epi8(efgh, ByteSwapMask()));
  return out;
}

CLOISON_SHA_TARGET void Compress(uint32_t state[8], const uint8_t* blocks, size_t count) {
  State s = ToState(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)),
                    _mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4)));
  Blocks(s, blocks, count);
  __m128i abcd, efgh;
  FromState(s, abcd, efgh);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), abcd);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), efgh);
}

// FIPS 180-4 5.1.1: a one bit, zeros, then the length in bits (64-bit
// big-endian) ending the last block; a second block when fewer than 9 bytes
// are left in the first. `buffer` holds `used` (< 64) bytes not yet hashed.
CLOISON_SHA_INLINE Digest Finish(State& s, uint8_t (&buffer)[128], size_t used, uint64_t total) {
  buffer[used++] = 0x80;
  const size_t blocks = used + 8 <= 64 ? 1 : 2;
  std::memset(buffer + used, 0, blocks * 64 - 8 - used);
  uint64_t bits = total * 8;
  for (int i = 7; i >= 0; --i, bits >>= 8) buffer[blocks * 64 - 8 + i] = static_cast<uint8_t>(bits);
  Blocks(s, buffer, blocks);
  return Output(s);
}

CLOISON_SHA_TARGET Digest Parts(std::initializer_list<std::span<const uint8_t>> parts) {
  State s = InitialState();
  // Bytes not yet hashed (fewer than 64), with room for the padding.
  uint8_t buffer[128];
  size_t used = 0;
  uint64_t total = 0;
  for (std::span<const uint8_t> part : parts) {
    const uint8_t* p = part.data();
    size_t n = part.size();
    total += n;
    if (used > 0 && n > 0) {
      const size_t take = n < 64 - used ? n : 64 - used;
      std::memcpy(buffer + used, p, take);
      used += take;
      p += take;
      n -= take;
      if (used == 64) {
        Blocks(s, buffer, 1);
        used = 0;
      }
    }
    if (n >= 64) {
      Blocks(s, p, n / 64);
      p += n / 64 * 64;
      n %= 64;
    }
    if (n > 0) {  // then used == 0: the buffer was empty or just hashed
      std::memcpy(buffer, p, n);
      used = n;
    }
  }
  return Finish(s, buffer, used, total);
}

// prefix || data: the first block is the prefix then data[0..62], shifted in
// registers; the next ones are read from data in place, so nothing is
// gathered but the last partial block.
CLOISON_SHA_TARGET Digest Prefixed(uint8_t prefix, const uint8_t* p, size_t n) {
  State s = InitialState();
  const uint64_t total = uint64_t{n} + 1;
  uint8_t buffer[128];
  size_t used = 0;
  if (n >= 63) {
    const __m128i first = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    Block(s, _mm_shuffle_epi8(_mm_insert_epi8(_mm_slli_si128(first, 1), prefix, 0), ByteSwapMask()),
          LoadWords(p + 15), LoadWords(p + 31), LoadWords(p + 47));
    p += 63;
    n -= 63;
    Blocks(s, p, n / 64);
    p += n / 64 * 64;
    n %= 64;
  } else {
    buffer[used++] = prefix;
  }
  if (n > 0) std::memcpy(buffer + used, p, n);
  return Finish(s, buffer, used + n, total);
}

// prefix || left || right is 65 bytes, two blocks with the padding: built in
// registers (each 16-byte row shifted by the prefix byte) rather than
// gathered in memory.
CLOISON_SHA_TARGET Digest Pair(uint8_t prefix, const Digest& left, const Digest& right) {
  const __m128i l0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(left.data()));
  const __m128i l1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(left.data() + 16));
  const __m128i r0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(right.data()));
  const __m128i r1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(right.data() + 16));
  const __m128i swap = ByteSwapMask();
  State s = InitialState();
  // Bytes 0..63: prefix, left[0..31], right[0..30].
  Block(s, _mm_shuffle_epi8(_mm_insert_epi8(_mm_slli_si128(l0, 1), prefix, 0), swap),
        _mm_shuffle_epi8(_mm_alignr_epi8(l1, l0, 15), swap),
        _mm_shuffle_epi8(_mm_alignr_epi8(r0, l1, 15), swap),
        _mm_shuffle_epi8(_mm_alignr_epi8(r1, r0, 15), swap));
  // Bytes 64..127: right[31], 0x80, zeros, then the length, 520 bits.
  const __m128i tail = _mm_or_si128(_mm_srli_si128(r1, 15), _mm_cvtsi32_si128(0x8000));
  Block(s, _mm_shuffle_epi8(tail, swap), _mm_setzero_si128(), _mm_setzero_si128(),
        _mm_set_epi32(65 * 8, 0, 0, 0));
  return Output(s);
}

bool DetectShaNi() {
  unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return false;
  const bool ssse3 = (ecx & bit_SSSE3) != 0;
  const bool sse41 = (ecx & bit_SSE4_1) != 0;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return false;
  const bool sha = (ebx & (1u << 29)) != 0;  // CPUID.(EAX=7,ECX=0):EBX.SHA[bit 29]
  return ssse3 && sse41 && sha;
}

#endif  // CLOISON_SHA_NI

// Unreachable when callers check HasShaNi() first, as they must.
[[maybe_unused, noreturn]] void NoShaNi() {
  std::fprintf(stderr, "crypto: SHA-NI routine called on a build or CPU without it\n");
  std::abort();
}

}  // namespace

bool HasShaNi() {
#if CLOISON_SHA_NI
  static const bool has = DetectShaNi();
  return has;
#else
  return false;
#endif
}

void ShaNiBlocks(uint32_t state[8], const uint8_t* blocks, size_t count) {
#if CLOISON_SHA_NI
  Compress(state, blocks, count);
#else
  (void)state, (void)blocks, (void)count;
  NoShaNi();
#endif
}

Digest ShaNiParts(std::initializer_list<std::span<const uint8_t>> parts) {
#if CLOISON_SHA_NI
  return Parts(parts);
#else
  (void)parts;
  NoShaNi();
#endif
}

Digest ShaNiPrefixed(uint8_t prefix, std::span<const uint8_t> data) {
#if CLOISON_SHA_NI
  return Prefixed(prefix, data.data(), data.size());
#else
  (void)prefix, (void)data;
  NoShaNi();
#endif
}

Digest ShaNiPair(uint8_t prefix, const Digest& left, const Digest& right) {
#if CLOISON_SHA_NI
  return Pair(prefix, left, right);
#else
  (void)prefix, (void)left, (void)right;
  NoShaNi();
#endif
}

}  // namespace cloison::crypto::internal
