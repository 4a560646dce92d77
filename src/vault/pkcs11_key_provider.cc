#include "vault/pkcs11_key_provider.h"

#include <dlfcn.h>
#include <p11-kit-1/p11-kit/pkcs11.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>

#include "crypto/random.h"

namespace cloison::vault {
namespace {

std::string Rv(CK_RV rv) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "CKR 0x%lx", static_cast<unsigned long>(rv));
  return buf;
}

// A loaded and initialised module, shared by every provider that names the
// same path: C_Initialize may be called once per process, and C_Finalize
// must wait for the last user.
struct Module {
  void* handle = nullptr;
  CK_FUNCTION_LIST_PTR fns = nullptr;
  int refs = 0;
};

std::mutex& ModulesMu() {
  static std::mutex mu;
  return mu;
}
std::map<std::string, Module>& Modules() {
  static std::map<std::string, Module> m;
  return m;
}

Result<CK_FUNCTION_LIST_PTR> Acquire(const std::string& path) {
  std::lock_guard<std::mutex> lock(ModulesMu());
  Module& m = Modules()[path];
  if (m.refs > 0) {
    ++m.refs;
    return m.fns;
  }
  void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (h == nullptr) {
    Modules().erase(path);
    const char* e = ::dlerror();
    return Status::IoError("pkcs11: cannot load module " + path + ": " + (e ? e : "?"));
  }
  auto get = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(h, "C_GetFunctionList"));
  CK_FUNCTION_LIST_PTR fns = nullptr;
  if (get == nullptr || get(&fns) != CKR_OK || fns == nullptr) {
    ::dlclose(h);
    Modules().erase(path);
    return Status::IoError("pkcs11: " + path + " has no usable C_GetFunctionList");
  }
  CK_C_INITIALIZE_ARGS args{};
  args.flags = CKF_OS_LOCKING_OK;
  CK_RV rv = fns->C_Initialize(&args);
  if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
    ::dlclose(h);
    Modules().erase(path);
    return Status::IoError("pkcs11: C_Initialize failed for " + path + ": " + Rv(rv));
  }
  m.handle = h;
  m.fns = fns;
  m.refs = 1;
  return fns;
}

void Release(const std::string& path) {
  std::lock_guard<std::mutex> lock(ModulesMu());
  auto it = Modules().find(path);
  if (it == Modules().end() || --it->second.refs > 0) return;
  it->second.fns->C_Finalize(nullptr);
  ::dlclose(it->second.handle);
  Modules().erase(it);
}

// CK_UTF8CHAR[32] labels are padded with spaces.
std::string TrimLabel(const unsigned char* p, size_t n) {
  std::string s(reinterpret_cast<const char*>(p), n);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

}  // namespace

struct Pkcs11KeyProvider::Impl {
  std::string path;
  std::string token_label;
  std::string key_label;
  CK_FUNCTION_LIST_PTR fns = nullptr;
  CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
  std::mutex mu;  // guards session and keys: PKCS#11 sessions are single-threaded
  std::map<uint32_t, CK_OBJECT_HANDLE> keys;  // epoch -> root key object

  std::string LabelOf(uint32_t epoch) const { return key_label + "." + std::to_string(epoch); }
  // "<key_label>.<epoch>" -> epoch; 0 for any other label.
  uint32_t EpochOfLabel(const std::string& label) const {
    if (label.size() <= key_label.size() + 1 ||
        label.compare(0, key_label.size(), key_label) != 0 || label[key_label.size()] != '.')
      return 0;
    uint64_t e = 0;
    for (size_t i = key_label.size() + 1; i < label.size(); ++i) {
      char c = label[i];
      if (c < '0' || c > '9' || e > 100000000) return 0;
      e = e * 10 + static_cast<uint64_t>(c - '0');
    }
    return static_cast<uint32_t>(e);
  }

  ~Impl() {
    if (fns != nullptr) {
      if (session != CK_INVALID_HANDLE) {
        fns->C_Logout(session);
        fns->C_CloseSession(session);
      }
      Release(path);
    }
  }

