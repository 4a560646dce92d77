// The ledger commands end to end, in-process: an instance does real work
// through the workflow, signs and exports its log; the CNCTR verifies it from
// a directory and over HTTP, checks offline proofs, and witnesses it, refusing
// a forked copy.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "authz/model.h"
#include "cli/cli.h"
#include "cli/http_source.h"
#include "service/files.h"
#include "service/instance.h"
#include "service/workflow.h"
#include "store/testing/temp_dir.h"

namespace cloison::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

struct Run {
  int code;
  std::string out, err;
};

Run Cli(std::vector<std::string> args) {
  std::ostringstream out, err;
  int code = Main(args, out, err);
  return {code, out.str(), err.str()};
}

std::string Read(const std::string& path) {
  auto r = service::ReadWholeFile(path);
  EXPECT_TRUE(r.ok()) << path;
  return r.ok() ? *r : "";
}

void Write(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
}

// Some of the authorisation workflow, as the demo runs it: principals, a
// request, the CNCTR's opinion, the PM's decision.
void DoWork(const std::string& dir, const std::string& tag) {
  auto inst = service::OpenInstance(dir);
  ASSERT_TRUE(inst.ok()) << inst.status().ToString();
  FakeClock clock(*ParseTime("2025-03-03T08:00:00Z"));
  TimeOrderedIdGenerator ids;
  service::Workflow wf(*inst->store, inst->rulebook, clock, ids);
  auto agent = wf.AddPrincipal({"", "agent " + tag, service::Role::kServiceAgent, "dgsi", ""});
  auto cnctr = wf.AddPrincipal({"", "cnctr " + tag, service::Role::kCnctr, "", ""});
  auto pm = wf.AddPrincipal({"", "pm " + tag, service::Role::kPm, "", ""});
  ASSERT_TRUE(agent.ok() && cnctr.ok() && pm.ok());
  authz::RequestDraft d;
  d.service = "dgsi";
  d.minister = "interior";
  d.technique = "L851-4";
  d.purposes = {"4"};
  d.targets = {{"identifier", "X-" + tag}};
  d.grounds = "grounds";
  d.duration_days = 30;
  auto req = wf.SubmitRequest(*agent, d);
  ASSERT_TRUE(req.ok() && !req->refused());
  ASSERT_TRUE(wf.GiveOpinion(*cnctr, req->value.id, authz::Verdict::kFavourable,
                             authz::Formation::kSingle, "ok")
                  .ok());
  auto dec = wf.Decide(*pm, req->value.id, {true, "", false});
  ASSERT_TRUE(dec.ok() && !dec->refused());
}

// Offset of entry `i`'s bytes in the first entry bundle.
size_t EntryOffset(const std::string& bundle, int i) {
  size_t off = 0;
  for (int k = 0; k < i; ++k)
    off += 2 + ((static_cast<uint8_t>(bundle[off]) << 8) | static_cast<uint8_t>(bundle[off + 1]));
  return off + 2;
}

std::string FirstBundle(const std::string& exp) {
  for (const auto& e : fs::directory_iterator(exp + "/tile/entries")) {
    if (e.path().filename() == "000.p") {
      for (const auto& f : fs::directory_iterator(e.path())) return f.path().string();
    }
    if (e.path().filename() == "000") return e.path().string();
  }
  ADD_FAILURE() << "no first entry bundle in " << exp;
  return "";
}

class LedgerCmdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tmp_.ok());
    inst_ = tmp_.File("inst");
    exp_ = tmp_.File("export");
    ASSERT_EQ(Cli({"init", inst_}).code, 0);
    DoWork(inst_, "a");
    pub_ = inst_ + "/ledger.pub";
    origin_ = Read(pub_).substr(0, Read(pub_).find('+'));
  }
  void CheckpointAndExport(const std::string& inst, const std::string& exp) {
    auto c = Cli({"ledger", "checkpoint", "--data", inst});
    ASSERT_EQ(c.code, 0) << c.err;
    auto e = Cli({"ledger", "export", "--data", inst, "--out", exp});
    ASSERT_EQ(e.code, 0) << e.err;
  }

  store::testing::TempDir tmp_;
  std::string inst_, exp_, pub_, origin_;
};

