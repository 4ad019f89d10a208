#include "adapters/http/metrics.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace lessonbook {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(MetricsTest, RequestCounterIsLabelledByRouteMethodAndStatus) {
  Metrics m;
  m.RecordRequest("/web/messages", "POST", 200, 0.002);
  m.RecordRequest("/web/messages", "POST", 200, 0.004);
  m.RecordRequest("/web/messages", "POST", 400, 0.001);
  const std::string text = m.Render();
  EXPECT_TRUE(Contains(text, "# TYPE lessonbook_http_requests_total counter\n")) << text;
  EXPECT_TRUE(Contains(text, "# HELP lessonbook_http_requests_total ")) << text;
  EXPECT_TRUE(Contains(
      text,
      "lessonbook_http_requests_total{route=\"/web/messages\",method=\"POST\",status=\"200\"} 2\n"))
      << text;
  EXPECT_TRUE(Contains(
      text,
      "lessonbook_http_requests_total{route=\"/web/messages\",method=\"POST\",status=\"400\"} 1\n"))
      << text;
}

TEST(MetricsTest, DurationHistogramBucketsAreCumulativeWithSumAndCount) {
  Metrics m;
  m.RecordRequest("/x", "GET", 200, 0.003);
  m.RecordRequest("/x", "GET", 200, 7.0);
  const std::string text = m.Render();
  const std::string b =
      "lessonbook_http_request_duration_seconds_bucket{route=\"/x\",method=\"GET\",";
  EXPECT_TRUE(Contains(text, "# TYPE lessonbook_http_request_duration_seconds histogram\n"));
  EXPECT_TRUE(Contains(text, b + "le=\"0.001\"} 0\n")) << text;
  EXPECT_TRUE(Contains(text, b + "le=\"0.0025\"} 0\n")) << text;
  EXPECT_TRUE(Contains(text, b + "le=\"0.005\"} 1\n")) << text;
  EXPECT_TRUE(Contains(text, b + "le=\"5\"} 1\n")) << text;
  EXPECT_TRUE(Contains(text, b + "le=\"+Inf\"} 2\n")) << text;
  EXPECT_TRUE(Contains(
      text, "lessonbook_http_request_duration_seconds_sum{route=\"/x\",method=\"GET\"} 7.003\n"))
      << text;
  EXPECT_TRUE(Contains(
      text, "lessonbook_http_request_duration_seconds_count{route=\"/x\",method=\"GET\"} 2\n"))
      << text;
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  Metrics m;
  m.AddCounter("lessonbook_things_total", "Things.", {{"name", "say \"hi\"\n"}});
  EXPECT_TRUE(Contains(m.Render(), "lessonbook_things_total{name=\"say \\\"hi\\\"\\n\"} 1\n"))
      << m.Render();
}

TEST(MetricsTest, CountersAddAndGaugesReplace) {
  Metrics m;
  m.AddCounter("lessonbook_outbox_sent_total", "Messages sent.", {{"platform", "web"}}, 2);
  m.AddCounter("lessonbook_outbox_sent_total", "Messages sent.", {{"platform", "web"}});
  m.AddCounter("lessonbook_outbox_sent_total", "Messages sent.", {{"platform", "web"}}, -5);
  m.SetGauge("lessonbook_lessons_stored", "Lessons stored.", {}, 10);
  m.SetGauge("lessonbook_lessons_stored", "Lessons stored.", {}, 12);
  const std::string text = m.Render();
  EXPECT_TRUE(Contains(text, "# TYPE lessonbook_outbox_sent_total counter\n")) << text;
  EXPECT_TRUE(Contains(text, "lessonbook_outbox_sent_total{platform=\"web\"} 3\n")) << text;
  EXPECT_TRUE(Contains(text, "# TYPE lessonbook_lessons_stored gauge\n")) << text;
  EXPECT_TRUE(Contains(text, "lessonbook_lessons_stored 12\n")) << text;
}

TEST(MetricsTest, RenderGaugeIsACompleteFamily) {
  EXPECT_EQ(RenderGauge("lessonbook_lessons_stored", "Lessons stored.", 42),
            "# HELP lessonbook_lessons_stored Lessons stored.\n"
            "# TYPE lessonbook_lessons_stored gauge\n"
            "lessonbook_lessons_stored 42\n");
}

TEST(MetricsTest, ValuesFormatLikePrometheus) {
  EXPECT_EQ(FormatMetricValue(3), "3");
  EXPECT_EQ(FormatMetricValue(0.25), "0.25");
  EXPECT_EQ(FormatMetricValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatMetricValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatMetricValue(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(MetricsTest, ConcurrentRecordingLosesNothing) {
  Metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m] {
      for (int i = 0; i < 1000; ++i) m.RecordRequest("/r", "GET", 200, 0.0001);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_TRUE(Contains(m.Render(),
                       "lessonbook_http_requests_total{route=\"/r\",method=\"GET\",status=\"200\"} "
                       "4000\n"));
}

}  // namespace
}  // namespace lessonbook