  Result<CK_SLOT_ID> FindSlot() {
    CK_ULONG count = 0;
    CK_RV rv = fns->C_GetSlotList(CK_TRUE, nullptr, &count);
    if (rv != CKR_OK) return Status::IoError("pkcs11: C_GetSlotList: " + Rv(rv));
    std::vector<CK_SLOT_ID> slots(count);
    rv = fns->C_GetSlotList(CK_TRUE, slots.data(), &count);
    if (rv != CKR_OK) return Status::IoError("pkcs11: C_GetSlotList: " + Rv(rv));
    slots.resize(count);
    for (CK_SLOT_ID slot : slots) {
      CK_TOKEN_INFO info{};
      if (fns->C_GetTokenInfo(slot, &info) != CKR_OK) continue;
      if (TrimLabel(info.label, sizeof info.label) == token_label) return slot;
    }
    return Status::NotFound("pkcs11: no token labelled '" + token_label + "' in " + path);
  }

  // Every secret key whose label is "<key_label>.<epoch>", by epoch.
  // FailedPrecondition when two carry the same epoch.
  Status ScanKeys() {
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof cls}};
    CK_RV rv = fns->C_FindObjectsInit(session, tmpl, 1);
    if (rv != CKR_OK) return Status::IoError("pkcs11: C_FindObjectsInit: " + Rv(rv));
    std::vector<CK_OBJECT_HANDLE> found;
    for (;;) {
      CK_OBJECT_HANDLE batch[64];
      CK_ULONG n = 0;
      rv = fns->C_FindObjects(session, batch, 64, &n);
      if (rv != CKR_OK) break;
      found.insert(found.end(), batch, batch + n);
      if (n < 64) break;
    }
    fns->C_FindObjectsFinal(session);
    if (rv != CKR_OK) return Status::IoError("pkcs11: C_FindObjects: " + Rv(rv));
    keys.clear();
    for (CK_OBJECT_HANDLE h : found) {
      char label[256] = {0};
      CK_ATTRIBUTE a = {CKA_LABEL, label, sizeof label - 1};
      if (fns->C_GetAttributeValue(session, h, &a, 1) != CKR_OK) continue;
      uint32_t epoch = EpochOfLabel(std::string(label, a.ulValueLen));
      if (epoch == 0) continue;
      if (!keys.emplace(epoch, h).second)
        return Status::FailedPrecondition("pkcs11: several keys labelled '" + LabelOf(epoch) +
                                          "', want one");
    }
    return Status::Ok();
  }

  Status Generate(uint32_t epoch) {
    std::string label = LabelOf(epoch);
    CK_OBJECT_HANDLE key = CK_INVALID_HANDLE;
    CK_MECHANISM mech{CKM_AES_KEY_GEN, nullptr, 0};
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE type = CKK_AES;
    CK_ULONG len = 32;
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_ATTRIBUTE tmpl[] = {
        {CKA_CLASS, &cls, sizeof cls},     {CKA_KEY_TYPE, &type, sizeof type},
        {CKA_VALUE_LEN, &len, sizeof len}, {CKA_LABEL, label.data(), label.size()},
        {CKA_TOKEN, &yes, sizeof yes},     {CKA_PRIVATE, &yes, sizeof yes},
        {CKA_SENSITIVE, &yes, sizeof yes}, {CKA_EXTRACTABLE, &no, sizeof no},
        {CKA_ENCRYPT, &yes, sizeof yes},   {CKA_DECRYPT, &yes, sizeof yes},
    };
    CK_RV rv = fns->C_GenerateKey(session, &mech, tmpl, sizeof tmpl / sizeof tmpl[0], &key);
    if (rv != CKR_OK) return Status::IoError("pkcs11: C_GenerateKey: " + Rv(rv));
    keys[epoch] = key;
    return Status::Ok();
  }

  // A key found by label must be what Generate would have made.
  Status CheckKey(uint32_t epoch, CK_OBJECT_HANDLE key) {
    CK_KEY_TYPE type = 0;
    CK_ULONG len = 0;
    CK_BBOOL extractable = CK_TRUE, sensitive = CK_FALSE;
    CK_ATTRIBUTE tmpl[] = {
        {CKA_KEY_TYPE, &type, sizeof type},
        {CKA_VALUE_LEN, &len, sizeof len},
        {CKA_EXTRACTABLE, &extractable, sizeof extractable},
        {CKA_SENSITIVE, &sensitive, sizeof sensitive},
    };
    CK_RV rv = fns->C_GetAttributeValue(session, key, tmpl, 4);
    if (rv != CKR_OK) return Status::IoError("pkcs11: C_GetAttributeValue: " + Rv(rv));
    std::string what = "pkcs11: key '" + LabelOf(epoch) + "'";
    if (type != CKK_AES || len != 32)
      return Status::FailedPrecondition(what + ": not an AES-256 key");
    if (extractable != CK_FALSE || sensitive != CK_TRUE)
      return Status::FailedPrecondition(what +
                                        ": extractable or not sensitive, want a key "
                                        "that never leaves the token");
    return Status::Ok();
  }

  // Called with mu held.
  Result<CK_OBJECT_HANDLE> Key(uint32_t epoch) {
    auto it = keys.find(epoch);
    if (it == keys.end())
      return Status::NotFound("pkcs11: no root key '" + LabelOf(epoch) + "' on token '" +
                              token_label + "'");
    return it->second;
  }

  Status Gcm(uint32_t epoch, bool encrypt, std::span<const uint8_t> nonce,
             const std::vector<uint8_t>& aad, std::span<const uint8_t> in, std::span<uint8_t> out) {
    CK_GCM_PARAMS params{};
    params.pIv = const_cast<CK_BYTE_PTR>(nonce.data());
    params.ulIvLen = nonce.size();
    params.ulIvBits = nonce.size() * 8;
    params.pAAD = const_cast<CK_BYTE_PTR>(aad.data());
    params.ulAADLen = aad.size();
    params.ulTagBits = 128;
    CK_MECHANISM mech{CKM_AES_GCM, &params, sizeof params};
    std::lock_guard<std::mutex> lock(mu);
    ASSIGN_OR_RETURN(CK_OBJECT_HANDLE key, Key(epoch));
    CK_RV rv =
        encrypt ? fns->C_EncryptInit(session, &mech, key) : fns->C_DecryptInit(session, &mech, key);
    if (rv != CKR_OK)
      return Status::IoError("pkcs11: C_" + std::string(encrypt ? "En" : "De") +
                             "cryptInit: " + Rv(rv));
    // Tokens may ask for more room than the result needs (SoftHSM2 wants the
    // input size plus a tag even when decrypting): give it, then copy.
    crypto::SecretBytes buf(in.size() + 16);
    CK_ULONG outl = buf.size();
    rv = encrypt ? fns->C_Encrypt(session, const_cast<CK_BYTE_PTR>(in.data()), in.size(),
                                  buf.mutable_view().data(), &outl)
                 : fns->C_Decrypt(session, const_cast<CK_BYTE_PTR>(in.data()), in.size(),
                                  buf.mutable_view().data(), &outl);
    if (rv != CKR_OK) {
      if (!encrypt) return Status::Corruption("authentication failed (" + Rv(rv) + ")");
      return Status::IoError("pkcs11: C_Encrypt: " + Rv(rv));
    }
    if (outl != out.size())
      return Status::Internal("pkcs11: unexpected output size " + std::to_string(outl) + ", want " +
                              std::to_string(out.size()));
    std::copy_n(buf.view().begin(), outl, out.begin());
    return Status::Ok();
  }
};

