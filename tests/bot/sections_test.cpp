// The workspace's section list: parsing `settings sections` input, its round trip through the
// stored text, and WorkspaceSections falling back to the default list.
#include "bot/sections.h"

#include <gtest/gtest.h>

#include "storage/store.h"
#include "tests/support/store_fixture.h"

namespace lessonbook {
namespace {

std::string ErrorOf(std::string_view text) {
  auto r = ParseSectionList(text);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? "" : r.status().message();
}

TEST(SectionsTest, ParsesTagTitlePairsNormalizingTagsLikeLessonTags) {
  auto r = ParseSectionList(
      "seo=\"SEO and keyphrases\", #Email=Email, LANDING-pages = “Landing pages, forms”,");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<BookSection> want = {{"seo", "SEO and keyphrases"},
                                   {"email", "Email"},
                                   {"landing-pages", "Landing pages, forms"}};
  EXPECT_EQ(*r, want);
  // Unquoted titles may hold spaces; the list is one item.
  auto one = ParseSectionList("webinars=Webinars and events");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*one, (std::vector<BookSection>{{"webinars", "Webinars and events"}}));
}

TEST(SectionsTest, ListTextReadsBackToTheSameList) {
  EXPECT_EQ(*ParseSectionList(SectionListText(DefaultSections())), DefaultSections());
  std::vector<BookSection> odd = {{"pr", "PR, press & analysts"}, {"ads", "Ads"}, {"x", "a=b"}};
  EXPECT_EQ(SectionListText(odd), "pr=\"PR, press & analysts\", ads=Ads, x=\"a=b\"");
  EXPECT_EQ(*ParseSectionList(SectionListText(odd)), odd);
}

TEST(SectionsTest, BadListsAreRefusedNamingTheFix) {
  EXPECT_NE(ErrorOf("seo").find("section \"seo\" needs a title, e.g. seo=\"Its chapter title\""),
            std::string::npos);
  EXPECT_NE(ErrorOf("seo=  , email=Email").find("\"seo\" needs a title"), std::string::npos);
  EXPECT_NE(ErrorOf("seo=SEO, Email=Mail, email=E-mail").find("\"email\" is listed twice; keep one"),
            std::string::npos);
  EXPECT_NE(ErrorOf("seo=Search, sem=search").find("same title"), std::string::npos);
  EXPECT_NE(ErrorOf("9lives=Cats").find("a tag is a word of letters"), std::string::npos);
  EXPECT_NE(ErrorOf("landing pages=Landing").find("a tag is a word of letters"), std::string::npos);
  EXPECT_NE(ErrorOf("seo=\"SEO and keyphrases").find("a quote is not closed"), std::string::npos);
  EXPECT_NE(ErrorOf("seo=\"SEO\" stuff").find("after its closing quote"), std::string::npos);
  EXPECT_NE(ErrorOf("seo=SEO \"quoted\"").find("cannot hold quotes"), std::string::npos);
  EXPECT_NE(ErrorOf(" , ,").find("the list has no sections"), std::string::npos);
  EXPECT_NE(ErrorOf("seo=" + std::string(kMaxSectionTitleBytes + 1, 'x')).find("at most 80 bytes"),
            std::string::npos);
  EXPECT_NE(ErrorOf("seo=\"two\nlines\"").find("one line"), std::string::npos);
  EXPECT_NE(ErrorOf("seo=\xff\xfe").find("not valid UTF-8"), std::string::npos);
  std::string many;
  for (std::size_t i = 0; i <= kMaxSections; ++i) {
    many += "s" + std::to_string(i) + "=Section " + std::to_string(i) + ",";
  }
  EXPECT_NE(ErrorOf(many).find("the list has 31 sections, at most 30"), std::string::npos);
  many.resize(many.rfind("s30="));
  EXPECT_EQ(ParseSectionList(many)->size(), kMaxSections);
  // Every refusal shows the form to use.
  EXPECT_NE(ErrorOf("seo").find("settings sections seo=\"SEO and keyphrases\", email=Email"),
            std::string::npos);
}

class WorkspaceSectionsTest : public testing::StoreTest {};

TEST_P(WorkspaceSectionsTest, AreTheSettingOrTheDefaultWhenUnsetEmptyOrUnreadable) {
  Workspace w;
  w.platform = Platform::kWeb;
  w.external_id = "local";
  auto ws = store_->EnsureWorkspace(w);
  ASSERT_TRUE(ws.ok());
  EXPECT_EQ(WorkspaceSections(*store_, ws->id), DefaultSections());
  ASSERT_TRUE(store_->SetSetting(ws->id, kSectionsSetting, "ads=Ads, pr=\"Press and PR\"").ok());
  EXPECT_EQ(WorkspaceSections(*store_, ws->id),
            (std::vector<BookSection>{{"ads", "Ads"}, {"pr", "Press and PR"}}));
  ASSERT_TRUE(store_->SetSetting(ws->id, kSectionsSetting, "").ok());
  EXPECT_EQ(WorkspaceSections(*store_, ws->id), DefaultSections());
  ASSERT_TRUE(store_->SetSetting(ws->id, kSectionsSetting, "garbage without titles").ok());
  EXPECT_EQ(WorkspaceSections(*store_, ws->id), DefaultSections());
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(WorkspaceSectionsTest);

}  // namespace
}  // namespace lessonbook
