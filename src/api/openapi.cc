// The OpenAPI 3.0 document (see openapi.h). Edit it here; api_test fails if
// its operations and roles disagree with the router and the access table.
#include "api/openapi.h"

namespace cloison::api {
namespace {

constexpr std::string_view kDocument = R"openapi(
{
 "openapi": "3.0.3",
 "info": {
  "title": "Cloison",
  "version": "1.0.0",
  "description": "The system of record for intelligence techniques (CSI Book VIII). Contract: API.md. Errors: {\"error\": {\"code\", \"message\", \"violations\"}}; a request the law forbids is 422 LEGAL_REFUSAL with the violated rules and articles. Credentials: a bearer token, or a client certificate issued by the instance CA whose CN is the principal id (mTLS). x-roles lists the roles that may call each operation (deny by default)."
 },
 "servers": [
  {
   "url": "https://127.0.0.1:8443"
  }
 ],
 "security": [
  {
   "bearer": []
  }
 ],
 "paths": {
  "/healthz": {
   "get": {
    "operationId": "getHealth",
    "summary": "Liveness and readiness",
    "x-roles": [],
    "security": [],
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "additionalProperties": false,
         "properties": {
          "status": {
           "type": "string"
          }
         }
        }
       }
      }
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/metrics": {
   "get": {
    "operationId": "getMetrics",
    "summary": "Prometheus text format",
    "x-roles": [],
    "security": [],
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "text/plain": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/openapi.json": {
   "get": {
    "operationId": "getOpenApi",
    "summary": "This document",
    "x-roles": [],
    "security": [],
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/requests": {
   "post": {
    "operationId": "submitRequest",
    "summary": "Submit a request (L. 821-2)",
    "x-roles": [
     "service_agent",
     "minister"
    ],
    "description": "An agent submits for its own service, a minister for its own ministry. A request the law forbids is recorded as refused and answered 422 LEGAL_REFUSAL, with `subject` the refused request's id.",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/RequestDraft"
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "additionalProperties": false,
         "properties": {
          "id": {
           "type": "string"
          },
          "state": {
           "type": "string"
          },
          "opinion_due": {
           "type": "string",
           "format": "date-time"
          }
         }
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   },
   "get": {
    "operationId": "listRequests",
    "summary": "List the requests the caller may see",
    "x-roles": [
     "service_agent",
     "minister",
     "cnctr",
     "pm"
    ],
    "parameters": [
     {
      "name": "state",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "awaiting_opinion, opinion_given, granted, refused or withdrawn"
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "page size, 1..1000 (default 100)"
     },
     {
      "name": "after",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "the `next` of the previous page"
     }
    ],
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/RequestPage"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/requests/{id}": {
   "get": {
    "operationId": "getRequest",
    "summary": "A request and its history",
    "x-roles": [
     "service_agent",
     "minister",
     "cnctr",
     "pm"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "identifier"
     }
    ],
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Request"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/requests/{id}/withdraw": {
   "post": {
    "operationId": "withdrawRequest",
    "summary": "Withdraw a request before any decision",
    "x-roles": [
     "service_agent",
     "minister"
    ],
    "description": "The body may be empty or {}.",
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "identifier"
     }
    ],
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "additionalProperties": false,
         "properties": {
          "id": {
           "type": "string"
          },
          "state": {
           "type": "string"
          }
         }
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/requests/{id}/opinion": {
   "post": {
    "operationId": "giveOpinion",
    "summary": "The CNCTR's opinion (L. 821-3)",
    "x-roles": [
     "cnctr"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "identifier"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "verdict": {
          "type": "string",
          "enum": [
           "favourable",
           "unfavourable"
          ]
         },
         "formation": {
          "type": "string",
          "enum": [
           "single",
           "restricted",
           "plenary"
          ]
         },
         "reasons": {
          "type": "string"
         }
        },
        "required": [
         "verdict",
         "formation",
         "reasons"
        ]
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Request"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/requests/{id}/decision": {
   "post": {
    "operationId": "decideRequest",
    "summary": "The PM's decision (L. 821-4)",
    "x-roles": [
     "pm"
    ],
    "description": "201 with the authorisation when granted; 200 with the request when the PM refuses; 422 LEGAL_REFUSAL when the law forbids the grant. The drafter and the opinion's author may never decide (403).",
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "identifier"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "grant": {
          "type": "boolean"
         },
         "reasons": {
          "type": "string"
         },
         "immediate_execution": {
          "type": "boolean"
         }
        },
        "required": [
         "grant",
         "reasons"
        ]
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "additionalProperties": false,
         "properties": {
          "authorisation": {
           "type": "object",
           "additionalProperties": false,
           "properties": {
            "id": {
             "type": "string"
            },
            "state": {
             "type": "string"
            },
            "starts_at": {
             "type": "string",
             "format": "date-time"
            },
            "ends_at": {
             "type": "string",
             "format": "date-time"
            }
           }
          },
          "request": {
           "type": "object",
           "additionalProperties": false,
           "properties": {
            "id": {
             "type": "string"
            },
            "state": {
             "type": "string"
            }
           }
          }
         }
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/authorisations": {
   "get": {
    "operationId": "listAuthorisations",
    "summary": "List the authorisations the caller may see",
    "x-roles": [
     "service_agent",
     "minister",
     "cnctr",
     "pm",
     "gic"
    ],
    "parameters": [
     {
      "name": "state",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "an authorisation state at the server's now"
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "page size, 1..1000 (default 100)"
     },
     {
      "name": "after",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "the `next` of the previous page"
     }
    ],
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/AuthorisationPage"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/authorisations/{id}": {
   "get": {
    "operationId": "getAuthorisation",
    "summary": "An authorisation, its state at now",
    "x-roles": [
     "service_agent",
     "minister",
     "cnctr",
     "pm",
     "gic"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "identifier"
     }
    ],
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Authorisation"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/authorisations/{id}/terminate": {
   "post": {
    "operationId": "terminateAuthorisation",
    "summary": "End an authorisation now",
    "x-roles": [
     "pm"
    ],
    "description": "Body: {} or {\"reasons\": \"...\"} (only their hash is logged).",
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "identifier"
     }
    ],
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Authorisation"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/authorisations/{id}/urgency-justification": {
   "post": {
    "operationId": "justifyUrgency",
    "summary": "Reasons of an absolute urgency sent to the CNCTR (L. 821-5)",
    "x-roles": [
     "pm"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "identifier"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "reasons": {
          "type": "string"
         }
        },
        "required": [
         "reasons"
        ]
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Authorisation"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/authorisations/{id}/conseil-etat-ruling": {
   "post": {
    "operationId": "recordConseilEtatRuling",
    "summary": "The Conseil d'Etat's ruling after an unfavourable opinion (L. 821-1)",
    "x-roles": [
     "pm"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "identifier"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "upheld": {
          "type": "boolean"
         },
         "case": {
          "type": "string"
         }
        },
        "required": [
         "upheld",
         "case"
        ]
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Authorisation"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/quotas": {
   "get": {
    "operationId": "listQuotas",
    "summary": "Quotas and their use",
    "x-roles": [
     "pm",
     "cnctr",
     "minister"
    ],
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "type": "array",
         "items": {
          "$ref": "#/components/schemas/QuotaUse"
         }
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/quotas/{technique}": {
   "put": {
    "operationId": "setQuota",
    "summary": "Set a technique's quota",
    "x-roles": [
     "pm"
    ],
    "parameters": [
     {
      "name": "technique",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "technique id, e.g. L852-1-I"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "limit": {
          "type": "integer"
         },
         "allocation": {
          "type": "object",
          "additionalProperties": {
           "type": "integer"
          }
         },
         "cnctr_opinion_ref": {
          "type": "string"
         }
        },
        "required": [
         "limit",
         "allocation",
         "cnctr_opinion_ref"
        ]
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Quota"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/test/clock": {
   "put": {
    "operationId": "setTestClock",
    "summary": "Set the manual clock (only with serve --test-clock; 404 otherwise)",
    "x-roles": [
     "service_agent",
     "minister",
     "cnctr",
     "pm",
     "gic",
     "collector",
     "rnd_agent",
     "admin"
    ],
    "description": "The clock only moves forward (409 otherwise). The ledger records that the clock is manual.",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "now": {
          "type": "string",
          "format": "date-time"
         }
        },
        "required": [
         "now"
        ]
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "additionalProperties": false,
         "properties": {
          "now": {
           "type": "string",
           "format": "date-time"
          }
         }
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/items": {
   "post": {
    "operationId": "ingestItem",
    "summary": "Submit a collected item (not built yet: 501)",
    "x-roles": [
     "collector"
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/items/{id}": {
   "get": {
    "operationId": "getItem",
    "summary": "An item's metadata (not built yet: 501)",
    "x-roles": [
     "gic",
     "cnctr"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "identifier"
     }
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/items/{id}/content": {
   "get": {
    "operationId": "getItemContent",
    "summary": "An item's bytes; 410 once destroyed (not built yet: 501)",
    "x-roles": [
     "gic",
     "cnctr"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "identifier"
     }
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/items/{id}/unrelated": {
   "post": {
    "operationId": "markItemUnrelated",
    "summary": "Destroy an unrelated item now (not built yet: 501)",
    "x-roles": [
     "gic"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "identifier"
     }
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/items/{id}/transcriptions": {
   "post": {
    "operationId": "transcribeItem",
    "summary": "Transcribe an item (not built yet: 501)",
    "x-roles": [
     "gic"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "identifier"
     }
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/transcriptions/{id}/transmissions": {
   "post": {
    "operationId": "transmitTranscription",
    "summary": "Transmit a transcription (not built yet: 501)",
    "x-roles": [
     "gic"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "identifier"
     }
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/holds": {
   "post": {
    "operationId": "placeHold",
    "summary": "Place a litigation hold (not built yet: 501)",
    "x-roles": [
     "pm"
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/holds/{id}": {
   "delete": {
    "operationId": "releaseHold",
    "summary": "Release a litigation hold (not built yet: 501)",
    "x-roles": [
     "pm"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "identifier"
     }
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/rnd/programmes": {
   "post": {
    "operationId": "submitRndProgramme",
    "summary": "Submit an R&D programme (not built yet: 501)",
    "x-roles": [
     "service_agent"
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/rnd/programmes/{id}/opinion": {
   "post": {
    "operationId": "giveRndOpinion",
    "summary": "The CNCTR's opinion on an R&D programme (not built yet: 501)",
    "x-roles": [
     "cnctr"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "identifier"
     }
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/rnd/programmes/{id}/decision": {
   "post": {
    "operationId": "decideRndProgramme",
    "summary": "The PM's decision on an R&D programme (not built yet: 501)",
    "x-roles": [
     "pm"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "identifier"
     }
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/rnd/programmes/{id}/items": {
   "post": {
    "operationId": "transferRndItem",
    "summary": "Transfer an item to an R&D programme (not built yet: 501)",
    "x-roles": [
     "gic"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "identifier"
     }
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/rnd/items/{id}/content": {
   "get": {
    "operationId": "getRndItemContent",
    "summary": "Pseudonymised R&D content (not built yet: 501)",
    "x-roles": [
     "rnd_agent",
     "cnctr"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "identifier"
     }
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/recommendations": {
   "post": {
    "operationId": "createRecommendation",
    "summary": "A CNCTR recommendation (not built yet: 501)",
    "x-roles": [
     "cnctr"
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/retention/sweep": {
   "post": {
    "operationId": "sweepRetention",
    "summary": "Run the destruction pass now (not built yet: 501)",
    "x-roles": [
     "gic"
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/destructions": {
   "get": {
    "operationId": "listDestructions",
    "summary": "Destruction records (not built yet: 501)",
    "x-roles": [
     "cnctr",
     "gic"
    ],
    "parameters": [
     {
      "name": "since",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "RFC 3339 time"
     }
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/reports/annual": {
   "get": {
    "operationId": "getAnnualReport",
    "summary": "Annual statistics from the ledger's events of one UTC year (doc/reports.md)",
    "x-roles": [
     "cnctr",
     "pm"
    ],
    "parameters": [
     {
      "name": "year",
      "in": "query",
      "required": true,
      "schema": {
       "type": "integer",
       "minimum": 1970,
       "maximum": 9999
      },
      "description": "the year, four digits"
     },
     {
      "name": "format",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "enum": [
        "json",
        "csv"
       ]
      },
      "description": "json (default) or csv: one row per section, key and value"
     }
    ],
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "year",
          "events_in_year",
          "events_read",
          "requests",
          "opinions",
          "decisions",
          "authorisations",
          "quotas"
         ],
         "additionalProperties": true
        }
       },
       "text/csv": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/ledger/checkpoint": {
   "get": {
    "operationId": "getLedgerCheckpoint",
    "summary": "The latest checkpoint (C2SP signed note) (not built yet: 501)",
    "x-roles": [
     "cnctr"
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/ledger/tile/{path}": {
   "get": {
    "operationId": "getLedgerTile",
    "summary": "A tile, as C2SP tlog-tiles lays them out (path: the rest of the URL) (not built yet: 501)",
    "x-roles": [
     "cnctr"
    ],
    "parameters": [
     {
      "name": "path",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "tile path, several segments"
     }
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/ledger/proof/{index}": {
   "get": {
    "operationId": "getLedgerProof",
    "summary": "An offline proof (C2SP tlog-proof) (not built yet: 501)",
    "x-roles": [
     "cnctr"
    ],
    "parameters": [
     {
      "name": "index",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "entry index"
     }
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/ledger/key": {
   "get": {
    "operationId": "getLedgerKey",
    "summary": "The verifier key (not built yet: 501)",
    "x-roles": [
     "cnctr"
    ],
    "responses": {
     "501": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  }
 },
 "components": {
  "securitySchemes": {
   "bearer": {
    "type": "http",
    "scheme": "bearer",
    "description": "cloison_ + 64 hex digits, from `cloison user add`"
   }
  },
  "responses": {
   "Error": {
    "description": "an error",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   }
  },
  "schemas": {
   "Error": {
    "type": "object",
    "additionalProperties": false,
    "properties": {
     "error": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
       "code": {
        "type": "string",
        "description": "INVALID_ARGUMENT, UNAUTHENTICATED, PERMISSION_DENIED, NOT_FOUND, METHOD_NOT_ALLOWED, REQUEST_TIMEOUT, FAILED_PRECONDITION, ALREADY_EXISTS, GONE, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, LEGAL_REFUSAL, HEADERS_TOO_LARGE, INTERNAL, UNIMPLEMENTED, UNAVAILABLE"
       },
       "message": {
        "type": "string"
       },
       "violations": {
        "type": "array",
        "items": {
         "$ref": "#/components/schemas/Violation"
        }
       },
       "subject": {
        "type": "string"
       }
      },
      "required": [
       "code",
       "message",
       "violations"
      ]
     }
    },
    "required": [
     "error"
    ]
   },
   "Violation": {
    "type": "object",
    "additionalProperties": false,
    "properties": {
     "rule": {
      "type": "string"
     },
     "article": {
      "type": "string"
     },
     "message": {
      "type": "string"
     }
    }
   },
   "Target": {
    "type": "object",
    "additionalProperties": false,
    "properties": {
     "type": {
      "type": "string"
     },
     "value": {
      "type": "string"
     }
    },
    "required": [
     "type",
     "value"
    ]
   },
   "RequestDraft": {
    "type": "object",
    "additionalProperties": false,
    "properties": {
     "service": {
      "type": "string"
     },
     "minister": {
      "type": "string"
     },
     "technique": {
      "type": "string"
     },
     "purposes": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "targets": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Target"
      }
     },
     "grounds": {
      "type": "string"
     },
     "duration_days": {
      "type": "integer",
      "minimum": 1,
      "maximum": 3660
     },
     "subsidiarity": {
      "type": "string"
     },
     "deferred_centralisation_reason": {
      "type": "string"
     },
     "protected_profession": {
      "type": "boolean"
     },
     "urgency": {
      "type": "boolean"
     },
     "renews": {
      "type": "string"
     },
     "renewal_reasons": {
      "type": "string"
     }
    },
    "required": [
     "service",
     "minister",
     "technique",
     "purposes",
     "targets",
     "grounds",
     "duration_days"
    ]
   },
   "Request": {
    "type": "object",
    "properties": {
     "id": {
      "type": "string"
     },
     "draft": {
      "$ref": "#/components/schemas/RequestDraft"
     },
     "state": {
      "type": "string"
     },
     "drafted_by": {
      "type": "string"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     },
     "opinion_due": {
      "type": "string",
      "format": "date-time"
     },
     "authorisation": {
      "type": "string"
     },
     "opinion": {
      "type": "object"
     },
     "decision": {
      "type": "object"
     },
     "history": {
      "type": "array",
      "items": {
       "type": "object"
      }
     }
    }
   },
   "Authorisation": {
    "type": "object",
    "properties": {
     "id": {
      "type": "string"
     },
     "request": {
      "type": "string"
     },
     "technique": {
      "type": "string"
     },
     "service": {
      "type": "string"
     },
     "minister": {
      "type": "string"
     },
     "state": {
      "type": "string"
     },
     "renews": {
      "type": "string"
     },
     "granted_at": {
      "type": "string",
      "format": "date-time"
     },
     "starts_at": {
      "type": "string",
      "format": "date-time"
     },
     "ends_at": {
      "type": "string",
      "format": "date-time"
     },
     "justification_due": {
      "type": "string",
      "format": "date-time"
     },
     "justified_at": {
      "type": "string",
      "format": "date-time"
     },
     "conseil_etat_due": {
      "type": "string",
      "format": "date-time"
     },
     "terminated_at": {
      "type": "string",
      "format": "date-time"
     },
     "purposes": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "urgency": {
      "type": "boolean"
     }
    }
   },
   "Quota": {
    "type": "object",
    "properties": {
     "technique": {
      "type": "string"
     },
     "limit": {
      "type": "integer"
     },
     "allocation": {
      "type": "object",
      "additionalProperties": {
       "type": "integer"
      }
     },
     "cnctr_opinion_ref": {
      "type": "string"
     },
     "set_by": {
      "type": "string"
     },
     "set_at": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "QuotaUse": {
    "allOf": [
     {
      "$ref": "#/components/schemas/Quota"
     },
     {
      "type": "object",
      "properties": {
       "in_force": {
        "type": "object",
        "additionalProperties": {
         "type": "integer"
        }
       },
       "issued": {
        "type": "integer"
       }
      }
     }
    ]
   },
   "RequestPage": {
    "type": "object",
    "additionalProperties": false,
    "properties": {
     "items": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Request"
      }
     },
     "next": {
      "type": "string"
     }
    },
    "required": [
     "items"
    ]
   },
   "AuthorisationPage": {
    "type": "object",
    "additionalProperties": false,
    "properties": {
     "items": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Authorisation"
      }
     },
     "next": {
      "type": "string"
     }
    },
    "required": [
     "items"
    ]
   }
  }
 }
}
)openapi";

}  // namespace

std::string_view OpenApiDocument() {
  return kDocument;
}

}  // namespace cloison::api