TEST_F(LedgerCmdTest, CheckpointExportVerify) {
  auto key = Cli({"ledger", "key", "--data", inst_});
  ASSERT_EQ(key.code, 0);
  EXPECT_EQ(key.out, Read(pub_));
  auto c = Cli({"ledger", "checkpoint", "--data", inst_});
  ASSERT_EQ(c.code, 0) << c.err;
  EXPECT_EQ(c.out.rfind(origin_ + "\n", 0), 0u) << c.out;
  ASSERT_EQ(Cli({"ledger", "export", "--data", inst_, "--out", exp_}).code, 0);
  EXPECT_EQ(Read(exp_ + "/checkpoint"), c.out);

  auto v = Cli({"verify", "--key", pub_, "--dir", exp_});
  ASSERT_EQ(v.code, 0) << v.err << v.out;
  EXPECT_THAT(v.out, HasSubstr("result      verified"));
  // The key may also be given inline, and the origin explicitly.
  auto inline_key = Cli({"verify", "--key", key.out.substr(0, key.out.size() - 1), "--dir", exp_,
                         "--origin", origin_});
  EXPECT_EQ(inline_key.code, 0) << inline_key.err;
  auto wrong_origin =
      Cli({"verify", "--key", pub_, "--dir", exp_, "--origin", "example.com/other"});
  EXPECT_EQ(wrong_origin.code, 1);
}

TEST_F(LedgerCmdTest, TamperedExportFailsNamingTheIndex) {
  CheckpointAndExport(inst_, exp_);
  const std::string bundle = FirstBundle(exp_);
  std::string b = Read(bundle);
  b[EntryOffset(b, 3) + 5] ^= 0x20;
  Write(bundle, b);
  auto v = Cli({"verify", "--key", pub_, "--dir", exp_});
  EXPECT_EQ(v.code, 1);
  EXPECT_THAT(v.err, HasSubstr("index 3: "));
  EXPECT_THAT(v.out, HasSubstr("FAILED"));

  // Truncating a hash tile names the first hash it lost.
  CheckpointAndExport(inst_, exp_);  // re-export repairs the files
  ASSERT_EQ(Cli({"verify", "--key", pub_, "--dir", exp_}).code, 0);
  std::string tile = bundle;
  tile.replace(tile.find("/entries/"), 9, "/0/");
  std::string t = Read(tile);
  Write(tile, t.substr(0, 2 * 32 + 1));
  v = Cli({"verify", "--key", pub_, "--dir", exp_});
  EXPECT_EQ(v.code, 1);
  EXPECT_THAT(v.err, HasSubstr("index 2: "));
}

TEST_F(LedgerCmdTest, OfflineProofs) {
  CheckpointAndExport(inst_, exp_);
  const std::string proof = tmp_.File("e4.tlog-proof"), entry = tmp_.File("e4");
  auto p =
      Cli({"ledger", "proof", "--data", inst_, "--index", "4", "--out", proof, "--entry", entry});
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_THAT(Read(entry), HasSubstr("\"v\":1}"));  // an event body, as logged
  auto v = Cli({"verify-proof", "--key", pub_, proof, entry});
  EXPECT_EQ(v.code, 0) << v.err;
  EXPECT_THAT(v.out, HasSubstr("verified: entry 4"));
  Write(entry, Read(entry) + " ");
  v = Cli({"verify-proof", "--key", pub_, proof, entry});
  EXPECT_EQ(v.code, 1);
  EXPECT_THAT(v.err, HasSubstr("entry 4"));
  EXPECT_EQ(Cli({"ledger", "proof", "--data", inst_, "--index", "9999"}).code, 1);
  EXPECT_EQ(Cli({"ledger", "proof", "--data", inst_, "--index", "x"}).code, 2);
}

TEST_F(LedgerCmdTest, VerifierStateCatchesARewrittenHistory) {
  const std::string fork = tmp_.File("fork"), fork_exp = tmp_.File("fork-export");
  const std::string state = tmp_.File("seen.state");
  fs::copy(inst_, fork, fs::copy_options::recursive);
  DoWork(inst_, "b");  // seen by the verifier below; the fork never has it
  CheckpointAndExport(inst_, exp_);
  auto v = Cli({"verify", "--key", pub_, "--dir", exp_, "--state", state});
  ASSERT_EQ(v.code, 0) << v.err;
  EXPECT_THAT(v.out, HasSubstr("first run"));
  // The copy, signed by the same key, does other work: a different history.
  DoWork(fork, "forked");
  CheckpointAndExport(fork, fork_exp);
  ASSERT_EQ(Cli({"verify", "--key", pub_, "--dir", fork_exp}).code, 0);  // fine on its own
  v = Cli({"verify", "--key", pub_, "--dir", fork_exp, "--state", state});
  EXPECT_EQ(v.code, 1);
  EXPECT_THAT(v.err, HasSubstr("inconsistent"));
  // The genuine log grows and stays consistent with what was seen.
  DoWork(inst_, "c");
  CheckpointAndExport(inst_, exp_);
  v = Cli({"verify", "--key", pub_, "--dir", exp_, "--state", state});
  EXPECT_EQ(v.code, 0) << v.err;
  EXPECT_THAT(v.out, HasSubstr("consistent with size"));
}

