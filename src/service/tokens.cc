#include "service/tokens.h"

#include <array>

#include "crypto/random.h"
#include "crypto/secret.h"
#include "crypto/sha256.h"
#include "service/event.h"

namespace cloison::service {
namespace {

constexpr const char* kToken = "token";
constexpr const char* kPrincipal = "principal";
constexpr const char* kActive = "active";
constexpr const char* kRevoked = "revoked";
constexpr size_t kTokenBytes = 32;

bool IsHex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string HashId(std::string_view token) {
  return crypto::Hex(crypto::Sha256(token));
}

}  // namespace

Result<std::string> Tokens::Issue(const Principal& principal, Duration lifetime) {
  if (principal.id.empty()) return Status::InvalidArgument("principal: missing id");
  if (lifetime <= Duration::zero()) return Status::InvalidArgument("lifetime: want > 0");
  crypto::SecretBytes raw(kTokenBytes);
  RETURN_IF_ERROR(crypto::RandomBytes(raw.mutable_view()));
  std::string token = std::string(kTokenPrefix) + crypto::Hex(raw.view());

  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  Time now = clock_.Now();
  auto who = tx->Get(kPrincipal, principal.id);
  if (!who.ok()) {
    crypto::WipeString(token);
    if (who.status().code() == Code::kNotFound)
      return Status::NotFound("principal: no principal " + principal.id);
    return who.status();
  }
  store::Record rec;
  rec.kind = kToken;
  rec.id = HashId(token);
  rec.state = kActive;
  rec.starts_at = ToMicros(now);
  rec.ends_at = ToMicros(now + lifetime);
  rec.body = principal.id;
  Status s = tx->Put(rec);
  if (s.ok()) {
    s = AppendEvent(*tx, clock_, now, {"token.issued", "system", principal.id}, rec,
                    {{"principal", principal.id}, {"expires_at", FormatTime(now + lifetime)}})
            .status();
  }
  if (s.ok()) s = tx->Commit();
  if (!s.ok()) {
    crypto::WipeString(token);
    return s;
  }
  return token;
}

Result<int> Tokens::RevokeAll(const std::string& principal_id, const std::string& actor) {
  if (principal_id.empty()) return Status::InvalidArgument("principal: missing id");
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  Time now = clock_.Now();
  auto who = tx->Get(kPrincipal, principal_id);
  if (!who.ok()) {
    if (who.status().code() == Code::kNotFound)
      return Status::NotFound("principal: no principal " + principal_id);
    return who.status();
  }
  ASSIGN_OR_RETURN(int revoked, RevokeAllIn(*tx, clock_, now, principal_id, actor));
  RETURN_IF_ERROR(tx->Commit());
  return revoked;
}

Result<int> Tokens::RevokeAllIn(store::WriteTx& tx, const Clock& clock, Time now,
                                const std::string& principal_id, const std::string& actor) {
  // Token records are indexed by hash only; a principal holds a handful, and
  // revocation is rare, so the active ones are scanned.
  store::Filter f;
  f.kind = kToken;
  f.states = {kActive};
  ASSIGN_OR_RETURN(auto recs, tx.List(f));
  int revoked = 0;
  for (store::Record rec : recs) {
    if (rec.body != principal_id) continue;
    rec.state = kRevoked;
    RETURN_IF_ERROR(tx.Put(rec));
    RETURN_IF_ERROR(AppendEvent(tx, clock, now, {"token.revoked", actor, principal_id}, rec,
                                {{"principal", principal_id},
                                 {"issued_at", FormatTime(FromMicros(rec.starts_at))},
                                 {"expires_at", FormatTime(FromMicros(rec.ends_at))}})
                        .status());
    ++revoked;
  }
  return revoked;
}

bool Tokens::WellFormed(std::string_view token) {
  return token.size() == kTokenPrefix.size() + 2 * kTokenBytes &&
         token.substr(0, kTokenPrefix.size()) == kTokenPrefix &&
         IsHex(token.substr(kTokenPrefix.size()));
}

Result<std::string> Tokens::Resolve(std::string_view token) const {
  if (!WellFormed(token)) return Status::NotFound("token: malformed");
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  return ResolveIn(*tx, clock_.Now(), token);
}

Result<std::string> Tokens::ResolveIn(store::ReadTx& tx, Time now, std::string_view token,
                                      int64_t* ends_at) {
  if (!WellFormed(token)) return Status::NotFound("token: malformed");
  auto rec = tx.Get(kToken, HashId(token));
  if (!rec.ok()) {
    if (rec.status().code() == Code::kNotFound) return Status::NotFound("token: unknown");
    return rec.status();
  }
  if (rec->state != kActive) return Status::FailedPrecondition("token: revoked");
  if (ToMicros(now) >= rec->ends_at)
    return Status::FailedPrecondition("token: expired at " + FormatTime(FromMicros(rec->ends_at)));
  if (ends_at != nullptr) *ends_at = rec->ends_at;
  return rec->body;
}

}  // namespace cloison::service
