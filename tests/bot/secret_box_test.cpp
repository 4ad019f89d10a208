#include "bot/secret_box.h"

#include <gtest/gtest.h>

namespace lessonbook {
namespace {

// 32 bytes 0x00..0x1f in base64.
constexpr const char* kKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

TEST(SecretBoxTest, SealsInTheDesignFormatAndOpens) {
  auto box = SecretBox::FromBase64Key(kKey);
  ASSERT_TRUE(box.ok()) << box.status().ToString();
  EXPECT_EQ(box->key_id().size(), 8u);
  auto sealed = box->Seal("xoxb-secret-token", "7");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->rfind("v1:" + box->key_id() + ":", 0), 0u) << *sealed;
  EXPECT_EQ(sealed->find("xoxb"), std::string::npos);
  EXPECT_TRUE(IsSealedSecret(*sealed));
  auto opened = box->Open(*sealed, "7");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "xoxb-secret-token");
  // A fresh nonce each time.
  EXPECT_NE(*box->Seal("xoxb-secret-token", "7"), *sealed);
}

TEST(SecretBoxTest, OtherWorkspaceTamperingOrAnotherKeyDoNotOpen) {
  auto box = SecretBox::FromBase64Key(kKey);
  ASSERT_TRUE(box.ok());
  std::string sealed = *box->Seal("xoxb-secret-token", "7");
  EXPECT_EQ(box->Open(sealed, "8").status().code(), Status::Code::kUnauthenticated);
  std::string tampered = sealed;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(box->Open(tampered, "7").ok());
  auto other = SecretBox::FromBase64Key("HyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4=");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->key_id(), box->key_id());
  EXPECT_EQ(other->Open(sealed, "7").status().code(), Status::Code::kUnauthenticated);
  EXPECT_FALSE(SecretBox().Open(sealed, "7").ok());
  EXPECT_EQ(box->Open("v1:abc:def", "7").status().code(), Status::Code::kInvalidArgument);
}

TEST(SecretBoxTest, PlainTokensStayReadableAndNoKeyStoresPlain) {
  auto box = SecretBox::FromBase64Key(kKey);
  ASSERT_TRUE(box.ok());
  EXPECT_EQ(*box->Open("xoxb-plain", "7"), "xoxb-plain");
  SecretBox none;
  EXPECT_FALSE(none.has_key());
  EXPECT_EQ(*none.Seal("xoxb-plain", "7"), "xoxb-plain");
  EXPECT_EQ(*none.Open("xoxb-plain", "7"), "xoxb-plain");
}

TEST(SecretBoxTest, RejectsKeysThatAreNot32BytesOfBase64) {
  for (const char* key : {"short", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==", "!!!!"}) {
    SCOPED_TRACE(key);
    EXPECT_EQ(SecretBox::FromBase64Key(key).status().code(), Status::Code::kInvalidArgument);
  }
}

TEST(SecretBoxTest, Base64RoundTrips) {
  for (std::string s : {std::string(""), std::string("a"), std::string("ab"), std::string("abc"),
                        std::string("\0\xff\x10", 3)}) {
    EXPECT_EQ(*Base64Decode(Base64Encode(s)), s);
  }
}

}  // namespace
}  // namespace lessonbook
