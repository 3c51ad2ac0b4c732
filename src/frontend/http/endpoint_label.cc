#include "frontend/http/endpoint_label.h"

#include <algorithm>

#include "frontend/http/route_table.h"

namespace inferd::frontend::http {
namespace {

std::vector<std::string> CollectLabels() {
  std::vector<std::string> labels;
  const auto add = [&](std::string_view label) {
    if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.emplace_back(label);
  };
  // KServe first, so its labels keep the first indexes whatever the match order is.
  std::vector<const Dialect*> dialects = AllDialects();
  std::stable_partition(dialects.begin(), dialects.end(),
                        [](const Dialect* d) { return d->name == "kserve"; });
  for (const Dialect* dialect : dialects) {
    for (const Route& route : dialect->routes) add(route.label);
  }
  add(kNotFoundEndpoint);
  add(kOtherEndpoint);
  return labels;
}

}  // namespace

const std::vector<std::string>& HttpEndpoints() {
  static const std::vector<std::string> labels = CollectLabels();
  return labels;
}

size_t HttpEndpointIndex(std::string_view label) {
  const auto& labels = HttpEndpoints();
  const auto it = std::find(labels.begin(), labels.end(), label);
  return it == labels.end() ? labels.size() - 1 : static_cast<size_t>(it - labels.begin());
}

}  // namespace inferd::frontend::http