TEST_F(LedgerCmdTest, WitnessCosignsThenRefusesAFork) {
  const std::string wkey = tmp_.File("witness.key"), wstate = tmp_.File("witness.state");
  auto kg = Cli({"witness", "keygen", "--name", "cnctr.example/witness", "--out", wkey});
  ASSERT_EQ(kg.code, 0) << kg.err;
  const std::string wpub = kg.out.substr(0, kg.out.size() - 1);
  EXPECT_EQ(fs::status(wkey).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(Cli({"witness", "keygen", "--name", "x", "--out", wkey}).code,
            1);  // never overwrites a key

  const std::string fork = tmp_.File("fork"), fork_exp = tmp_.File("fork-export");
  fs::copy(inst_, fork, fs::copy_options::recursive);
  CheckpointAndExport(inst_, exp_);
  std::vector<std::string> witness = {"witness", "--key",   wkey,   "--log-key", pub_, "--origin",
                                      origin_,   "--state", wstate, "--dir",     exp_};
  auto w = Cli(witness);
  ASSERT_EQ(w.code, 0) << w.err;
  ASSERT_TRUE(fs::exists(exp_ + "/checkpoint.cosigned"));

  // The instance gathers the cosignature and publishes it.
  auto cs = Cli({"ledger", "cosign", "--data", inst_, "--cosigned", exp_ + "/checkpoint.cosigned",
                 "--witness-key", wpub});
  ASSERT_EQ(cs.code, 0) << cs.err;
  CheckpointAndExport(inst_, exp_);
  auto v = Cli({"verify", "--key", pub_, "--dir", exp_, "--witness", wpub});
  ASSERT_EQ(v.code, 0) << v.err;
  EXPECT_THAT(v.out, HasSubstr("cnctr.example/witness cosigned at"));

  // The log grows: the witness checks consistency and cosigns again.
  DoWork(inst_, "b");
  CheckpointAndExport(inst_, exp_);
  w = Cli(witness);
  ASSERT_EQ(w.code, 0) << w.err;
  const std::string state_before = Read(wstate);

  // A fork signed by the same key is refused, and the state is unchanged.
  DoWork(fork, "forked");
  DoWork(fork, "forked2");
  CheckpointAndExport(fork, fork_exp);
  std::vector<std::string> at_fork = witness;
  at_fork.back() = fork_exp;
  w = Cli(at_fork);
  EXPECT_EQ(w.code, 1);
  EXPECT_THAT(w.err, HasSubstr("inconsistent"));
  EXPECT_FALSE(fs::exists(fork_exp + "/checkpoint.cosigned"));
  EXPECT_EQ(Read(wstate), state_before);
  // A verifier told to expect the witness refuses the fork's checkpoint.
  EXPECT_EQ(Cli({"verify", "--key", pub_, "--dir", fork_exp, "--witness", wpub}).code, 1);
}

TEST_F(LedgerCmdTest, UsageErrors) {
  EXPECT_EQ(Cli({"verify", "--dir", exp_}).code, 2);  // no key
  EXPECT_EQ(Cli({"verify", "--key", pub_}).code, 2);  // no source
  EXPECT_EQ(Cli({"verify", "--key", pub_, "--dir", exp_, "--url", "http://x"}).code, 2);  // both
  EXPECT_EQ(Cli({"verify", "--key", "not a key", "--dir", exp_}).code, 2);
  EXPECT_EQ(Cli({"verify", "--key", pub_, "--url", "ftp://x"}).code, 2);
  EXPECT_EQ(Cli({"verify-proof", "--key", pub_, "onlyone"}).code, 2);
  EXPECT_EQ(Cli({"ledger"}).code, 2);
  EXPECT_EQ(Cli({"ledger", "export", "--data", inst_}).code, 2);
  EXPECT_EQ(Cli({"witness", "--key", "k"}).code, 2);
  EXPECT_EQ(Cli({"verify", "--help"}).code, 0);
  EXPECT_THAT(Cli({"help"}).out, HasSubstr("verify --key VKEY"));
  // A missing export is a failure to verify, not a usage error.
  auto v = Cli({"verify", "--key", pub_, "--dir", tmp_.File("nothing")});
  EXPECT_EQ(v.code, 1);
  EXPECT_THAT(v.err, HasSubstr("checkpoint"));
}

// --- Over HTTP: a tiny file server on 127.0.0.1, one connection at a time. ---

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

// With a certificate and key (PEM files), it speaks HTTPS.
class FileServer {
 public:
  FileServer(std::string root, std::string prefix, std::string cert = {}, std::string key = {})
      : root_(std::move(root)),
        prefix_(std::move(prefix)),
        acceptor_(ioc_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)) {
    if (!cert.empty()) {
      tls_.emplace(net::ssl::context::tls_server);
      tls_->use_certificate_chain_file(cert);
      tls_->use_private_key_file(key, net::ssl::context::pem);
    }
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { Loop(); });
  }
  ~FileServer() {
    stop_ = true;
    {
      std::lock_guard lock(mu_);
      if (active_ >= 0) ::shutdown(active_, SHUT_RDWR);
    }
    net::io_context io;
    tcp::socket wake(io);
    boost::system::error_code ec;
    wake.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_), ec);
    thread_.join();
  }
  std::string url() const {
    return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + prefix_;
  }
  int requests() const { return requests_; }
  int handshake_failures() const { return handshake_failures_; }

 private:
  void Loop() {
    for (int conns = 0; conns < 10'000 && !stop_; ++conns) {
      tcp::socket sock(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(sock, ec);
      if (ec || stop_) return;
      {
        std::lock_guard lock(mu_);
        active_ = sock.native_handle();
      }
      if (tls_) {
        net::ssl::stream<tcp::socket> s(std::move(sock), *tls_);
        s.handshake(net::ssl::stream_base::server, ec);
        if (ec) {
          ++handshake_failures_;
        } else {
          Serve(s);
        }
        s.next_layer().close(ec);
      } else {
        Serve(sock);
        sock.close(ec);
      }
      std::lock_guard lock(mu_);
      active_ = -1;
    }
  }

  template <typename Stream>
  void Serve(Stream& s) {
    boost::beast::flat_buffer buf;
    boost::system::error_code ec;
    for (int n = 0; n < 100'000 && !stop_; ++n) {
      http::request<http::string_body> req;
      http::read(s, buf, req, ec);
      if (ec) return;
      ++requests_;
      http::response<http::string_body> res{http::status::ok, req.version()};
      std::string target(req.target());
      auto file = target.rfind(prefix_ + "/", 0) == 0
                      ? service::ReadWholeFile(root_ + target.substr(prefix_.size()))
                      : Result<std::string>(Status::NotFound("outside"));
      if (file.ok()) {
        res.body() = *file;
      } else {
        res.result(http::status::not_found);
      }
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      http::write(s, res, ec);
      if (ec || !req.keep_alive()) return;
    }
  }

  std::string root_, prefix_;
  net::io_context ioc_;
  std::optional<net::ssl::context> tls_;
  tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0}, handshake_failures_{0};
  std::mutex mu_;
  int active_ = -1;  // guarded by mu_
};

