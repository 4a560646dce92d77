// EncodeEventFields must give the bytes of EncodeEvent (doc/formats/event.md:
// the canonical encoding is frozen), whatever the order and content of the
// fields.
#include "service/event.h"

#include <gtest/gtest.h>

#include "base/clock.h"
#include "service/codec.h"

namespace cloison::service {
namespace {

TEST(EventFieldsTest, SameBytesAsEncodeEvent) {
  FakeClock manual(*ParseTime("2025-03-10T12:00:00.250Z"));
  const std::string odd = std::string("quote \" back \\ tab \t nl \n ctl \x01 del \x7f é ") + '\0';
  const EventHeader h{"item.destroyed", "prn_\"x\"", "itm_000001"};
  std::vector<EventField> fields = {
      EventField::Str("zeta", "last"),       EventField::Int("negative", -42),
      EventField::Bool("late", true),        EventField::Str("odd", odd),
      EventField::Int("big", INT64_MAX),     EventField::Bool("alpha", false),
      EventField::Str("", "empty key"),      EventField::Str("Upper", "before lower"),
      EventField::Str("record_kind", "item")};
  // A raw value: a list already in canonical form, as the sweep writes one.
  const boost::json::value list = boost::json::parse(
      R"([{"b":1,"a":"x \u0001"},{"item":"itm_1","late":false},[],"s"])");
  const std::string list_canonical = Canonical(list);
  fields.push_back(EventField::Raw("items", list_canonical));
  boost::json::object data;
  for (const auto& f : fields) {
    switch (f.type) {
      case EventField::Type::kString:
        data[f.key] = f.str;
        break;
      case EventField::Type::kInt:
        data[f.key] = f.num;
        break;
      case EventField::Type::kBool:
        data[f.key] = f.flag;
        break;
      case EventField::Type::kRaw:
        data[f.key] = list;
        break;
    }
  }
  const Time at = manual.Now();
  SystemClock system;
  EXPECT_EQ(EncodeEventFields(h, manual, at, fields), EncodeEvent(h, manual, at, data));
  EXPECT_EQ(EncodeEventFields(h, system, at, {}), EncodeEvent(h, system, at, {}));
  EXPECT_NE(EncodeEventFields(h, manual, at, fields).find("\"clock\":\"manual\""),
            std::string::npos);
}

}  // namespace
}  // namespace cloison::service
