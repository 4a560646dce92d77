#include "service/certificates.h"

#include <array>
#include <boost/json.hpp>
#include <chrono>

#include "crypto/sha256.h"
#include "service/codec.h"
#include "service/event.h"
#include "service/tokens.h"

namespace cloison::service {
namespace {

namespace json = boost::json;

constexpr const char* kCertificate = "certificate";
constexpr const char* kPrincipal = "principal";
constexpr const char* kToken = "token";
constexpr const char* kActive = "active";
constexpr const char* kRevoked = "revoked";
// 20 bytes at most (RFC 5280 4.1.2.2); the CA writes 16.
constexpr size_t kMaxSerialHex = 40;

Status CheckSerial(std::string_view serial) {
  bool ok = !serial.empty() && serial.size() <= kMaxSerialHex && serial[0] != '0';
  for (char c : serial)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) ok = false;
  if (!ok)
    return Status::InvalidArgument("serial: got \"" + std::string(serial.substr(0, 64)) +
                                   "\", want 1..40 lower-case hex digits without leading zeros");
  return Status::Ok();
}

Status CheckRef(const CertificateRef& c) {
  RETURN_IF_ERROR(CheckSerial(c.serial));
  if (c.not_after <= c.not_before)
    return Status::InvalidArgument("not_after: got " + FormatTime(c.not_after) +
                                   ", want after not_before " + FormatTime(c.not_before));
  return Status::Ok();
}

struct Body {
  std::string principal;
  std::string revoked_at;  // RFC 3339, "" while active
  std::string revoked_by;
};

std::string Encode(const Body& b) {
  json::object o{{"principal", b.principal}};
  if (!b.revoked_at.empty()) {
    o["revoked_at"] = b.revoked_at;
    o["revoked_by"] = b.revoked_by;
  }
  return Canonical(o);
}

Result<Body> Decode(const store::Record& rec) {
  auto corrupt = [&](std::string_view field) {
    return Status::Corruption("certificate " + rec.id + ": body: " + std::string(field) +
                              ": missing or not a string");
  };
  boost::system::error_code ec;
  json::value v = json::parse(rec.body, ec);
  if (ec || !v.is_object()) return Status::Corruption("certificate " + rec.id + ": body: not JSON");
  const json::object& o = v.as_object();
  Body b;
  auto get = [&](const char* key, std::string& out, bool required) -> bool {
    const json::value* f = o.if_contains(key);
    if (!f) return !required;
    if (!f->is_string()) return false;
    out = std::string(f->as_string());
    return true;
  };
  if (!get("principal", b.principal, true)) return corrupt("principal");
  if (!get("revoked_at", b.revoked_at, false)) return corrupt("revoked_at");
  if (!get("revoked_by", b.revoked_by, false)) return corrupt("revoked_by");
  return b;
}

Status PrincipalExists(store::ReadTx& tx, const std::string& principal_id) {
  if (principal_id.empty()) return Status::InvalidArgument("principal: missing id");
  auto who = tx.Get(kPrincipal, principal_id);
  if (who.ok()) return Status::Ok();
  if (who.status().code() == Code::kNotFound)
    return Status::NotFound("principal: no principal " + principal_id);
  return who.status();
}

Status Revoke(store::WriteTx& tx, const Clock& clock, Time now, store::Record rec, Body body,
              const std::string& actor, bool registered) {
  body.revoked_at = FormatTime(now);
  body.revoked_by = actor;
  rec.state = kRevoked;
  rec.body = Encode(body);
  RETURN_IF_ERROR(tx.Put(rec));
  return AppendEventFields(
             tx, clock, now, {"certificate.revoked", actor, rec.id}, rec,
             {EventField::Str("principal", body.principal), EventField::Str("serial", rec.id),
              EventField::Str("expires_at", FormatTime(FromMicros(rec.ends_at))),
              EventField::Bool("registered", registered)})
      .status();
}

}  // namespace

Status ClientCertificates::Register(const std::string& principal_id, const CertificateRef& cert,
                                    const std::string& actor) {
  RETURN_IF_ERROR(CheckRef(cert));
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  RETURN_IF_ERROR(PrincipalExists(*tx, principal_id));
  auto existing = tx->Get(kCertificate, cert.serial);
  if (existing.ok()) return Status::AlreadyExists("serial: " + cert.serial + " is registered");
  if (existing.status().code() != Code::kNotFound) return existing.status();
  Time now = clock_.Now();
  store::Record rec;
  rec.kind = kCertificate;
  rec.id = cert.serial;
  rec.group = principal_id;
  rec.state = kActive;
  rec.starts_at = ToMicros(cert.not_before);
  rec.ends_at = ToMicros(cert.not_after);
  rec.body = Encode({principal_id, "", ""});
  RETURN_IF_ERROR(tx->Put(rec));
  RETURN_IF_ERROR(AppendEventFields(*tx, clock_, now, {"certificate.issued", actor, rec.id}, rec,
                                    {EventField::Str("principal", principal_id),
                                     EventField::Str("serial", rec.id),
                                     EventField::Str("expires_at", FormatTime(cert.not_after))})
                      .status());
  return tx->Commit();
}