TEST_F(LedgerCmdTest, VerifyAndWitnessOverHttp) {
  CheckpointAndExport(inst_, exp_);
  FileServer server(exp_, "/v1/ledger");
  auto v = Cli({"verify", "--key", pub_, "--url", server.url()});
  ASSERT_EQ(v.code, 0) << v.err;
  EXPECT_GE(server.requests(), 3);  // checkpoint, a tile, a bundle
  auto w = Cli({"witness", "--key", tmp_.File("w.key"), "--log-key", pub_, "--origin", origin_,
                "--state", tmp_.File("w.state"), "--url", server.url()});
  EXPECT_EQ(w.code, 2);  // --out is required with --url
  ASSERT_EQ(Cli({"witness", "keygen", "--name", "w.example", "--out", tmp_.File("w.key")}).code, 0);
  w = Cli({"witness", "--key", tmp_.File("w.key"), "--log-key", pub_, "--origin", origin_,
           "--state", tmp_.File("w.state"), "--url", server.url(), "--out", tmp_.File("cosigned")});
  ASSERT_EQ(w.code, 0) << w.err;

  // Tampered over the wire: the same index is named.
  const std::string bundle = FirstBundle(exp_);
  std::string b = Read(bundle);
  b[EntryOffset(b, 2) + 1] ^= 0x01;
  Write(bundle, b);
  v = Cli({"verify", "--key", pub_, "--url", server.url()});
  EXPECT_EQ(v.code, 1);
  EXPECT_THAT(v.err, HasSubstr("index 2: "));
  // A wrong prefix: the checkpoint is not there (404).
  v = Cli({"verify", "--key", pub_, "--url", server.url() + "/nope"});
  EXPECT_EQ(v.code, 1);
  EXPECT_THAT(v.err, HasSubstr("HTTP 404"));
  // --cacert only makes sense for https.
  EXPECT_EQ(Cli({"verify", "--key", pub_, "--url", server.url(), "--cacert", pub_}).code, 2);
}