Pkcs11KeyProvider::Pkcs11KeyProvider(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Pkcs11KeyProvider::~Pkcs11KeyProvider() = default;

Result<std::unique_ptr<Pkcs11KeyProvider>> Pkcs11KeyProvider::Open(const Pkcs11Options& options,
                                                                   const crypto::SecretBytes& pin) {
  if (options.token_label.empty() || options.token_label.size() > 32)
    return Status::InvalidArgument("pkcs11 token label: want 1..32 characters");
  if (options.key_label.empty()) return Status::InvalidArgument("pkcs11 key label: empty");
  auto impl = std::make_unique<Impl>();
  impl->path = options.module_path;
  impl->token_label = options.token_label;
  impl->key_label = options.key_label;
  ASSIGN_OR_RETURN(impl->fns, Acquire(options.module_path));
  ASSIGN_OR_RETURN(CK_SLOT_ID slot, impl->FindSlot());
  CK_RV rv = impl->fns->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr,
                                      &impl->session);
  if (rv != CKR_OK) {
    impl->session = CK_INVALID_HANDLE;
    return Status::IoError("pkcs11: C_OpenSession: " + Rv(rv));
  }
  rv = impl->fns->C_Login(impl->session, CKU_USER, const_cast<CK_UTF8CHAR_PTR>(pin.view().data()),
                          pin.size());
  if (rv == CKR_PIN_INCORRECT || rv == CKR_PIN_INVALID || rv == CKR_PIN_LEN_RANGE ||
      rv == CKR_PIN_LOCKED)
    return Status::PermissionDenied("pkcs11: PIN refused by token '" + options.token_label + "' (" +
                                    Rv(rv) + ")");
  if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN)
    return Status::IoError("pkcs11: C_Login: " + Rv(rv));
  RETURN_IF_ERROR(impl->ScanKeys());
  if (impl->keys.empty()) {
    if (!options.generate_if_missing)
      return Status::NotFound("pkcs11: no key labelled '" + options.key_label +
                              ".<epoch>' on token '" + options.token_label + "'");
    RETURN_IF_ERROR(impl->Generate(1));
  }
  for (const auto& [epoch, key] : impl->keys) RETURN_IF_ERROR(impl->CheckKey(epoch, key));
  return std::unique_ptr<Pkcs11KeyProvider>(new Pkcs11KeyProvider(std::move(impl)));
}

