// `cloison report annual` in-process over a real instance: the command
// prints what service/report.h computes, as JSON or CSV, and refuses bad
// arguments with a usage error that names the flag.
#include "cli/report_cmd.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>

#include "base/id.h"
#include "cli/cli.h"
#include "service/instance.h"
#include "service/workflow.h"
#include "store/testing/temp_dir.h"

namespace cloison::cli {
namespace {

using ::testing::HasSubstr;

struct CmdRun {
  int code;
  std::string out, err;
};

CmdRun Report(std::vector<std::string> args) {
  std::ostringstream out, err;
  int code = RunReportCommand(args, out, err);
  return {code, out.str(), err.str()};
}

class ReportCmdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tmp_.ok());
    dir_ = tmp_.File("inst");
    std::ostringstream out, err;
    ASSERT_EQ(Main({"init", dir_}, out, err), 0) << err.str();
    // One request this year, through the workflow on the instance's store.
    auto inst = service::OpenInstance(dir_);
    ASSERT_TRUE(inst.ok()) << inst.status().ToString();
    SystemClock clock;
    TimeOrderedIdGenerator ids;
    service::Workflow wf(*inst->store, inst->rulebook, clock, ids);
    auto agent = wf.AddPrincipal({"", "agent", service::Role::kServiceAgent, "dgsi", ""});
    ASSERT_TRUE(agent.ok());
    authz::RequestDraft d;
    d.service = "dgsi";
    d.minister = "interior";
    d.technique = "L851-4";
    d.purposes = {"4"};
    d.targets = {{"identifier", "X"}};
    d.grounds = "grounds";
    d.duration_days = 30;
    auto req = wf.SubmitRequest(*agent, d);
    ASSERT_TRUE(req.ok() && !req->refused());
    year_ = std::to_string(static_cast<int>(DateOf(clock.Now()).year()));
  }

  store::testing::TempDir tmp_;
  std::string dir_, year_;
};

TEST_F(ReportCmdTest, PrintsJsonByDefault) {
  CmdRun r = Report({"report", "annual", "--data", dir_, "--year", year_});
  ASSERT_EQ(r.code, 0) << r.err;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(r.out, ec);
  ASSERT_FALSE(ec) << r.out;
  EXPECT_EQ(std::to_string(v.at("year").as_int64()), year_);
  EXPECT_EQ(v.at("requests").at("submitted").as_int64(), 1);
  // Every technique of the instance's rulebook is listed, used or not.
  EXPECT_EQ(v.at("authorisations_by_technique").at("L852-1-I").as_int64(), 0);
}

TEST_F(ReportCmdTest, PrintsCsvOnRequest) {
  CmdRun r = Report({"report", "annual", "--data", dir_, "--year", year_, "--format", "csv"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("section,key,value\r\n", 0), 0u);
  EXPECT_THAT(r.out, HasSubstr("\r\nrequests,submitted,1\r\n"));
  EXPECT_THAT(r.out, HasSubstr("\r\nreport,year," + year_ + "\r\n"));
  CmdRun other = Report({"report", "annual", "--data", dir_, "--year", "1999", "--format", "csv"});
  ASSERT_EQ(other.code, 0) << other.err;
  EXPECT_THAT(other.out, HasSubstr("\r\nrequests,submitted,0\r\n"));
}

TEST_F(ReportCmdTest, BadArgumentsAreUsageErrors) {
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"report"}, 2, "want 'annual'"},
      {{"report", "monthly"}, 2, "want 'annual'"},
      {{"report", "annual", "--year", "2025"}, 2, "--data is required"},
      {{"report", "annual", "--data", dir_}, 2, "--year is required"},
      {{"report", "annual", "--data", dir_, "--year", "20x5"}, 2, "year: got \"20x5\""},
      {{"report", "annual", "--data", dir_, "--year", "2025", "--format", "xml"}, 2, "--format"},
      {{"report", "annual", "--data", dir_, "--year", "2025", "--bogus", "1"}, 2, "--bogus"},
      {{"report", "annual", "--data", tmp_.File("none"), "--year", "2025"}, 1, ""},
  };
  for (const auto& c : cases) {
    CmdRun r = Report(c.args);
    EXPECT_EQ(r.code, c.code) << c.args.back() << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.says));
    EXPECT_TRUE(r.out.empty());
  }
  CmdRun help = Report({"report", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_THAT(help.out, HasSubstr("report annual --data DIR --year Y"));
}

}  // namespace
}  // namespace cloison::cli
