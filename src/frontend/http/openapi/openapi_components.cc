#include "frontend/http/openapi/openapi_spec.h"

namespace inferd::frontend::http {

// OpenAPI 3.1 schema objects (JSON Schema 2020-12). They describe what the handlers read and
// write; the operations (openapi_operations.cc) refer to them by name.
std::string_view OpenApiComponentSchemas() {
  return R"json({
"Error": {
  "type": "object", "required": ["error"],
  "properties": {"error": {"type": "string", "description": "What went wrong"}}
},
"TorchServeError": {
  "type": "object", "required": ["code", "type", "message"],
  "properties": {
    "code": {"type": "integer"}, "type": {"type": "string"}, "message": {"type": "string"}
  }
},
"Datatype": {
  "type": "string",
  "enum": ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64",
           "FP16", "FP32", "FP64", "BF16", "BYTES"]
},
"Parameters": {
  "type": "object", "description": "Named parameters: strings, numbers or booleans",
  "additionalProperties": {"type": ["string", "number", "integer", "boolean"]}
},
"TensorData": {
  "description": "The tensor's elements in row-major order, flat or nested; BYTES elements are strings. Absent when the tensor travels as binary data (parameter binary_data_size) or in shared memory.",
  "type": "array",
  "items": {"type": ["number", "integer", "boolean", "string", "array"]}
},
"TensorMetadata": {
  "type": "object", "required": ["name", "datatype", "shape"],
  "properties": {
    "name": {"type": "string"},
    "datatype": {"$ref": "#/components/schemas/Datatype"},
    "shape": {"type": "array", "items": {"type": "integer"}, "description": "-1: any size"}
  }
},
"RequestInput": {
  "type": "object", "required": ["name", "shape", "datatype"],
  "properties": {
    "name": {"type": "string"},
    "shape": {"type": "array", "items": {"type": "integer", "minimum": 0}},
    "datatype": {"$ref": "#/components/schemas/Datatype"},
    "parameters": {"$ref": "#/components/schemas/Parameters"},
    "data": {"$ref": "#/components/schemas/TensorData"}
  }
},
"RequestOutput": {
  "type": "object", "required": ["name"],
  "properties": {
    "name": {"type": "string"},
    "parameters": {
      "$ref": "#/components/schemas/Parameters",
      "description": "binary_data (bool), classification (top-k count), shared_memory_region, shared_memory_byte_size, shared_memory_offset"
    }
  }
},
"InferRequest": {
  "type": "object", "required": ["inputs"],
  "properties": {
    "id": {"type": "string"},
    "parameters": {
      "$ref": "#/components/schemas/Parameters",
      "description": "binary_data_output, priority, timeout (microseconds), sequence_id, sequence_start, sequence_end"
    },
    "inputs": {"type": "array", "items": {"$ref": "#/components/schemas/RequestInput"}},
    "outputs": {"type": "array", "items": {"$ref": "#/components/schemas/RequestOutput"}}
  }
},
"ResponseOutput": {
  "type": "object", "required": ["name", "shape", "datatype"],
  "properties": {
    "name": {"type": "string"},
    "shape": {"type": "array", "items": {"type": "integer"}},
    "datatype": {"$ref": "#/components/schemas/Datatype"},
    "parameters": {"$ref": "#/components/schemas/Parameters"},
    "data": {"$ref": "#/components/schemas/TensorData"}
  }
},
"InferResponse": {
  "type": "object", "required": ["model_name", "outputs"],
  "properties": {
    "model_name": {"type": "string"},
    "model_version": {"type": "string"},
    "id": {"type": "string"},
    "parameters": {"$ref": "#/components/schemas/Parameters"},
    "outputs": {"type": "array", "items": {"$ref": "#/components/schemas/ResponseOutput"}}
  }
},
"BinaryTensors": {
  "type": "string", "format": "binary", "contentMediaType": "application/octet-stream",
  "description": "The JSON header (its length in the Inference-Header-Content-Length header) followed by the binary tensors in order"
},
"ServerMetadata": {
  "type": "object", "required": ["name", "version", "extensions"],
  "properties": {
    "name": {"type": "string"}, "version": {"type": "string"},
    "extensions": {"type": "array", "items": {"type": "string"}}
  }
},
"ModelMetadata": {
  "type": "object", "required": ["name", "platform", "inputs", "outputs"],
  "properties": {
    "name": {"type": "string"},
    "versions": {"type": "array", "items": {"type": "string"}},
    "platform": {"type": "string"},
    "inputs": {"type": "array", "items": {"$ref": "#/components/schemas/TensorMetadata"}},
    "outputs": {"type": "array", "items": {"$ref": "#/components/schemas/TensorMetadata"}}
  }
},
"ModelConfig": {
  "type": "object", "description": "The model configuration (Triton's model_config.proto as JSON)",
  "additionalProperties": true
},
"ModelStatistics": {
  "type": "object", "required": ["model_stats"],
  "properties": {
    "model_stats": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "name": {"type": "string"}, "version": {"type": "string"},
          "last_inference": {"type": "integer"}, "inference_count": {"type": "integer"},
          "execution_count": {"type": "integer"},
          "inference_stats": {"type": "object", "additionalProperties": true},
          "batch_stats": {"type": "array", "items": {"type": "object"}}
        }
      }
    }
  }
},
"RepositoryIndexRequest": {
  "type": "object", "properties": {"ready": {"type": "boolean", "description": "Only ready models"}}
},
"RepositoryIndex": {
  "type": "array",
  "items": {
    "type": "object", "required": ["name"],
    "properties": {
      "name": {"type": "string"}, "version": {"type": "string"},
      "state": {"type": "string"}, "reason": {"type": "string"}
    }
  }
},
"RepositoryLoadRequest": {
  "type": "object",
  "properties": {
    "parameters": {
      "type": "object",
      "properties": {"config": {"type": "string", "description": "A model configuration as JSON text, used instead of config.pbtxt"}}
    }
  }
},
"LogSettings": {
  "type": "object",
  "properties": {
    "log_file": {"type": "string"}, "log_info": {"type": "boolean"},
    "log_warning": {"type": "boolean"}, "log_error": {"type": "boolean"},
    "log_verbose_level": {"type": "integer"}, "log_format": {"type": "string"}
  }
},
"TraceSettings": {
  "type": "object",
  "properties": {
    "trace_level": {"type": "array", "items": {"type": "string"}},
    "trace_rate": {"type": "string"}, "trace_count": {"type": "string"},
    "log_frequency": {"type": "string"}, "trace_file": {"type": "string"}
  },
  "additionalProperties": true
},
"SharedMemoryStatus": {
  "type": "array",
  "items": {
    "type": "object",
    "properties": {
      "name": {"type": "string"}, "key": {"type": "string"},
      "offset": {"type": "integer"}, "byte_size": {"type": "integer"}
    }
  }
},
"SharedMemoryRegister": {
  "type": "object", "required": ["key", "byte_size"],
  "properties": {
    "key": {"type": "string"}, "offset": {"type": "integer", "minimum": 0},
    "byte_size": {"type": "integer", "minimum": 0}
  }
},
"TfsPredictRequest": {
  "type": "object",
  "properties": {
    "signature_name": {"type": "string"},
    "instances": {"type": "array", "description": "Row format: one element per batch entry"},
    "inputs": {"description": "Columnar format: a tensor, or an object of named tensors"}
  }
},
"TfsPredictResponse": {
  "type": "object",
  "properties": {"predictions": {"type": "array"}, "outputs": {}}
},
"TfsModelStatus": {
  "type": "object", "required": ["model_version_status"],
  "properties": {
    "model_version_status": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "version": {"type": "string"}, "state": {"type": "string"},
          "status": {
            "type": "object",
            "properties": {"error_code": {"type": "string"}, "error_message": {"type": "string"}}
          }
        }
      }
    }
  }
},
"TfsModelMetadata": {
  "type": "object",
  "properties": {
    "model_spec": {"type": "object", "additionalProperties": true},
    "metadata": {"type": "object", "additionalProperties": true}
  }
},
"TorchServeStatus": {
  "type": "object", "properties": {"status": {"type": "string"}}
},
"TorchServeModelList": {
  "type": "object", "required": ["models"],
  "properties": {
    "models": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {"modelName": {"type": "string"}, "modelUrl": {"type": "string"}}
      }
    },
    "nextPageToken": {"type": "string"}
  }
},
"TorchServeModelDescription": {
  "type": "array", "items": {"type": "object", "additionalProperties": true}
},
"Predictions": {
  "type": "object", "required": ["model", "predictions"],
  "properties": {
    "model": {"type": "string"}, "version": {"type": "string"},
    "predictions": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "label": {"type": "string"}, "index": {"type": "integer"}, "score": {"type": "number"}
        }
      }
    }
  }
},
"HealthStatus": {
  "type": "object", "required": ["status"],
  "properties": {"status": {"type": "string", "enum": ["ok", "down"]}, "ready": {"type": "boolean"}}
},
"ImageUpload": {
  "type": "object", "required": ["file"],
  "properties": {
    "file": {"type": "string", "format": "binary", "contentMediaType": "application/octet-stream", "description": "A JPEG or PNG image"}
  }
},
"ConsoleStats": {
  "type": "object", "description": "Counters and latency histogram of every ready model version",
  "additionalProperties": true
},
"OpenApiDocument": {
  "type": "object", "description": "An OpenAPI document", "additionalProperties": true
}
})json";
}

}  // namespace inferd::frontend::http
