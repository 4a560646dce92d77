// The instance PKI's certificates: CA, server and client leaves.
#include "crypto/x509.h"

#include <gtest/gtest.h>

namespace cloison::crypto {
namespace {

const Time kNow = *ParseTime("2025-03-03T08:00:00Z");
const Time kYear = kNow + std::chrono::hours(24 * 365);

TEST(X509Test, CaSignsServerAndClientCertificates) {
  auto ca = MakeCa("Cloison test CA", kNow, kYear);
  ASSERT_TRUE(ca.ok()) << ca.status().ToString();
  auto ca_info = InspectCertificate(ca->cert_pem);
  ASSERT_TRUE(ca_info.ok());
  EXPECT_TRUE(ca_info->is_ca);
  EXPECT_EQ(ca_info->common_name, "Cloison test CA");
  EXPECT_EQ(ca_info->not_before, kNow);
  EXPECT_EQ(ca_info->not_after, kYear);

  LeafSpec server{"localhost", {"localhost"}, {"127.0.0.1", "::1"}, true, false, kNow, kYear};
  auto s = IssueCertificate(*ca, server);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto s_info = InspectCertificate(s->cert_pem);
  ASSERT_TRUE(s_info.ok());
  EXPECT_FALSE(s_info->is_ca);
  EXPECT_EQ(s_info->issuer_common_name, "Cloison test CA");
  EXPECT_TRUE(VerifyCertificate(s->cert_pem, ca->cert_pem, kNow + std::chrono::hours(1)));
  EXPECT_FALSE(VerifyCertificate(s->cert_pem, ca->cert_pem, kYear + std::chrono::hours(1)));

  LeafSpec client{"prn_0000000000000001", {}, {}, false, true, kNow, kYear};
  auto c = IssueCertificate(*ca, client);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(InspectCertificate(c->cert_pem)->common_name, "prn_0000000000000001");
  // Serials are random, lower-case hex without leading zeros, and differ.
  auto c2 = IssueCertificate(*ca, client);
  ASSERT_TRUE(c2.ok());
  std::string serial = InspectCertificate(c->cert_pem)->serial;
  EXPECT_GE(serial.size(), 24u);
  EXPECT_EQ(serial.find_first_not_of("0123456789abcdef"), std::string::npos) << serial;
  EXPECT_NE(serial[0], '0');
  EXPECT_NE(serial, InspectCertificate(c2->cert_pem)->serial);
  EXPECT_NE(c->key_pem.find("PRIVATE KEY"), std::string::npos);

  // Another CA's certificates do not verify.
  auto other = MakeCa("Other", kNow, kYear);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(VerifyCertificate(c->cert_pem, other->cert_pem, kNow + std::chrono::hours(1)));
}

TEST(X509Test, BadInputsAreNamed) {
  auto ca = MakeCa("CA", kNow, kYear);
  ASSERT_TRUE(ca.ok());
  EXPECT_EQ(MakeCa("CA", kYear, kNow).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(MakeCa("", kNow, kYear).status().code(), Code::kInvalidArgument);
  LeafSpec spec{"x", {}, {}, true, false, kNow, kYear};
  CertAndKey broken{ca->cert_pem, "nope"};
  EXPECT_NE(IssueCertificate(broken, spec).status().message().find("ca.key_pem"),
            std::string::npos);
  auto other = MakeCa("Other", kNow, kYear);
  CertAndKey mismatched{ca->cert_pem, other->key_pem};
  EXPECT_EQ(IssueCertificate(mismatched, spec).status().code(), Code::kInvalidArgument);
  spec.server = false;
  EXPECT_EQ(IssueCertificate(*ca, spec).status().code(), Code::kInvalidArgument);
  spec.server = true;
  spec.ips = {"not-an-ip"};
  EXPECT_EQ(IssueCertificate(*ca, spec).status().code(), Code::kInvalidArgument);
  EXPECT_FALSE(InspectCertificate("garbage").ok());
}

}  // namespace
}  // namespace cloison::crypto
