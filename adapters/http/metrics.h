// Metrics: counters, gauges and the HTTP request histogram, rendered in the Prometheus text
// exposition format 0.0.4 for `GET /metrics`.
//
// Label sets must stay bounded: pass route patterns ("/web/messages"), never raw paths or ids.
// Thread-safety: every method may be called from any thread.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lessonbook {

// Label name -> value. Names are Prometheus label names ([a-zA-Z_][a-zA-Z0-9_]*); values are any
// UTF-8 and are escaped when rendered.
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// The upper bounds (seconds) of lessonbook_http_request_duration_seconds, +Inf implied.
inline constexpr double kHttpDurationBuckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                  0.1,   0.25,   0.5,   1,    2.5,   5};

class Metrics {
 public:
  Metrics() = default;
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Counts one answered request: lessonbook_http_requests_total{route,method,status} and
  // lessonbook_http_request_duration_seconds{route,method}.
  void RecordRequest(std::string_view route, std::string_view method, int status, double seconds);

  // Adds delta (>= 0) to a counter. REQUIRES: name is a metric name ending in "_total"; the
  // same name always comes with the same help text.
  void AddCounter(std::string_view name, std::string_view help, const MetricLabels& labels = {},
                  double delta = 1);
  // Sets a gauge to value. REQUIRES: name is a metric name.
  void SetGauge(std::string_view name, std::string_view help, const MetricLabels& labels,
                double value);

  // Everything recorded so far, HELP and TYPE lines included; ends with a newline.
  std::string Render() const;

 private:
  struct Family {
    std::string help;
    std::string type;                      // "counter" or "gauge"
    std::map<std::string, double> values;  // rendered label set "{a=\"b\"}" -> value
  };
  struct Histogram {
    std::vector<unsigned long long> buckets;  // one per kHttpDurationBuckets bound
    unsigned long long count = 0;
    double sum = 0;
  };

  mutable std::mutex mu_;
  std::map<std::string, Family, std::less<>> families_;
  // (route, method) -> durations.
  std::map<std::pair<std::string, std::string>, Histogram> durations_;
};

// Escapes a label value: backslash, double quote and newline (exposition format 0.0.4).
std::string EscapeLabelValue(std::string_view value);
// "{a=\"x\",b=\"y\"}", or "" for no labels.
std::string FormatLabels(const MetricLabels& labels);
// A sample value: integers without a fraction, "+Inf", "-Inf", "NaN", else shortest round-trip.
std::string FormatMetricValue(double value);
// One complete gauge family with a single unlabelled sample, for metrics source callbacks:
// "# HELP name help\n# TYPE name gauge\nname value\n".
std::string RenderGauge(std::string_view name, std::string_view help, double value);

}  // namespace lessonbook
