#include "adapters/http/dispatch.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lessonbook {
namespace {

// An adapter whose Parse answers what the test says, and whose Render echoes the reply.
class ScriptedAdapter final : public Adapter {
 public:
  explicit ScriptedAdapter(Result<Inbound> parsed) : parsed_(std::move(parsed)) {}
  Platform platform() const override { return Platform::kWeb; }
  Result<Inbound> Parse(const HttpRequest&) override { return parsed_; }
  HttpResponse Render(const Inbound& in, const Reply& reply) override {
    ++renders;
    return HttpResponse::Text(200, in.user_id + ":" + (reply.message ? reply.message->text : ""));
  }
  Delivery Deliver(const Outbound&) override { return Delivery::Sent(); }
  int renders = 0;

 private:
  Result<Inbound> parsed_;
};

TEST(DispatchTest, StatusCodesMapToHttpStatuses) {
  struct Case {
    Status status;
    int http;
  };
  const std::vector<Case> cases = {
      {Status::Unauthenticated("bad signature"), 401},
      {Status::InvalidArgument("text is required"), 400},
      {Status::PermissionDenied("other tenant"), 403},
      {Status::NotFound("no such route"), 404},
      {Status::AlreadyExists("duplicate"), 409},
      {Status::Unavailable("database is busy"), 503},
      {Status::Internal("broken invariant"), 500},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(HttpStatusFor(c.status.code()), c.http) << c.status.ToString();
    const HttpResponse r = RejectionResponse(c.status);
    EXPECT_EQ(r.status, c.http);
    if (c.http == 500) {
      EXPECT_EQ(r.body, "internal error\n") << "internal details stay in the log";
    } else {
      EXPECT_EQ(r.body, c.status.message() + "\n");
    }
  }
}

TEST(DispatchTest, RejectedRequestNeverReachesTheEngine) {
  ScriptedAdapter adapter(Status::Unauthenticated("the web chat token is wrong"));
  int handled = 0;
  const HttpResponse r = Dispatch(
      adapter,
      [&handled](const Inbound&) {
        ++handled;
        return Reply{};
      },
      HttpRequest{});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body, "the web chat token is wrong\n");
  EXPECT_EQ(handled, 0);
  EXPECT_EQ(adapter.renders, 0);
}

TEST(DispatchTest, ParsedRequestIsHandledThenRendered) {
  Inbound in;
  in.user_id = "web:alice";
  in.event = CommandEvent{"help"};
  ScriptedAdapter adapter(in);
  std::string seen_text;
  const HttpResponse r = Dispatch(
      adapter,
      [&seen_text](const Inbound& got) {
        seen_text = std::get<CommandEvent>(got.event).text;
        Message m;
        m.text = "Here is what I can do";
        return Reply{m};
      },
      HttpRequest{});
  EXPECT_EQ(seen_text, "help");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "web:alice:Here is what I can do");
  EXPECT_EQ(adapter.renders, 1);
}

}  // namespace
}  // namespace lessonbook
