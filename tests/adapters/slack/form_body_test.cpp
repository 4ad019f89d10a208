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

TEST(FormBodyTest, SplitKeepsEveryFieldEncodedInItsOrder) {
  auto fields = SplitFormBody("text=a+b%21&&team%5Fid=T1&flag&text=second&");
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();
  ASSERT_EQ(fields->size(), 4u);
  EXPECT_EQ((*fields)[0].key, "text");
  EXPECT_EQ((*fields)[0].value, "a+b%21");
  EXPECT_EQ((*fields)[1].key, "team%5Fid");
  EXPECT_EQ((*fields)[2].key, "flag");
  EXPECT_EQ((*fields)[2].value, "");
  EXPECT_EQ((*fields)[3].value, "second");
  EXPECT_TRUE(SplitFormBody("")->empty());
}

TEST(FormBodyTest, SplitRefusesWhatParseRefusesWithTheSameMessage) {
  for (const char* body : {"text=%", "text=%4", "text=%G1", "text=abc%2", "te%zzxt=1", "=value",
                           "text=%%41", "a=1&b%5Fc=%G", "ok=1&=x", "a=1&b=%"}) {
    SCOPED_TRACE(body);
    auto split = SplitFormBody(body);
    auto parsed = ParseFormBody(body);
    ASSERT_FALSE(split.ok());
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(split.status().message(), parsed.status().message());
  }
  EXPECT_EQ(SplitFormBody("a=1&b%5Fc=%GZ").status().message(),
            "malformed form body in field 'b_c': '%' is not followed by two hex digits");
}

TEST(FormBodyTest, KeyComparesDecoded) {
  const auto key_is = [](std::string_view body, std::string_view name) {
    auto fields = SplitFormBody(body);
    return fields.ok() && fields->size() == 1 && FormKeyIs(fields->front(), name);
  };
  EXPECT_TRUE(key_is("team_id=1", "team_id"));
  EXPECT_TRUE(key_is("team%5Fid=1", "team_id"));
  EXPECT_TRUE(key_is("a+b=1", "a b"));
  EXPECT_FALSE(key_is("team_id=1", "team"));
  EXPECT_FALSE(key_is("team%5F=1", "team_id"));
  EXPECT_FALSE(key_is("a%2B=1", "a%2B"));
  EXPECT_FALSE(key_is("a+b=1", "a+b"));
  EXPECT_FALSE(SplitFormBody("team_id=1")->front().key_changes);
  EXPECT_TRUE(SplitFormBody("team%5Fid=1")->front().key_changes);
}

}  // namespace
}  // namespace lessonbook
