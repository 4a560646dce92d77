#include "cli/seal_cmd.h"

#include <cloison/seal.h>

#include <filesystem>
#include <system_error>

#include "cli/args.h"
#include "service/files.h"

namespace cloison::cli {

const std::string_view kSealUsage = R"(sealing at collection (deferred centralisation, L. 852-3):
  seal --key PUB        seal stdin to the centralising service's public key, to stdout
  seal keygen --out FILE
                        make the centralising service's key pair: FILE (private, 0600)
                        and FILE.pub; prints the public key
  seal open --key FILE  open a sealed item from stdin to stdout (centralising service)
)";

namespace {

int Usage(std::ostream& err, const std::string& what) {
  err << "cloison: " << what << "\nrun 'cloison seal --help' for usage\n";
  return 2;
}

int Fail(std::ostream& err, const std::string& what, const Status& s) {
  err << "cloison " << what << ": " << s.message() << "\n";
  return 1;
}

seal::ByteSink StreamSink(std::ostream& out) {
  return [&out](std::span<const uint8_t> b) {
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    return out ? Status::Ok() : Status::IoError("cannot write the output");
  };
}

// Feeds `in` to `write` in 64 KiB pieces.
template <typename W>
Status Pump(std::istream& in, W&& write) {
  std::vector<uint8_t> buf(64 * 1024);
  while (in) {
    in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(buf.size()));
    std::streamsize n = in.gcount();
    if (n > 0) RETURN_IF_ERROR(write(std::span<const uint8_t>(buf.data(), static_cast<size_t>(n))));
  }
  if (in.bad()) return Status::IoError("cannot read the input");
  return Status::Ok();
}

int SealCmd(const Args& a, std::istream& in, std::ostream& out, std::ostream& err) {
  if (!a.has("--key")) return Usage(err, "seal: --key PUB is required");
  auto text = service::ReadWholeFile(a.get("--key"));
  if (!text.ok()) return Fail(err, "seal", text.status());
  auto key = seal::ParsePublicKey(*text);
  if (!key.ok()) return Fail(err, "seal", Status::InvalidArgument(a.get("--key") + ": " + key.status().message()));
  auto s = seal::SealStream::Create(*key, StreamSink(out));
  if (!s.ok()) return Fail(err, "seal", s.status());
  Status st = Pump(in, [&](std::span<const uint8_t> b) { return (*s)->Write(b); });
  if (st.ok()) st = (*s)->Finish();
  out.flush();
  if (!st.ok()) return Fail(err, "seal", st);
  return 0;
}

int Keygen(const Args& a, std::ostream& out, std::ostream& err) {
  if (!a.has("--out")) return Usage(err, "seal keygen: --out FILE is required");
  std::string path = a.get("--out");
  std::error_code ec;
  for (const std::string& p : {path, path + ".pub"})
    if (std::filesystem::exists(p, ec))
      return Fail(err, "seal keygen", Status::AlreadyExists(p + ": exists; not overwriting a key"));
  seal::KeyPair kp = seal::GenerateKeyPair();
  std::string secret = seal::EncodePrivateKey(kp) + "\n";
  Status s = service::WriteFileAtomically(path, secret, 0600);
  crypto::WipeString(secret);
  if (!s.ok()) return Fail(err, "seal keygen", s);
  std::string pub = seal::EncodePublicKey(kp.public_key) + "\n";
  s = service::WriteFileAtomically(path + ".pub", pub, 0644);
  if (!s.ok()) return Fail(err, "seal keygen", s);
  out << pub;
  return 0;
}

int OpenCmd(const Args& a, std::istream& in, std::ostream& out, std::ostream& err) {
  if (!a.has("--key")) return Usage(err, "seal open: --key FILE is required");
  auto text = service::ReadWholeFile(a.get("--key"));
  if (!text.ok()) return Fail(err, "seal open", text.status());
  auto kp = seal::ParsePrivateKey(*text);
  crypto::WipeString(*text);
  if (!kp.ok()) return Fail(err, "seal open", Status::InvalidArgument(a.get("--key") + ": " + kp.status().message()));
  auto o = seal::OpenStream::Create(*kp, StreamSink(out));
  if (!o.ok()) return Fail(err, "seal open", o.status());
  Status st = Pump(in, [&](std::span<const uint8_t> b) { return (*o)->Write(b); });
  if (st.ok()) st = (*o)->Finish();
  out.flush();
  if (!st.ok()) return Fail(err, "seal open", st);
  return 0;
}

}  // namespace

int RunSealCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                   std::ostream& err) {
  const std::string sub = args.size() > 1 ? args[1] : "";
  auto check = [&](const Args& a) -> int {
    if (!a.error.empty()) return Usage(err, a.error);
    if (a.has("--help")) return out << kSealUsage, 0;
    if (!a.positional.empty()) return Usage(err, "seal: unexpected argument \"" + a.positional[0] + "\"");
    return -1;
  };
  if (sub == "keygen") {
    Args a = ParseArgs(args, 2, {"--out"}, {});
    if (int rc = check(a); rc >= 0) return rc;
    return Keygen(a, out, err);
  }
  if (sub == "open") {
    Args a = ParseArgs(args, 2, {"--key"}, {});
    if (int rc = check(a); rc >= 0) return rc;
    return OpenCmd(a, in, out, err);
  }
  Args a = ParseArgs(args, 1, {"--key"}, {});
  if (int rc = check(a); rc >= 0) return rc;
  return SealCmd(a, in, out, err);
}

}  // namespace cloison::cli
