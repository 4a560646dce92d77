// Fuzzes sealed-item decoding (include/cloison/seal.h,
// doc/formats/sealed-item.md) with a fixed recipient key: any bytes give
// content or a clean error, never a crash, in one piece or streamed, and the
// two agree. The key text parsers never crash either.
#include <cloison/seal.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace seal = cloison::seal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const seal::KeyPair kRecipient = [] {
    // The frozen fixture's recipient: private key bytes 40 41 .. 5f.
    std::string text = "cloison-seal-private-v1 ";
    static const char* kHex = "0123456789abcdef";
    for (int i = 0; i < 32; ++i) {
      text += kHex[(0x40 + i) >> 4];
      text += kHex[(0x40 + i) & 15];
    }
    return std::move(seal::ParsePrivateKey(text)).value();
  }();
  std::span<const uint8_t> in(data, size);
  auto whole = seal::Open(kRecipient, in);

  std::vector<uint8_t> streamed;
  auto o = seal::OpenStream::Create(kRecipient, [&](std::span<const uint8_t> b) {
    streamed.insert(streamed.end(), b.begin(), b.end());
    return cloison::Status::Ok();
  });
  if (!o.ok()) __builtin_trap();
  cloison::Status s;
  for (size_t pos = 0; pos < size && s.ok(); pos += 13)
    s = (*o)->Write(in.subspan(pos, std::min<size_t>(13, size - pos)));
  if (s.ok()) s = (*o)->Finish();
  if (s.ok() != whole.ok()) __builtin_trap();
  if (whole.ok() && *whole != streamed) __builtin_trap();

  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)seal::ParsePublicKey(text);
  auto priv = seal::ParsePrivateKey(text);
  (void)priv;
  return 0;
}