TEST_F(LedgerCmdTest, VerifyOverHttpsTrustsOnlyTheGivenCa) {
  const std::string tls = std::string(CLOISON_SOURCE_DIR) + "/testdata/tls/";
  CheckpointAndExport(inst_, exp_);
  FileServer server(exp_, "/v1/ledger", tls + "server.pem", tls + "server.key");
  auto v = Cli({"verify", "--key", pub_, "--url", server.url(), "--cacert", tls + "ca.pem"});
  ASSERT_EQ(v.code, 0) << v.err;
  EXPECT_GE(server.requests(), 3);
  // Another CA, or the system's roots: the handshake fails, nothing is read.
  const int before = server.requests();
  v = Cli({"verify", "--key", pub_, "--url", server.url(), "--cacert", tls + "other-ca.pem"});
  EXPECT_EQ(v.code, 1);
  EXPECT_THAT(v.err, HasSubstr("TLS handshake"));
  v = Cli({"verify", "--key", pub_, "--url", server.url()});
  EXPECT_EQ(v.code, 1);
  EXPECT_EQ(server.requests(), before);
  // The certificate names localhost too.
  std::string by_name = server.url();
  by_name.replace(by_name.find("127.0.0.1"), 9, "localhost");
  v = Cli({"verify", "--key", pub_, "--url", by_name, "--cacert", tls + "ca.pem"});
  EXPECT_EQ(v.code, 0) << v.err;
}

TEST_F(LedgerCmdTest, VerifyOverHttpWithNoServerFailsQuickly) {
  // A port that was just free: connection refused, not a hang.
  unsigned short port;
  {
    net::io_context io;
    tcp::acceptor a(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
    port = a.local_endpoint().port();
  }
  auto v =
      Cli({"verify", "--key", pub_, "--url", "http://127.0.0.1:" + std::to_string(port) + "/log"});
  EXPECT_EQ(v.code, 1);
  EXPECT_THAT(v.err, HasSubstr("cannot connect"));
}

TEST(HttpSourceTest, BoundsTimeAndSize) {
  store::testing::TempDir tmp;
  ASSERT_TRUE(service::WriteFileAtomically(tmp.File("big"), std::string(4096, 'x')).ok());
  FileServer server(tmp.path(), "/log");
  HttpOptions small;
  small.max_body_bytes = 1000;
  auto src = HttpSource::Open(server.url(), small);
  ASSERT_TRUE(src.ok());
  auto r = (*src)->Fetch("big");
  EXPECT_EQ(r.status().code(), Code::kIoError);
  EXPECT_THAT(r.status().message(), HasSubstr("larger than 1000 bytes"));
  EXPECT_EQ((*src)->Fetch("absent").status().code(), Code::kNotFound);

  // A server that accepts connections (the kernel's backlog) and never answers.
  net::io_context io;
  tcp::acceptor silent(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  HttpOptions quick;
  quick.timeout = std::chrono::milliseconds(200);
  auto mute =
      HttpSource::Open("http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()), quick);
  ASSERT_TRUE(mute.ok());
  auto start = std::chrono::steady_clock::now();
  auto t = (*mute)->Fetch("checkpoint");
  EXPECT_EQ(t.status().code(), Code::kIoError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST(HttpSourceTest, RefusesMalformedUrls) {
  for (const char* u : {"ftp://x/", "http://", "http://user@host/", "http://h:99999999/",
                        "http://h/p?q=1", "https://[::1/"})
    EXPECT_EQ(HttpSource::Open(u).status().code(), Code::kInvalidArgument) << u;
  EXPECT_TRUE(HttpSource::Open("https://[::1]:8443/v1/ledger/").ok());
}

}  // namespace
}  // namespace cloison::cli