std::string Pkcs11KeyProvider::Name() const {
  return "pkcs11:" + impl_->token_label + "/" + impl_->key_label;
}

Result<std::vector<uint32_t>> Pkcs11KeyProvider::RootEpochs() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  RETURN_IF_ERROR(impl_->ScanKeys());
  std::vector<uint32_t> out;
  for (const auto& [epoch, key] : impl_->keys) out.push_back(epoch);
  return out;
}

Status Pkcs11KeyProvider::CreateRoot(uint32_t epoch) {
  if (epoch == 0) return Status::InvalidArgument("epoch: got 0, want >= 1");
  std::lock_guard<std::mutex> lock(impl_->mu);
  RETURN_IF_ERROR(impl_->ScanKeys());
  if (impl_->keys.count(epoch) != 0)
    return Status::AlreadyExists("pkcs11: key '" + impl_->LabelOf(epoch) + "' exists");
  return impl_->Generate(epoch);
}

Status Pkcs11KeyProvider::DestroyRoot(uint32_t epoch) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  RETURN_IF_ERROR(impl_->ScanKeys());
  ASSIGN_OR_RETURN(CK_OBJECT_HANDLE key, impl_->Key(epoch));
  CK_RV rv = impl_->fns->C_DestroyObject(impl_->session, key);
  if (rv != CKR_OK) return Status::IoError("pkcs11: C_DestroyObject: " + Rv(rv));
  impl_->keys.erase(epoch);
  return Status::Ok();
}

Result<std::vector<uint8_t>> Pkcs11KeyProvider::WrapUnder(uint32_t epoch,
                                                          std::span<const uint8_t> key,
                                                          std::string_view context) {
  RETURN_IF_ERROR(CheckWrapInput(key));
  std::vector<uint8_t> out(kRootWrapOverhead + key.size());
  out[0] = kRootWrapVersion;
  std::span<uint8_t> nonce(out.data() + 1, 12);
  RETURN_IF_ERROR(crypto::RandomBytes(nonce));
  RETURN_IF_ERROR(
      impl_->Gcm(epoch, true, nonce, RootWrapAad(context), key, std::span(out).subspan(13)));
  return out;
}

Result<crypto::SecretBytes> Pkcs11KeyProvider::UnwrapUnder(uint32_t epoch,
                                                           std::span<const uint8_t> wrapped,
                                                           std::string_view context) {
  RETURN_IF_ERROR(CheckUnwrapInput(wrapped));
  crypto::SecretBytes key(wrapped.size() - kRootWrapOverhead);
  Status s = impl_->Gcm(epoch, false, wrapped.subspan(1, 12), RootWrapAad(context),
                        wrapped.subspan(13), key.mutable_view());
  if (s.code() == Code::kCorruption)
    return Status::Corruption("unwrap: wrapped key does not open with " + Name() + " epoch " +
                              std::to_string(epoch) + " for context '" + std::string(context) +
                              "': " + s.message());
  RETURN_IF_ERROR(s);
  return key;
}

}  // namespace cloison::vault