Result<int> ClientCertificates::RevokeAllIn(store::WriteTx& tx, const Clock& clock, Time now,
                                            const std::string& principal_id,
                                            const std::string& actor,
                                            const std::vector<CertificateRef>& also) {
  // Check all of `also` before changing anything: bad input changes nothing.
  for (const CertificateRef& c : also) RETURN_IF_ERROR(CheckRef(c));
  int revoked = 0;
  store::Filter f;
  f.kind = kCertificate;
  f.group = principal_id;
  f.states = {kActive};
  ASSIGN_OR_RETURN(auto recs, tx.List(f));
  for (const store::Record& rec : recs) {
    ASSIGN_OR_RETURN(Body body, Decode(rec));
    RETURN_IF_ERROR(Revoke(tx, clock, now, rec, std::move(body), actor, true));
    ++revoked;
  }
  for (const CertificateRef& c : also) {
    auto rec = tx.Get(kCertificate, c.serial);
    if (rec.ok()) {
      ASSIGN_OR_RETURN(Body body, Decode(*rec));
      if (body.principal != principal_id)
        return Status::InvalidArgument("serial: " + c.serial + " was issued to " + body.principal +
                                       ", not to " + principal_id);
      continue;  // registered: revoked above, or earlier
    }
    if (rec.status().code() != Code::kNotFound) return rec.status();
    // Known only from outside the register: entered as revoked.
    store::Record fresh;
    fresh.kind = kCertificate;
    fresh.id = c.serial;
    fresh.group = principal_id;
    fresh.starts_at = ToMicros(c.not_before);
    fresh.ends_at = ToMicros(c.not_after);
    RETURN_IF_ERROR(Revoke(tx, clock, now, std::move(fresh), {principal_id, "", ""}, actor, false));
    ++revoked;
  }
  return revoked;
}

Status ClientCertificates::Check(std::string_view principal_id, std::string_view serial) const {
  // A serial that is not well formed cannot be in the register; the TLS
  // layer computed it, so this is the transport's bug, not the client's.
  if (!CheckSerial(serial).ok())
    return Status::FailedPrecondition("client certificate: unreadable serial number");
  auto tx = store_.BeginRead();
  if (!tx.ok()) return Status::IoError("certificate register: " + tx.status().message());
  return CheckIn(**tx, principal_id, serial);
}

Status ClientCertificates::CheckIn(store::ReadTx& tx, std::string_view principal_id,
                                   std::string_view serial) {
  if (!CheckSerial(serial).ok())
    return Status::FailedPrecondition("client certificate: unreadable serial number");
  auto rec = tx.Get(kCertificate, std::string(serial));
  if (!rec.ok()) {
    if (rec.status().code() == Code::kNotFound) return Status::Ok();
    return Status::IoError("certificate register: " + rec.status().message());
  }
  auto body = Decode(*rec);
  if (!body.ok()) return Status::IoError("certificate register: " + body.status().message());
  if (body->principal != principal_id)
    return Status::FailedPrecondition("client certificate serial " + std::string(serial) +
                                      " was issued to principal " + body->principal + ", not " +
                                      std::string(principal_id));
  if (rec->state == kRevoked)
    return Status::FailedPrecondition("client certificate serial " + std::string(serial) +
                                      " of principal " + body->principal + " was revoked at " +
                                      body->revoked_at);
  return Status::Ok();
}

