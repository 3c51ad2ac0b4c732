// Shared by the reload benchmarks: a repository load request that makes a real reload (the
// model's own config with parameters.reload_nonce changed, so new sessions load beside the old).
#pragma once

#include <string>

#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace inferd::bench {

// The model's config with parameters.reload_nonce = `nonce`, as a load request body.
inline std::string ReloadBody(const std::string& config_json, int nonce) {
  rapidjson::Document config;
  config.Parse(config_json.c_str());
  auto& alloc = config.GetAllocator();
  if (!config.HasMember("parameters")) {
    config.AddMember("parameters", rapidjson::Value(rapidjson::kObjectType), alloc);
  }
  rapidjson::Value value(rapidjson::kObjectType);
  value.AddMember("string_value", rapidjson::Value(std::to_string(nonce).c_str(), alloc), alloc);
  config["parameters"].RemoveMember("reload_nonce");
  config["parameters"].AddMember("reload_nonce", value, alloc);
  rapidjson::StringBuffer text;
  rapidjson::Writer<rapidjson::StringBuffer> writer(text);
  config.Accept(writer);
  rapidjson::Document body(rapidjson::kObjectType);
  rapidjson::Value parameters(rapidjson::kObjectType);
  parameters.AddMember("config", rapidjson::Value(text.GetString(), body.GetAllocator()),
                       body.GetAllocator());
  body.AddMember("parameters", parameters, body.GetAllocator());
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> out_writer(out);
  body.Accept(out_writer);
  return out.GetString();
}

}  // namespace inferd::bench
