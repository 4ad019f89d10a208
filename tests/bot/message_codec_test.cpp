#include "bot/message_codec.h"

#include <gtest/gtest.h>

namespace lessonbook {
namespace {

TEST(MessageCodec, RoundTripsEveryPart) {
  Message m;
  m.text = "3 lessons for \"webinar\"";
  m.visibility = Visibility::kChannel;
  Section s;
  s.text = {Strong("#1 Title"), Plain(" body "), Span{"match", false, true}};
  s.fields = {{"Outcome", "worked"}};
  s.context = "worked · #email";
  s.buttons = {Button{"More", "search_more", "5\nwebinar", ButtonStyle::kPrimary}};
  m.sections.push_back(s);
  Form f;
  f.form_id = "add_lesson";
  f.title = "Add a lesson";
  Input in;
  in.id = "outcome";
  in.label = "Outcome";
  in.kind = InputKind::kChoice;
  in.choices = {{"worked", "It worked"}};
  f.inputs.push_back(in);
  m.form = f;
  m.input_errors = {{"text", "Write the lesson down here."}};

  auto back = DecodeMessage(EncodeMessage(m));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->text, m.text);
  EXPECT_EQ(back->visibility, Visibility::kChannel);
  ASSERT_EQ(back->sections.size(), 1u);
  EXPECT_TRUE(back->sections[0].text[0].strong);
  EXPECT_TRUE(back->sections[0].text[2].highlight);
  EXPECT_EQ(back->sections[0].buttons[0].value, "5\nwebinar");
  EXPECT_EQ(back->sections[0].buttons[0].style, ButtonStyle::kPrimary);
  ASSERT_TRUE(back->form.has_value());
  EXPECT_EQ(back->form->inputs[0].choices[0].label, "It worked");
  EXPECT_EQ(back->input_errors[0].label, "text");
}

TEST(MessageCodec, GarbageIsAnErrorNotACrash) {
  EXPECT_FALSE(DecodeMessage("").ok());
  EXPECT_FALSE(DecodeMessage("{\"text\": 5}").ok());
  EXPECT_FALSE(DecodeMessage("[]").ok());
}

}  // namespace
}  // namespace lessonbook
