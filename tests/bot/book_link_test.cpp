// Signed Book links: valid, expired, tampered, another key's, another workspace's and
// incomplete tokens; the link key derived from the data key, or kept in the store.
#include "bot/book_link.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bot/local_time.h"
#include "bot/secret_box.h"
#include "storage/store.h"
#include "tests/support/store_fixture.h"

namespace lessonbook {
namespace {

const std::string kKey(32, 'k');
const Time kNow = *ParseRfc3339("2026-11-23T10:00:00Z");

BookLinkClaims Claims() {
  BookLinkClaims c;
  c.workspace_id = 7;
  c.workspace_external_id = "T0ACME001";
  c.user_id = "U0ANA0001";
  c.expires_at = kNow + kDefaultBookLinkTtl;
  return c;
}

// The token with its claims replaced by `claims` but the old signature kept.
std::string WithClaims(const std::string& token, const nlohmann::json& claims) {
  return Base64UrlEncode(claims.dump()) + token.substr(token.find('.'));
}

TEST(BookLinkTest, ValidLinkGivesBackItsClaims) {
  BookLinkClaims c = Claims();
  auto v = VerifyBookLink(SignBookLink(c, kKey), kKey, kNow);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->kind, BookLinkKind::kBook);
  EXPECT_EQ(v->workspace_id, 7);
  EXPECT_EQ(v->workspace_external_id, "T0ACME001");
  EXPECT_EQ(v->user_id, "U0ANA0001");
  EXPECT_EQ(v->expires_at, c.expires_at);
}

TEST(BookLinkTest, ExportLinkCarriesFormatAndFilterInsideTheSignature) {
  BookLinkClaims c = Claims();
  c.kind = BookLinkKind::kExport;
  c.format = "md";
  c.filter = "tag:email \"subject lines\" ✉️";
  const std::string token = SignBookLink(c, kKey);
  auto v = VerifyBookLink(token, kKey, kNow);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->kind, BookLinkKind::kExport);
  EXPECT_EQ(v->format, "md");
  EXPECT_EQ(v->filter, c.filter);
  // Widening the export (no filter, another format) breaks the signature.
  auto j = nlohmann::json::parse(*Base64UrlDecode(token.substr(0, token.find('.'))));
  j["q"] = "";
  j["f"] = "csv";
  EXPECT_EQ(VerifyBookLink(WithClaims(token, j), kKey, kNow).status().code(),
            Status::Code::kUnauthenticated);
}

TEST(BookLinkTest, ExpiredLinkIsRefusedAsExpired) {
  const std::string token = SignBookLink(Claims(), kKey);
  EXPECT_TRUE(VerifyBookLink(token, kKey, kNow + kDefaultBookLinkTtl - std::chrono::seconds(1)).ok());
  auto v = VerifyBookLink(token, kKey, kNow + kDefaultBookLinkTtl);
  EXPECT_EQ(v.status().code(), Status::Code::kPermissionDenied);
}

TEST(BookLinkTest, TamperedSignatureIsRefused) {
  std::string token = SignBookLink(Claims(), kKey);
  const std::size_t last = token.size() - 2;  // a byte well inside the signature
  token[last] = token[last] == 'A' ? 'B' : 'A';
  EXPECT_EQ(VerifyBookLink(token, kKey, kNow).status().code(), Status::Code::kUnauthenticated);
  // A truncated or lengthened signature too.
  std::string good = SignBookLink(Claims(), kKey);
  EXPECT_FALSE(VerifyBookLink(good.substr(0, good.size() - 4), kKey, kNow).ok());
  EXPECT_FALSE(VerifyBookLink(good + "AAAA", kKey, kNow).ok());
}

TEST(BookLinkTest, AnotherWorkspacesClaimsWithTheOldSignatureAreRefused) {
  const std::string token = SignBookLink(Claims(), kKey);
  auto j = nlohmann::json::parse(*Base64UrlDecode(token.substr(0, token.find('.'))));
  j["w"] = 8;
  j["x"] = "T0OTHER01";
  EXPECT_EQ(VerifyBookLink(WithClaims(token, j), kKey, kNow).status().code(),
            Status::Code::kUnauthenticated);
  j = nlohmann::json::parse(*Base64UrlDecode(token.substr(0, token.find('.'))));
  j["e"] = ToUnix(kNow) + 365 * 86400;  // a longer life
  EXPECT_FALSE(VerifyBookLink(WithClaims(token, j), kKey, kNow).ok());
}

TEST(BookLinkTest, LinkSignedWithAnotherKeyIsRefused) {
  const std::string other(32, 'o');
  EXPECT_EQ(VerifyBookLink(SignBookLink(Claims(), other), kKey, kNow).status().code(),
            Status::Code::kUnauthenticated);
  EXPECT_FALSE(VerifyBookLink(SignBookLink(Claims(), kKey), "", kNow).ok());
}

TEST(BookLinkTest, MissingOrIncompleteTokensAreRefused) {
  for (const std::string& t : {std::string(), std::string("abc"), std::string("abc."),
                               std::string(".abc"), std::string("a.b.c"), std::string("%%%.%%%")}) {
    EXPECT_EQ(VerifyBookLink(t, kKey, kNow).status().code(), Status::Code::kUnauthenticated) << t;
  }
  // Properly signed but missing a claim: still refused.
  BookLinkClaims no_user = Claims();
  no_user.user_id.clear();
  EXPECT_EQ(VerifyBookLink(SignBookLink(no_user, kKey), kKey, kNow).status().code(),
            Status::Code::kUnauthenticated);
  BookLinkClaims no_workspace = Claims();
  no_workspace.workspace_id = 0;
  EXPECT_EQ(VerifyBookLink(SignBookLink(no_workspace, kKey), kKey, kNow).status().code(),
            Status::Code::kUnauthenticated);
}

TEST(BookLinkTest, DerivedKeyIsStablePerDataKeyAndRefusesABadOne) {
  const std::string data_key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  auto a = DeriveBookLinkKey(data_key);
  auto b = DeriveBookLinkKey(data_key);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->size(), 32u);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *Base64Decode(data_key));  // never the data key itself
  auto other = DeriveBookLinkKey("HwAeHRwbGhkYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE=");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*a, *other);
  EXPECT_EQ(DeriveBookLinkKey("c2hvcnQ=").status().code(), Status::Code::kInvalidArgument);
}

class BookLinkKeyTest : public testing::StoreTest {};

TEST_P(BookLinkKeyTest, KeyWithoutDataKeyIsCreatedOnceAndSurvivesReopening) {
  auto key = LoadBookLinkKey(*store_, "");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->size(), 32u);
  const std::string first = *key;
  EXPECT_EQ(*LoadBookLinkKey(*store_, ""), first);
  std::unique_ptr<Store> second_process = Reopen();  // another replica agrees
  ASSERT_NE(second_process, nullptr);
  EXPECT_EQ(*LoadBookLinkKey(*second_process, ""), first);
  second_process.reset();
  store_.reset();
  std::unique_ptr<Store> reopened = Reopen();  // a restart keeps it
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(*LoadBookLinkKey(*reopened, ""), first);
  // With a data key the derived key is used instead.
  auto derived = LoadBookLinkKey(*reopened, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
  ASSERT_TRUE(derived.ok());
  EXPECT_NE(*derived, first);
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(BookLinkKeyTest);

}  // namespace
}  // namespace lessonbook
