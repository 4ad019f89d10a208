#include "adapters/slack/form_body.h"

#include <gtest/gtest.h>

namespace lessonbook {
namespace {

TEST(FormBodyTest, DecodesPlusAndPercentEscapes) {
  auto form = ParseFormBody("command=%2Flessons&text=subject+lines+%26+emails&empty=&flag");
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  EXPECT_EQ(form->at("command"), "/lessons");
  EXPECT_EQ(form->at("text"), "subject lines & emails");
  EXPECT_EQ(form->at("empty"), "");
  EXPECT_EQ(form->at("flag"), "");
}

TEST(FormBodyTest, DecodesUtf8AndKeepsTheFirstOfARepeatedKey) {
  auto form = ParseFormBody("text=caf%C3%A9&text=second&&a=1&");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->at("text"), "caf\xC3\xA9");
  EXPECT_EQ(form->at("a"), "1");
}

TEST(FormBodyTest, EmptyBodyIsEmpty) {
  auto form = ParseFormBody("");
  ASSERT_TRUE(form.ok());
  EXPECT_TRUE(form->empty());
}

TEST(FormBodyTest, MalformedEscapesAreErrorsNotCrashes) {
  for (const char* body :
       {"text=%", "text=%4", "text=%G1", "text=abc%2", "te%zzxt=1", "=value", "text=%%41"}) {
    SCOPED_TRACE(body);
    auto form = ParseFormBody(body);
    ASSERT_FALSE(form.ok());
    EXPECT_EQ(form.status().code(), Status::Code::kInvalidArgument);
  }
}

}  // namespace
}  // namespace lessonbook
