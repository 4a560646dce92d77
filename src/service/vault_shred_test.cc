// Irrecoverability (issue #3 point 8; PRODUCT.md invariant 4): a copy of the
// whole instance directory taken before a destruction, plus everything on
// the machine afterwards (live files, every key file), must not yield the
// plaintext of a destroyed item. The attacker here reads the copied store
// directly, tries every 32-byte file it can find as a root key, and scans
// every file for the plaintext and for the wrapped keys. A control run of
// the same attack before the destruction recovers the plaintext, so the
// attack is real.
#include <boost/json.hpp>

#include "crypto/aead.h"
#include "service/vault.h"
#include "service/vault_internal.h"
#include "service/vault_test_util.h"
#include "vault/envelope.h"
#include "vault/key_provider.h"
#include "vault/segment.h"

namespace cloison::service {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> FromHex(const std::string& s) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < s.size(); i += 2)
    out.push_back(static_cast<uint8_t>(std::stoi(s.substr(i, 2), nullptr, 16)));
  return out;
}

bool Contains(const std::string& hay, std::span<const uint8_t> needle) {
  return hay.find(std::string(needle.begin(), needle.end())) != std::string::npos;
}

class ShredTest : public VaultFixture {
 protected:
  // Every 32-byte regular file under the given directories: candidate roots.
  std::vector<std::vector<uint8_t>> CandidateRoots(const std::vector<std::string>& dirs) {
    std::vector<std::vector<uint8_t>> out;
    for (const auto& d : dirs)
      for (const auto& [path, bytes] : Files(d))
        if (bytes.size() == 32) out.emplace_back(bytes.begin(), bytes.end());
    return out;
  }

  // The attack: from the store and segments under `copy`, try to open item
  // `id` with any candidate root. Returns the plaintext or "".
  std::string Attack(const std::string& copy, const std::string& id,
                     const std::vector<std::vector<uint8_t>>& roots) {
    auto st = store::OpenSqlite(copy + "/cloison.db");
    if (!st.ok()) return "";
    auto tx = std::move((*st)->BeginRead()).value();
    auto item = tx->Get("item", id);
    if (!item.ok()) return "";
    // Read as the vault reads it. A destroyed item's record is its
    // destruction record: it no longer says where the envelope was.
    auto place = ItemFromRecord(*item);
    if (!place.ok()) return "";
    std::string bucket = place->bucket;
    uint64_t offset = place->offset, length = place->length;
    auto brec = tx->Get("bucket", bucket);
    if (!brec.ok()) return "";
    auto bbody = boost::json::parse(brec->body).as_object();
    std::vector<uint8_t> wrapped = FromHex(std::string(bbody["wrapped"].as_string()));
    auto env = vault::ReadSegment(fs::path(copy) / "vault", bucket, {offset, length});
    if (!env.ok()) return "";
    for (const auto& root : roots) {
      auto key = crypto::Aes256GcmOpenRandomNonce(root, vault::RootWrapAad(bucket),
                                                  std::span(wrapped).subspan(1));
      if (!key.ok()) continue;
      auto bk = vault::BucketKey::FromBytes(bucket, key->view());
      auto content = vault::OpenEnvelope(*bk, id, *env);
      if (content.ok()) return std::string(content->begin(), content->end());
    }
    return "";
  }

  std::string Copy() {
    std::string copy = copies_.path() + "/copy" + std::to_string(++n_);
    fs::copy(instance_.path(), copy, fs::copy_options::recursive);
    return copy;
  }

  store::testing::TempDir copies_;
  int n_ = 0;
};

