// The OpenAPI document against the route tables: every route has a description and a spec (the
// test that fails when a new route is added undocumented), every route appears in the document
// with its path parameters, operation ids are unique and every schema reference resolves.
#include "frontend/http/openapi/openapi_document.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "absl/strings/str_join.h"
#include "frontend/http/openapi/openapi_spec.h"
#include "frontend/http/route_table.h"
#include "rapidjson/document.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;

std::string Lower(std::string_view method) {
  std::string out(method);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

rapidjson::Document ParsedDocument() {
  rapidjson::Document doc;
  const std::string text = OpenApiDocument("9.9.9");
  doc.Parse(text.c_str(), text.size());
  EXPECT_FALSE(doc.HasParseError());
  return doc;
}

TEST(OpenApiDocumentTest, EveryRouteHasADescriptionAndASpec) {
  const auto missing = UndocumentedRoutes();
  EXPECT_TRUE(missing.empty()) << "undocumented routes:\n" << absl::StrJoin(missing, "\n");
}

TEST(OpenApiDocumentTest, EverySpecDescribesSomeRoute) {
  for (const OperationSpec& spec : OperationSpecs()) {
    bool used = false;
    for (const Dialect* dialect : AllDialects()) {
      for (const Route& route : dialect->routes)
        used |= FindOperationSpec(*dialect, route) == &spec;
    }
    EXPECT_TRUE(used) << "stale spec: " << spec.dialect << " " << spec.label << " "
                      << spec.pattern_suffix;
  }
}

TEST(OpenApiDocumentTest, EveryRouteIsAnOperationWithItsParameters) {
  const rapidjson::Document doc = ParsedDocument();
  ASSERT_TRUE(doc.IsObject());
  EXPECT_STREQ(doc["openapi"].GetString(), "3.1.0");
  EXPECT_STREQ(doc["info"]["version"].GetString(), "9.9.9");
  const auto& paths = doc["paths"];
  size_t routes = 0;
  std::set<std::string> operations;
  for (const Dialect* dialect : AllDialects()) {
    for (const Route& route : dialect->routes) {
      const auto verb = bhttp::to_string(route.method);
      const std::string method = Lower(std::string_view(verb.data(), verb.size()));
      const std::string path(route.pattern);
      SCOPED_TRACE(method + " " + path);
      if (!operations.insert(method + " " + path).second) continue;  // served by an earlier row
      ++routes;
      ASSERT_TRUE(paths.HasMember(path.c_str()));
      ASSERT_TRUE(paths[path.c_str()].HasMember(method.c_str()));
      const auto& op = paths[path.c_str()][method.c_str()];
      EXPECT_EQ(std::string_view(op["summary"].GetString()), route.description);
      EXPECT_TRUE(op["responses"].HasMember("default"));
      std::set<std::string> declared;
      if (op.HasMember("parameters")) {
        for (const auto& parameter : op["parameters"].GetArray()) {
          if (std::string_view(parameter["in"].GetString()) == "path") {
            declared.insert(parameter["name"].GetString());
          }
        }
      }
      std::set<std::string> expected;
      for (std::string_view name : PatternParameters(route.pattern)) expected.emplace(name);
      EXPECT_EQ(declared, expected);
    }
  }
  size_t documented = 0;
  for (const auto& item : paths.GetObject()) documented += item.value.MemberCount();
  EXPECT_EQ(documented, routes);
  EXPECT_GT(routes, 60u);
}

TEST(OpenApiDocumentTest, OperationIdsAreUniqueAndReferencesResolve) {
  const rapidjson::Document doc = ParsedDocument();
  std::set<std::string> ids;
  for (const auto& item : doc["paths"].GetObject()) {
    for (const auto& op : item.value.GetObject()) {
      EXPECT_TRUE(ids.insert(op.value["operationId"].GetString()).second)
          << op.value["operationId"].GetString();
    }
  }
  const auto& schemas = doc["components"]["schemas"];
  // Walks every value; each "$ref" must name a component schema.
  std::vector<const rapidjson::Value*> pending = {&doc};
  size_t refs = 0;
  while (!pending.empty()) {
    const rapidjson::Value* value = pending.back();
    pending.pop_back();
    if (value->IsArray()) {
      for (const auto& element : value->GetArray()) pending.push_back(&element);
    } else if (value->IsObject()) {
      for (const auto& member : value->GetObject()) {
        if (std::string_view(member.name.GetString()) == "$ref" && member.value.IsString()) {
          constexpr std::string_view kPrefix = "#/components/schemas/";
          const std::string_view ref = member.value.GetString();
          ASSERT_TRUE(ref.starts_with(kPrefix)) << ref;
          EXPECT_TRUE(schemas.HasMember(std::string(ref.substr(kPrefix.size())).c_str())) << ref;
          ++refs;
        }
        pending.push_back(&member.value);
      }
    }
  }
  EXPECT_GT(refs, 30u);
}

TEST(OpenApiDocumentTest, DescribesBinaryTensorsAndImageUploads) {
  const rapidjson::Document doc = ParsedDocument();
  const auto& infer = doc["paths"]["/v2/models/{model}/infer"]["post"];
  EXPECT_TRUE(infer["requestBody"]["content"].HasMember("application/octet-stream"));
  EXPECT_STREQ(infer["parameters"][1]["name"].GetString(), "Inference-Header-Content-Length");
  const auto& predict = doc["paths"]["/predict/{model}"]["post"];
  EXPECT_TRUE(predict["requestBody"]["content"].HasMember("multipart/form-data"));
  EXPECT_STREQ(doc["paths"]["/"]["options"]["tags"][0].GetString(), "torchserve");
}

TEST(OpenApiSecurityTest, RestrictedCategoriesNeedTheirHeader) {
  auto restrictions = core::ApiRestrictions::Parse(
      {"inference,model-repository:X-Admin-Key=s3cret"}, "http-restricted-api", "api");
  ASSERT_TRUE(restrictions.ok());
  const std::string text = OpenApiDocument("1", &*restrictions);
  EXPECT_EQ(text.find("s3cret"), std::string::npos) << "the value never appears";
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  ASSERT_FALSE(doc.HasParseError());
  const auto& scheme = doc["components"]["securitySchemes"]["x-admin-key"];
  EXPECT_STREQ(scheme["type"].GetString(), "apiKey");
  EXPECT_STREQ(scheme["in"].GetString(), "header");
  const auto& infer = doc["paths"]["/v2/models/{model}/infer"]["post"];
  ASSERT_TRUE(infer.HasMember("security"));
  EXPECT_TRUE(infer["security"][0].HasMember("x-admin-key"));
  EXPECT_FALSE(doc["paths"]["/v2/health/ready"]["get"].HasMember("security"));
  EXPECT_FALSE(ParsedDocument()["components"].HasMember("securitySchemes"));
}

}  // namespace
}  // namespace inferd::frontend::http
