#include "frontend/http/torchserve/torchserve_openapi.h"

#include <string>

namespace inferd::frontend::http {
namespace {

// Kept as literal text: it is documentation, and a test parses it and checks every path.
constexpr char kDescription[] = R"json({
  "openapi": "3.0.1",
  "info": {
    "title": "inferd: TorchServe-compatible APIs",
    "description": "TorchServe's inference and management REST APIs, served by inferd on its HTTP port. Versions are integers ('2.0' reads as 2). JSON tensors: a nested array for a single-input model, else an object {input name: nested array}.",
    "version": "1"
  },
  "paths": {
    "/": {
      "options": {"operationId": "apiDescription", "description": "This description.",
        "responses": {"200": {"description": "OpenAPI 3.0 document"}}}
    },
    "/ping": {
      "get": {"operationId": "ping", "description": "Health: 200 {\"status\": \"Healthy\"} when every model is ready, else 500 {\"status\": \"Unhealthy\"}.",
        "responses": {"200": {"description": "Healthy"}, "500": {"description": "Unhealthy"}}}
    },
    "/predictions/{model_name}": {
      "post": {"operationId": "predictions", "description": "Runs the default version of the model on the JSON tensors in the body and answers its outputs the same way.",
        "parameters": [{"in": "path", "name": "model_name", "required": true, "schema": {"type": "string"}}],
        "requestBody": {"content": {"application/json": {"schema": {}}}},
        "responses": {"200": {"description": "Outputs"}, "400": {"description": "Bad input"}, "404": {"description": "Model not found"}, "415": {"description": "An image body for a model without a preprocessing pipeline"}, "503": {"description": "Not ready or overloaded"}}}
    },
    "/predictions/{model_name}/{model_version}": {
      "post": {"operationId": "versionPredictions", "description": "As /predictions/{model_name}, for one version.",
        "parameters": [{"in": "path", "name": "model_name", "required": true, "schema": {"type": "string"}},
                       {"in": "path", "name": "model_version", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "Outputs"}, "404": {"description": "Model or version not found"}}}
    },
    "/models": {
      "get": {"operationId": "listModels", "description": "Loaded models, paginated.",
        "parameters": [{"in": "query", "name": "limit", "schema": {"type": "integer", "default": 100}},
                       {"in": "query", "name": "next_page_token", "schema": {"type": "integer", "default": 0}}],
        "responses": {"200": {"description": "{\"models\": [{\"modelName\", \"modelUrl\"}], \"nextPageToken\"}"}}},
      "post": {"operationId": "registerModel", "description": "Loads the model directory `url` (a name in the model repository; 'name.mar' reads as 'name') when the model control mode allows changes.",
        "parameters": [{"in": "query", "name": "url", "required": true, "schema": {"type": "string"}},
                       {"in": "query", "name": "model_name", "schema": {"type": "string"}},
                       {"in": "query", "name": "initial_workers", "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "Registered"}, "400": {"description": "Invalid url"}, "405": {"description": "Model control disabled"}, "409": {"description": "Already registered"}}}
    },
    "/models/{model_name}": {
      "get": {"operationId": "describeModel", "description": "The default version's description.",
        "responses": {"200": {"description": "[{modelName, modelVersion, ...}]"}, "404": {"description": "Model not found"}}},
      "put": {"operationId": "setAutoScale", "description": "Reloads the model with min_worker instances.",
        "parameters": [{"in": "query", "name": "min_worker", "schema": {"type": "integer", "default": 1}}],
        "responses": {"200": {"description": "Scaled"}, "405": {"description": "Model control disabled"}}},
      "delete": {"operationId": "unregisterModel", "description": "Unloads every version.",
        "responses": {"200": {"description": "Unregistered"}, "404": {"description": "Model not found"}, "405": {"description": "Model control disabled"}}}
    },
    "/models/{model_name}/{model_version}": {
      "get": {"operationId": "versionDescribeModel", "description": "One version's description; 'all' for every version.",
        "responses": {"200": {"description": "[{modelName, modelVersion, ...}]"}}},
      "put": {"operationId": "versionSetAutoScale", "description": "As PUT /models/{model_name}; instances are per model in inferd.",
        "responses": {"200": {"description": "Scaled"}}},
      "delete": {"operationId": "versionUnregisterModel", "description": "Stops serving one version (reloads the model with the others).",
        "responses": {"200": {"description": "Unregistered"}, "404": {"description": "Version not found"}}}
    },
    "/models/{model_name}/{model_version}/set-default": {
      "put": {"operationId": "setDefault", "description": "The version /predictions/{model_name} uses.",
        "responses": {"200": {"description": "Default set"}, "404": {"description": "Model or version not found"}}}
    }
  }
})json";

}  // namespace

HttpResponse TorchServeApiDescription() {
  return JsonResponse(boost::beast::http::status::ok, std::string(kDescription));
}

}  // namespace inferd::frontend::http