namespace {

// Authenticate; `token_ends_at` gets the token's end when a token was
// accepted.
Result<Principal> AuthenticateIn(store::Store& store, const Clock& clock,
                                 const Credentials& credentials, int64_t* token_ends_at) {
  const Status cannot_check = Status::IoError("credentials: cannot check now");
  // Begun on first need, then shared: one snapshot answers every question
  // below, and a request that is refused before any read costs none.
  std::unique_ptr<store::ReadTx> tx;
  auto read = [&]() -> store::ReadTx* {
    if (!tx) {
      auto begun = store.BeginRead();
      if (begun.ok()) tx = std::move(begun).value();
    }
    return tx.get();
  };
  const std::string_view from_cert = credentials.cert_principal;
  if (!from_cert.empty() && !credentials.cert_serial.empty()) {
    // The CA signed it, but it may have been revoked since (cloison user
    // revoke): read in this request's snapshot, so a revocation committed
    // before it began holds, also on a connection already open.
    if (!CheckSerial(credentials.cert_serial).ok())
      return Status::InvalidArgument("client certificate: unreadable serial number");
    if (!read()) return cannot_check;
    Status s = ClientCertificates::CheckIn(*tx, from_cert, credentials.cert_serial);
    if (s.code() == Code::kFailedPrecondition) return Status::InvalidArgument(s.message());
    if (!s.ok()) return cannot_check;
  }
  std::string from_token;
  if (credentials.token) {
    if (!Tokens::WellFormed(*credentials.token)) return Status::InvalidArgument("token: malformed");
    if (!read()) return cannot_check;
    auto id = Tokens::ResolveIn(*tx, clock.Now(), *credentials.token, token_ends_at);
    if (!id.ok()) {
      if (id.status().code() == Code::kNotFound || id.status().code() == Code::kFailedPrecondition)
        return Status::InvalidArgument(id.status().message());
      return cannot_check;
    }
    from_token = std::move(id).value();
  }
  if (from_cert.empty() && from_token.empty())
    return Status::InvalidArgument(
        "credentials: missing; send Authorization: Bearer TOKEN or a client certificate");
  if (!from_cert.empty() && !from_token.empty() && from_cert != from_token)
    return Status::InvalidArgument("credentials: the client certificate and the token disagree");
  const std::string id = from_cert.empty() ? from_token : std::string(from_cert);
  if (!read()) return cannot_check;
  auto rec = tx->Get(kPrincipal, id);
  if (!rec.ok()) {
    if (rec.status().code() == Code::kNotFound)
      return Status::InvalidArgument("credentials: unknown principal");
    return cannot_check;
  }
  auto p = PrincipalFromJson(rec->body);
  if (!p.ok()) return cannot_check;
  return p;
}

}  // namespace

Result<Principal> Authenticate(store::Store& store, const Clock& clock,
                               const Credentials& credentials) {
  return AuthenticateIn(store, clock, credentials, nullptr);
}

std::span<const std::string_view> CredentialCache::WatchedKinds() {
  static constexpr std::array<std::string_view, 3> kinds{kPrincipal, kToken, kCertificate};
  return kinds;
}

Result<Principal> CredentialCache::Authenticate(store::Store& store, const Clock& clock,
                                                const Credentials& credentials) {
  // Nothing to remember without credentials.
  if (!credentials.token && credentials.cert_principal.empty())
    return AuthenticateIn(store, clock, credentials, nullptr);
  // Read before the snapshot that would fill an entry: a change committed
  // in between makes the entry look older than it is (a miss later), never
  // younger.
  std::optional<uint64_t> stamp = store.ChangeStamp(WatchedKinds());
  if (!stamp) return AuthenticateIn(store, clock, credentials, nullptr);
  std::string key;
  if (credentials.token) {
    const auto digest = crypto::Sha256(*credentials.token);
    key.assign(reinterpret_cast<const char*>(digest.data()), digest.size());
  }
  key.push_back('\0');
  key.append(credentials.cert_principal);
  key.push_back('\0');
  key.append(credentials.cert_serial);
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    if (stamp_ != *stamp) {
      entries_.clear();
      stamp_ = *stamp;
    }
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      if (now - it->second.filled_at < max_age_ &&
          (it->second.token_ends_at == 0 || ToMicros(clock.Now()) < it->second.token_ends_at))
        return it->second.principal;
      entries_.erase(it);  // too old, or the token expired: the full answer says
    }
  }
  int64_t token_ends_at = 0;
  Result<Principal> p = AuthenticateIn(store, clock, credentials, &token_ends_at);
  if (!p.ok()) return p;
  std::lock_guard lock(mu_);
  if (stamp_ == *stamp) {
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_[key] = Entry{*p, credentials.token ? token_ends_at : 0, now};
  }
  return p;
}

Result<RevokedCredentials> RevokePrincipal(store::Store& store, const Clock& clock,
                                           const std::string& principal_id,
                                           const std::string& actor,
                                           const std::vector<CertificateRef>& also) {
  ASSIGN_OR_RETURN(auto tx, store.BeginWrite());
  RETURN_IF_ERROR(PrincipalExists(*tx, principal_id));
  Time now = clock.Now();
  RevokedCredentials out;
  ASSIGN_OR_RETURN(out.tokens, Tokens::RevokeAllIn(*tx, clock, now, principal_id, actor));
  ASSIGN_OR_RETURN(out.certificates,
                   ClientCertificates::RevokeAllIn(*tx, clock, now, principal_id, actor, also));
  // Nothing to revoke changes nothing: no empty transaction to commit.
  if (out.tokens + out.certificates > 0) RETURN_IF_ERROR(tx->Commit());
  return out;
}

}  // namespace cloison::service