TEST_F(ShredTest, ACopyTakenBeforeTheSweepYieldsNothingAfterIt) {
  const std::string secret = "PLAINTEXT-MARKER: the source is in the embassy";
  std::string doomed = IngestOk(secret);
  std::string also = IngestOk("PLAINTEXT-MARKER: second item, same bucket");
  std::string connection =
      PutAuthorisation("L851-1", T("2025-03-01T00:00:00Z"), T("2025-07-01T00:00:00Z"));
  auth_ = connection;
  std::string survivor =
      IngestOk("SURVIVOR-MARKER: four-year data", T("2025-03-10T12:00:00Z"), "connection_data");
  ASSERT_FALSE(doomed.empty() || survivor.empty());

  // The key directory is outside the instance: the copy does not hold it.
  std::string before = Copy();
  for (const auto& [path, bytes] : Files(before)) {
    EXPECT_EQ(bytes.find("PLAINTEXT-MARKER"), std::string::npos) << path;
    EXPECT_EQ(path.find("root-"), std::string::npos) << path;
  }
  // Control: with the key directory as it is now, the attack works.
  auto roots_now = CandidateRoots({keydir_.path()});
  ASSERT_EQ(Attack(before, doomed, roots_now), secret);
  std::string wrapped_bucket_hex;
  {
    auto tx = std::move(store_->BeginRead()).value();
    auto b = tx->Get("bucket", "L852-1-I/2025-04-09");
    ASSERT_TRUE(b.ok());
    wrapped_bucket_hex =
        std::string(boost::json::parse(b->body).as_object()["wrapped"].as_string());
  }
  // Control: the scan finds the wrapped bucket key in the live store before.
  bool found_before = false;
  for (const auto& [path, bytes] : Files(instance_.path()))
    found_before |= bytes.find(wrapped_bucket_hex) != std::string::npos;
  ASSERT_TRUE(found_before);

  clock_.Set(T("2025-04-09T06:00:00Z"));
  auto s = vault_->Sweep(gic_);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->items, 2);
  ASSERT_EQ(s->root_epoch, 2u);

  // Everything an attacker can find now: every key file in the key
  // directory, the live instance, the earlier copy, and 32-byte files in them.
  auto roots = CandidateRoots({keydir_.path(), instance_.path(), before});
  ASSERT_FALSE(roots.empty());
  EXPECT_EQ(Attack(before, doomed, roots), "");
  EXPECT_EQ(Attack(before, also, roots), "");
  EXPECT_EQ(Attack(instance_.path(), doomed, roots), "");
  // The old root is gone from the key directory.
  EXPECT_FALSE(fs::exists(fs::path(keydir_.path()) / "root/root-000001.key"));
  // The live files hold neither plaintext nor the destroyed bucket's wrapped key.
  std::vector<uint8_t> wrapped_raw = FromHex(wrapped_bucket_hex);
  for (const auto& [path, bytes] : Files(instance_.path())) {
    EXPECT_EQ(bytes.find("PLAINTEXT-MARKER"), std::string::npos) << path;
    EXPECT_EQ(bytes.find(wrapped_bucket_hex), std::string::npos) << path;
    EXPECT_FALSE(Contains(bytes, wrapped_raw)) << path;
  }
  // The survivor, re-wrapped under the new root, still reads, live.
  auto c = vault_->ReadContent(gic_, survivor);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(std::string(c->view().begin(), c->view().end()), "SURVIVOR-MARKER: four-year data");
}

TEST_F(ShredTest, EarlyDestructionLeavesNoWrappedDataKeyOrPlaintextInTheLiveFiles) {
  std::string doomed = IngestOk("UNRELATED-MARKER: not the target");
  std::string kept = IngestOk("KEPT-MARKER: the target");
  auto meta = vault_->GetItem(gic_, doomed);
  ASSERT_TRUE(meta.ok());
  auto env = vault::ReadSegment(fs::path(instance_.path()) / "vault", meta->bucket,
                                {meta->offset, meta->length});
  ASSERT_TRUE(env.ok());
  auto header = vault::ParseEnvelopeHeader(*env);
  ASSERT_TRUE(header.ok());
  std::vector<uint8_t> wrapped_data_key = header->wrapped_data_key;
  // Control: the wrapped data key is in the live segment before.
  bool found_before = false;
  for (const auto& [path, bytes] : Files(instance_.path()))
    found_before |= Contains(bytes, wrapped_data_key);
  ASSERT_TRUE(found_before);

  ASSERT_TRUE(vault_->MarkUnrelated(gic_, doomed).ok());
  ASSERT_TRUE(store_->Scrub().ok());
  for (const auto& [path, bytes] : Files(instance_.path())) {
    EXPECT_FALSE(Contains(bytes, wrapped_data_key)) << path;
    EXPECT_EQ(bytes.find("UNRELATED-MARKER"), std::string::npos) << path;
  }
  EXPECT_TRUE(IsDestroyed(vault_->ReadContent(gic_, doomed).status()));
  // Live files plus every key: the item does not open.
  auto roots = CandidateRoots({keydir_.path()});
  EXPECT_EQ(Attack(instance_.path(), doomed, roots), "");
  auto c = vault_->ReadContent(gic_, kept);
  ASSERT_TRUE(c.ok());
}

TEST_F(ShredTest, AnInterruptedRotationIsFinishedAtOpen) {
  std::string id = IngestOk("x");
  // A root made by a rotation that crashed before its commit: unused.
  ASSERT_TRUE(keys_->CreateRoot(2).ok());
  Vault again(*store_, book_, clock_, ids_, *keys_, instance_.path(), vault_->options());
  ASSERT_TRUE(again.Open().ok());
  EXPECT_EQ(*keys_->RootEpochs(), std::vector<uint32_t>{1});
  EXPECT_TRUE(again.ReadContent(gic_, id).ok());
}

}  // namespace
}  // namespace cloison::service
