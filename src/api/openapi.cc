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
    "description": "The clock only moves forward (409 otherwise). The ledger records that the clock is manual. With a vault, a retention sweep runs before the answer, so what fell due is destroyed as the schedule would have done.",
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
          },
          "destroyed": {
           "type": "integer",
           "description": "items destroyed by the sweep this move ran"
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
    "summary": "Submit a collected item through the ingest gate (L. 822-1, L. 822-2)",
    "x-roles": [
     "collector"
    ],
    "description": "The body is the item's content (application/octet-stream) or the content sealed for the centralising service (application/cloison-sealed, doc/formats/sealed-item.md; L. 852-3 deferred centralisation). The gate accepts it only if the authorisation is in force for its technique at collected_at, the technique collects `kind`, collected_at is not in the future beyond the clock skew, and its deadline has not passed; otherwise 422 LEGAL_REFUSAL with the violated rules (the refusal is in the ledger, nothing is stored). A body over the instance's vault.max_item_size is 413.",
    "parameters": [
     {
      "name": "authorisation",
      "in": "query",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "the authorisation's id"
     },
     {
      "name": "kind",
      "in": "query",
      "required": true,
      "schema": {
       "type": "string",
       "enum": [
        "correspondence",
        "connection_data",
        "computer_data",
        "sound_image",
        "url",
        "location"
       ]
      },
      "description": "item kind"
     },
     {
      "name": "collected_at",
      "in": "query",
      "required": true,
      "schema": {
       "type": "string",
       "format": "date-time"
      },
      "description": "RFC 3339 collection time"
     },
     {
      "name": "target",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "the collector's target reference"
     },
     {
      "name": "encrypted",
      "in": "query",
      "required": false,
      "schema": {
       "type": "boolean"
      },
      "description": "true for encrypted data (retention from decryption, L. 822-2 I)"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/octet-stream": {
       "schema": {
        "type": "string",
        "format": "binary"
       }
      },
      "application/cloison-sealed": {
       "schema": {
        "type": "string",
        "format": "binary"
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
           "type": "string",
           "enum": [
            "stored",
            "sealed"
           ]
          },
          "destroy_by": {
           "type": "string",
           "format": "date-time"
          }
         },
         "required": [
          "id",
          "state",
          "destroy_by"
         ]
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
     "413": {
      "$ref": "#/components/responses/Error"
     },
     "415": {
      "$ref": "#/components/responses/Error"
     },
     "422": {
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
    "summary": "An item's metadata, never its content; 410 once destroyed",
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
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Item"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "410": {
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
    "summary": "An item's bytes; every read is in the ledger; 409 while sealed; 410 once destroyed",
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
     "200": {
      "description": "success",
      "content": {
       "application/octet-stream": {
        "schema": {
         "type": "string",
         "format": "binary"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "410": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/items/{id}/open": {
   "post": {
    "operationId": "openSealedItem",
    "summary": "Open a sealed item with the centralising key (not in API.md)",
    "x-roles": [
     "gic"
    ],
    "description": "Addition to API.md: the centralising service opens an item that arrived sealed (L. 852-3); its content is stored encrypted in a new envelope in the same bucket, the item becomes `stored` and `item.unsealed` is in the ledger. An item that is not sealed is 409.",
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
     "required": false,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {}
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
         "$ref": "#/components/schemas/Item"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "410": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/items/{id}/decryption": {
   "post": {
    "operationId": "recordDecryption",
    "summary": "Record the decryption of encrypted data (not in API.md)",
    "x-roles": [
     "gic"
    ],
    "description": "Addition to API.md: for an item ingested with encrypted=true, its deadline becomes the period of its kind from decrypted_at, never beyond 6 years from collection (L. 822-2 I). `item.decrypted`.",
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
         "decrypted_at": {
          "type": "string",
          "format": "date-time"
         }
        },
        "required": [
         "decrypted_at"
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
         "$ref": "#/components/schemas/Item"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "410": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/items/{id}/technical-analysis": {
   "post": {
    "operationId": "recordTechnicalAnalysis",
    "summary": "Keep an item for technical analysis (not in API.md)",
    "x-roles": [
     "gic"
    ],
    "description": "Addition to API.md: the technical-analysis exception of L. 822-2 I: the item is kept until `until` (capped at the encrypted-data ceiling) for the stated justification, whose hash goes to the ledger. `item.technical_analysis`.",
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
         "justification": {
          "type": "string"
         },
         "until": {
          "type": "string",
          "format": "date-time"
         }
        },
        "required": [
         "justification",
         "until"
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
         "$ref": "#/components/schemas/Item"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "410": {
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
    "summary": "Destroy an unrelated item now (L. 852-3, L. 851-6, L. 852-1 II)",
    "x-roles": [
     "gic"
    ],
    "description": "Its wrapped data key is overwritten and its record replaced by a destruction record; a held item is 409.",
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
     "required": false,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {}
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
         "$ref": "#/components/schemas/Destruction"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "410": {
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
    "summary": "Transcribe an item (L. 822-3)",
    "x-roles": [
     "gic"
    ],
    "description": "Stored encrypted as a vault item in its item's bucket with its item's deadline. A purpose other than the authorisation's is allowed, flagged and queued for the CNCTR at once (L. 822-4); so is a transcription under a protected-profession request (L. 821-7).",
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "the item's id"
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
         "text": {
          "type": "string"
         },
         "purpose": {
          "type": "string",
          "description": "a purpose of the rulebook; another than the authorisation's is flagged"
         }
        },
        "required": [
         "text",
         "purpose"
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
         "$ref": "#/components/schemas/Transcription"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "410": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/items/{id}/extractions": {
   "post": {
    "operationId": "extractFromItem",
    "summary": "Extract from an item (L. 822-3; not in API.md)",
    "x-roles": [
     "gic"
    ],
    "description": "Addition to API.md: as a transcription, for an extraction.",
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "the item's id"
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
         "text": {
          "type": "string"
         },
         "purpose": {
          "type": "string",
          "description": "a purpose of the rulebook; another than the authorisation's is flagged"
         }
        },
        "required": [
         "text",
         "purpose"
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
         "$ref": "#/components/schemas/Transcription"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "410": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/transcriptions/{id}": {
   "get": {
    "operationId": "getTranscription",
    "summary": "A transcription's or extraction's metadata (not in API.md)",
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
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Transcription"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "410": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/transcriptions/{id}/content": {
   "get": {
    "operationId": "getTranscriptionContent",
    "summary": "A transcription's text; every read is in the ledger (not in API.md)",
    "x-roles": [
     "gic",
     "cnctr",
     "service_agent"
    ],
    "description": "Addition to API.md: an agent reads only a transcription transmitted to its service.",
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
       "text/plain": {
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "410": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/transcriptions/{id}/destroy": {
   "post": {
    "operationId": "destroyTranscription",
    "summary": "Destroy a transcription no longer indispensable (L. 822-3; not in API.md)",
    "x-roles": [
     "gic"
    ],
    "description": "Addition to API.md: its wrapped data key is erased now; a destruction record is listed under /destructions.",
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
     "required": false,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {}
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
         "$ref": "#/components/schemas/Transcription"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "410": {
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
    "summary": "Transmit a transcription to a service",
    "x-roles": [
     "gic"
    ],
    "description": "To a service of the rulebook, for a purpose; another purpose than the authorisation's is flagged and queued for the CNCTR (L. 822-4).",
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
         "recipient_service": {
          "type": "string"
         },
         "purpose": {
          "type": "string"
         }
        },
        "required": [
         "recipient_service",
         "purpose"
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
         "$ref": "#/components/schemas/Transmission"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "410": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/cnctr-queue": {
   "get": {
    "operationId": "listCnctrQueue",
    "summary": "The CNCTR's queue of flagged uses, oldest first (L. 822-4, L. 821-7; not in API.md)",
    "x-roles": [
     "cnctr"
    ],
    "parameters": [
     {
      "name": "state",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "enum": [
        "open",
        "all"
       ]
      },
      "description": "open (default) or all"
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
         "$ref": "#/components/schemas/QueuePage"
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
  "/v1/cnctr-queue/{id}/acknowledgement": {
   "post": {
    "operationId": "acknowledgeQueueEntry",
    "summary": "Acknowledge a queue entry (not in API.md)",
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
     "required": false,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {}
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
         "$ref": "#/components/schemas/QueueEntry"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
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
    "summary": "Place a litigation hold (L. 822-2 II)",
    "x-roles": [
     "pm"
    ],
    "description": "Held items move to the hold's compartment and are never swept while a hold freezes them.",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "case": {
          "type": "string"
         },
         "items": {
          "type": "array",
          "items": {
           "type": "string"
          },
          "minItems": 1
         }
        },
        "required": [
         "case",
         "items"
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
         "$ref": "#/components/schemas/Hold"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "410": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/holds/{id}": {
   "get": {
    "operationId": "getHold",
    "summary": "A litigation hold (not in API.md)",
    "x-roles": [
     "pm",
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
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Hold"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   },
   "delete": {
    "operationId": "releaseHold",
    "summary": "Release a litigation hold",
    "x-roles": [
     "pm"
    ],
    "description": "Items no other hold freezes go back to their deadline; one already past is destroyed by the next sweep.",
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
         "$ref": "#/components/schemas/Hold"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
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
    "summary": "Submit an R&D programme (L. 822-2 III)",
    "x-roles": [
     "service_agent"
    ],
    "description": "For the agent's own service. A service outside the first circle, or missing algorithm criteria when the rulebook requires them, is stored as refused: 422 LEGAL_REFUSAL with its id as `subject`.",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "service": {
          "type": "string"
         },
         "title": {
          "type": "string"
         },
         "purpose": {
          "type": "string",
          "description": "the technical means of collection or exploitation studied"
         },
         "technical_parameters": {
          "type": "string"
         },
         "algorithm_criteria": {
          "type": "string"
         }
        },
        "required": [
         "service",
         "title",
         "purpose",
         "technical_parameters"
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
         "$ref": "#/components/schemas/RndProgramme"
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
     "422": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/rnd/programmes/{id}": {
   "get": {
    "operationId": "getRndProgramme",
    "summary": "An R&D programme as the caller may see it (not in API.md)",
    "x-roles": [
     "service_agent",
     "cnctr",
     "pm",
     "rnd_agent",
     "admin"
    ],
    "description": "Agents see their service's programmes, rnd_agents those they are assigned to; the administrator and rnd_agents do not see the opinion's and decision's reasons.",
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
         "$ref": "#/components/schemas/RndProgramme"
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
     "404": {
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
    "summary": "The CNCTR's opinion on an R&D programme",
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
         "reasons": {
          "type": "string"
         }
        },
        "required": [
         "verdict",
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
         "$ref": "#/components/schemas/RndProgramme"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
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
    "summary": "The PM's decision on an R&D programme",
    "x-roles": [
     "pm"
    ],
    "description": "Never by the drafter or the opinion's author; without the CNCTR's opinion, 422.",
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
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/RndProgramme"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "422": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/rnd/programmes/{id}/resume": {
   "post": {
    "operationId": "resumeRndProgramme",
    "summary": "Lift the CNCTR's suspension of an R&D programme (not in API.md)",
    "x-roles": [
     "cnctr"
    ],
    "description": "Addition to API.md: the CNCTR checks a programme's compliance and recommends its suspension (L. 822-2 III); it alone lifts it. The programme must be suspended (409 otherwise); reasons are required, the ledger keeps their hash (rnd.programme.resumed).",
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
         "$ref": "#/components/schemas/RndProgramme"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/rnd/programmes/{id}/close": {
   "post": {
    "operationId": "closeRndProgramme",
    "summary": "Close an R&D programme, destroying its copies (not in API.md)",
    "x-roles": [
     "minister",
     "pm"
    ],
    "description": "Addition to API.md: the PM, or the minister of the programme's service (403 for another ministry), closes a granted or suspended programme (409 otherwise, and while a hold freezes one of its copies, L. 822-2 II). Every copy is destroyed with a destruction record, its bucket keys and the programme's pseudonym key are destroyed by the sweep that follows; the programme then refuses every access and transfer (rnd.programme.closed).",
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
         "$ref": "#/components/schemas/RndProgramme"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/rnd/programmes/{id}/agents": {
   "post": {
    "operationId": "assignRndAgent",
    "summary": "Assign a cleared rnd_agent to a granted programme (not in API.md)",
    "x-roles": [
     "pm",
     "admin"
    ],
    "description": "Addition to API.md: L. 822-2 III reserves R&D data to agents specially cleared and assigned to the programme; the agent must be an rnd_agent of its service.",
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
         "agent": {
          "type": "string",
          "description": "the rnd_agent's principal id"
         }
        },
        "required": [
         "agent"
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
         "$ref": "#/components/schemas/RndProgramme"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
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
    "summary": "Copy an item into an R&D programme, pseudonymised",
    "x-roles": [
     "gic"
    ],
    "description": "The copy has no grounds, purposes, targets or identifiers (identifiers become keyed pseudonyms) and is kept at most 5 years after the original collection; past that, 422.",
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "the programme's id"
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
         "item": {
          "type": "string"
         }
        },
        "required": [
         "item"
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
          "id": {
           "type": "string"
          },
          "programme": {
           "type": "string"
          },
          "kind": {
           "type": "string",
           "enum": [
            "correspondence",
            "connection_data",
            "computer_data",
            "sound_image",
            "url",
            "location"
           ]
          },
          "copied_at": {
           "type": "string",
           "format": "date-time"
          },
          "destroy_by": {
           "type": "string",
           "format": "date-time"
          },
          "identifiers": {
           "type": "integer",
           "description": "identifiers replaced by pseudonyms"
          }
         },
         "required": [
          "id",
          "programme",
          "kind",
          "copied_at",
          "destroy_by",
          "identifiers"
         ]
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "410": {
      "$ref": "#/components/responses/Error"
     },
     "422": {
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
    "summary": "Pseudonymised R&D content; every read is in the ledger",
    "x-roles": [
     "rnd_agent",
     "cnctr"
    ],
    "description": "An rnd_agent must be assigned to the copy's programme, which must not be suspended.",
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "the copy's id"
     }
    ],
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/octet-stream": {
        "schema": {
         "type": "string",
         "format": "binary"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "410": {
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
    "summary": "A CNCTR recommendation (L. 833-6)",
    "x-roles": [
     "cnctr"
    ],
    "description": "destroy (an item with its kept transcriptions, or one transcription) and suspend_programme take effect at once; interrupt waits for the PM's follow-up. A held item (L. 822-2 II) is 409. The ledger keeps a hash of the reasons, never their text.",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "kind": {
          "type": "string",
          "enum": [
           "interrupt",
           "destroy",
           "suspend_programme"
          ]
         },
         "target": {
          "type": "string",
          "description": "an authorisation, item, transcription or programme id"
         },
         "reasons": {
          "type": "string"
         }
        },
        "required": [
         "kind",
         "target",
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
         "$ref": "#/components/schemas/Recommendation"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "410": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/recommendations/{id}": {
   "get": {
    "operationId": "getRecommendation",
    "summary": "A recommendation (not in API.md)",
    "x-roles": [
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
         "$ref": "#/components/schemas/Recommendation"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "default": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/v1/recommendations/{id}/follow-up": {
   "post": {
    "operationId": "recordFollowUp",
    "summary": "The PM's follow-up of an interruption (L. 833-6; not in API.md)",
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
         "response": {
          "type": "string"
         }
        },
        "required": [
         "response"
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
         "$ref": "#/components/schemas/Recommendation"
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
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
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
    "summary": "Run the destruction pass now",
    "x-roles": [
     "gic"
    ],
    "description": "Destroys every due bucket holding no held item (crypto-shredding: bucket keys destroyed, then the root key rotated), one destruction record each. The server also sweeps every minute, and after PUT /v1/test/clock.",
    "requestBody": {
     "required": false,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {}
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
          "destroyed": {
           "type": "integer",
           "description": "items destroyed"
          },
          "buckets": {
           "type": "integer",
           "description": "bucket keys destroyed"
          },
          "root_epoch": {
           "type": "integer"
          }
         },
         "required": [
          "destroyed",
          "buckets",
          "root_epoch"
         ]
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
  "/v1/destructions": {
   "get": {
    "operationId": "listDestructions",
    "summary": "Destruction records with their ledger indexes",
    "x-roles": [
     "cnctr",
     "gic"
    ],
    "description": "Records destroyed at or after `since`, ordered by item id, paginated like the other lists.",
    "parameters": [
     {
      "name": "since",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date-time"
      },
      "description": "RFC 3339 time; default: all"
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
         "$ref": "#/components/schemas/DestructionPage"
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
    "summary": "The latest checkpoint (C2SP signed note)",
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
    "summary": "A tile, as C2SP tlog-tiles lays them out (path: the rest of the URL)",
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
    "summary": "An offline proof (C2SP tlog-proof)",
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
    "summary": "The verifier key",
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
   },
   "Item": {
    "type": "object",
    "additionalProperties": false,
    "properties": {
     "id": {
      "type": "string"
     },
     "authorisation": {
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
     "kind": {
      "type": "string",
      "enum": [
       "correspondence",
       "connection_data",
       "computer_data",
       "sound_image",
       "url",
       "location"
      ]
     },
     "target": {
      "type": "string",
      "description": "the collector's target reference, \"\" if none"
     },
     "collected_at": {
      "type": "string",
      "format": "date-time"
     },
     "ingested_at": {
      "type": "string",
      "format": "date-time"
     },
     "state": {
      "type": "string",
      "enum": [
       "stored",
       "sealed",
       "held"
      ]
     },
     "arrived_sealed": {
      "type": "boolean",
      "description": "sealed at collection (L. 852-3 deferred centralisation)"
     },
     "encrypted": {
      "type": "boolean",
      "description": "encrypted data: retention counts from decryption (L. 822-2 I)"
     },
     "decrypted_at": {
      "type": "string",
      "format": "date-time",
      "nullable": true
     },
     "destroy_by": {
      "type": "string",
      "format": "date-time",
      "description": "its deadline (while held: the one it returns to on release)"
     },
     "rule": {
      "type": "string",
      "description": "the retention rule of the deadline"
     },
     "article": {
      "type": "string"
     },
     "analysis_until": {
      "type": "string",
      "format": "date-time",
      "nullable": true
     },
     "holds": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "size": {
      "type": "integer",
      "description": "bytes received (content or sealed bytes)"
     },
     "envelope_sha256": {
      "type": "string"
     }
    },
    "required": [
     "id",
     "authorisation",
     "technique",
     "service",
     "minister",
     "kind",
     "target",
     "collected_at",
     "ingested_at",
     "state",
     "arrived_sealed",
     "encrypted",
     "decrypted_at",
     "destroy_by",
     "rule",
     "article",
     "analysis_until",
     "holds",
     "size",
     "envelope_sha256"
    ]
   },
   "Hold": {
    "type": "object",
    "additionalProperties": false,
    "properties": {
     "id": {
      "type": "string"
     },
     "case": {
      "type": "string",
      "description": "the Conseil d'État case (L. 822-2 II)"
     },
     "items": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "state": {
      "type": "string",
      "enum": [
       "placed",
       "released"
      ]
     },
     "placed_by": {
      "type": "string"
     },
     "placed_at": {
      "type": "string",
      "format": "date-time"
     },
     "released_at": {
      "type": "string",
      "format": "date-time",
      "nullable": true
     }
    },
    "required": [
     "id",
     "case",
     "items",
     "state",
     "placed_by",
     "placed_at",
     "released_at"
    ]
   },
   "Destruction": {
    "type": "object",
    "additionalProperties": false,
    "properties": {
     "item": {
      "type": "string"
     },
     "kind": {
      "type": "string",
      "enum": [
       "correspondence",
       "connection_data",
       "computer_data",
       "sound_image",
       "url",
       "location"
      ]
     },
     "technique": {
      "type": "string"
     },
     "authorisation": {
      "type": "string"
     },
     "service": {
      "type": "string"
     },
     "envelope_sha256": {
      "type": "string"
     },
     "collected_at": {
      "type": "string",
      "format": "date-time"
     },
     "reason": {
      "type": "string",
      "enum": [
       "retention",
       "unrelated",
       "recommendation"
      ]
     },
     "rule": {
      "type": "string"
     },
     "article": {
      "type": "string"
     },
     "destroy_by": {
      "type": "string",
      "format": "date-time"
     },
     "destroyed_at": {
      "type": "string",
      "format": "date-time"
     },
     "late": {
      "type": "boolean",
      "description": "destroyed after its deadline"
     },
     "method": {
      "type": "string",
      "description": "how: crypto-erase of the bucket key (sweep) or of the wrapped data key (early destruction)"
     },
     "bucket": {
      "type": "string"
     },
     "root_epoch": {
      "type": "integer"
     },
     "recommendation": {
      "type": "string",
      "description": "the CNCTR recommendation followed, \"\" if none"
     },
     "actor": {
      "type": "string",
      "description": "principal id, or \"system\" for the scheduled sweep"
     },
     "ledger_index": {
      "type": "integer",
      "description": "index in the ledger of its item.destroyed event (early destruction) or of the items.destroyed event that lists it (sweep)"
     }
    },
    "required": [
     "item",
     "kind",
     "technique",
     "authorisation",
     "service",
     "envelope_sha256",
     "collected_at",
     "reason",
     "rule",
     "article",
     "destroy_by",
     "destroyed_at",
     "late",
     "method",
     "bucket",
     "root_epoch",
     "recommendation",
     "actor",
     "ledger_index"
    ]
   },
   "DestructionPage": {
    "type": "object",
    "additionalProperties": false,
    "properties": {
     "items": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Destruction"
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
   "RndProgramme": {
    "type": "object",
    "additionalProperties": false,
    "properties": {
     "id": {
      "type": "string"
     },
     "service": {
      "type": "string"
     },
     "title": {
      "type": "string"
     },
     "purpose": {
      "type": "string"
     },
     "technical_parameters": {
      "type": "string"
     },
     "algorithm_criteria": {
      "type": "string"
     },
     "state": {
      "type": "string",
      "enum": [
       "awaiting_opinion",
       "opinion_given",
       "granted",
       "refused",
       "suspended",
       "closed"
      ]
     },
     "submitted_by": {
      "type": "string"
     },
     "submitted_at": {
      "type": "string",
      "format": "date-time"
     },
     "opinion": {
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
       "reasons": {
        "type": "string"
       },
       "by": {
        "type": "string"
       },
       "at": {
        "type": "string",
        "format": "date-time"
       }
      },
      "nullable": true
     },
     "decision": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
       "grant": {
        "type": "boolean"
       },
       "reasons": {
        "type": "string"
       },
       "by": {
        "type": "string"
       },
       "at": {
        "type": "string",
        "format": "date-time"
       },
       "against_opinion": {
        "type": "boolean"
       }
      },
      "nullable": true
     },
     "suspension": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
       "recommendation": {
        "type": "string"
       },
       "by": {
        "type": "string"
       },
       "at": {
        "type": "string",
        "format": "date-time"
       }
      },
      "nullable": true
     },
     "resumption": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
       "reasons": {
        "type": "string"
       },
       "by": {
        "type": "string"
       },
       "at": {
        "type": "string",
        "format": "date-time"
       }
      },
      "nullable": true
     },
     "closure": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
       "reasons": {
        "type": "string"
       },
       "by": {
        "type": "string"
       },
       "at": {
        "type": "string",
        "format": "date-time"
       },
       "copies_destroyed": {
        "type": "integer"
       }
      },
      "nullable": true
     },
     "agents": {
      "type": "array",
      "items": {
       "type": "string"
      }
     }
    },
    "required": [
     "id",
     "service",
     "title",
     "purpose",
     "technical_parameters",
     "algorithm_criteria",
     "state",
     "submitted_by",
     "submitted_at",
     "opinion",
     "decision",
     "suspension",
     "resumption",
     "closure",
     "agents"
    ]
   },
   "Transcription": {
    "type": "object",
    "additionalProperties": false,
    "properties": {
     "id": {
      "type": "string"
     },
     "type": {
      "type": "string",
      "enum": [
       "transcription",
       "extraction"
      ]
     },
     "item": {
      "type": "string"
     },
     "authorisation": {
      "type": "string"
     },
     "technique": {
      "type": "string"
     },
     "purpose": {
      "type": "string"
     },
     "other_purpose": {
      "type": "boolean",
      "description": "not a purpose of the authorisation: flagged and queued for the CNCTR (L. 822-4)"
     },
     "protected_profession": {
      "type": "boolean",
      "description": "the request concerned a protected profession (L. 821-7): queued for the CNCTR"
     },
     "made_by": {
      "type": "string"
     },
     "made_at": {
      "type": "string",
      "format": "date-time"
     },
     "destroy_by": {
      "type": "string",
      "format": "date-time",
      "description": "its item's deadline: never kept after its item"
     },
     "state": {
      "type": "string",
      "enum": [
       "kept",
       "destroyed"
      ]
     }
    },
    "required": [
     "id",
     "type",
     "item",
     "authorisation",
     "technique",
     "purpose",
     "other_purpose",
     "protected_profession",
     "made_by",
     "made_at",
     "destroy_by",
     "state"
    ]
   },
   "Transmission": {
    "type": "object",
    "additionalProperties": false,
    "properties": {
     "id": {
      "type": "string"
     },
     "transcription": {
      "type": "string"
     },
     "recipient_service": {
      "type": "string"
     },
     "purpose": {
      "type": "string"
     },
     "other_purpose": {
      "type": "boolean"
     },
     "by": {
      "type": "string"
     },
     "at": {
      "type": "string",
      "format": "date-time"
     }
    },
    "required": [
     "id",
     "transcription",
     "recipient_service",
     "purpose",
     "other_purpose",
     "by",
     "at"
    ]
   },
   "QueueEntry": {
    "type": "object",
    "additionalProperties": false,
    "properties": {
     "id": {
      "type": "string"
     },
     "reason": {
      "type": "string",
      "enum": [
       "other_purpose",
       "protected_profession"
      ]
     },
     "article": {
      "type": "string"
     },
     "subject_kind": {
      "type": "string",
      "enum": [
       "transcription",
       "transmission"
      ]
     },
     "subject": {
      "type": "string"
     },
     "item": {
      "type": "string"
     },
     "purpose": {
      "type": "string"
     },
     "authorised_purposes": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "ledger_index": {
      "type": "integer",
      "description": "the event that made the subject"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     },
     "state": {
      "type": "string",
      "enum": [
       "open",
       "acknowledged"
      ]
     },
     "acknowledged_by": {
      "type": "string"
     },
     "acknowledged_at": {
      "type": "string",
      "format": "date-time",
      "nullable": true
     }
    },
    "required": [
     "id",
     "reason",
     "article",
     "subject_kind",
     "subject",
     "item",
     "purpose",
     "authorised_purposes",
     "ledger_index",
     "created_at",
     "state",
     "acknowledged_by",
     "acknowledged_at"
    ]
   },
   "QueuePage": {
    "type": "object",
    "additionalProperties": false,
    "properties": {
     "items": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/QueueEntry"
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
   "Recommendation": {
    "type": "object",
    "additionalProperties": false,
    "properties": {
     "id": {
      "type": "string"
     },
     "kind": {
      "type": "string",
      "enum": [
       "interrupt",
       "destroy",
       "suspend_programme"
      ]
     },
     "target": {
      "type": "string"
     },
     "reasons": {
      "type": "string"
     },
     "made_by": {
      "type": "string"
     },
     "made_at": {
      "type": "string",
      "format": "date-time"
     },
     "state": {
      "type": "string",
      "enum": [
       "awaiting_follow_up",
       "followed_up",
       "executed"
      ]
     },
     "destroys": {
      "type": "array",
      "items": {
       "type": "string"
      },
      "description": "destroy: what it destroyed (the item and its kept transcriptions, or one transcription)"
     },
     "follow_up": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
       "response": {
        "type": "string"
       },
       "by": {
        "type": "string"
       },
       "at": {
        "type": "string",
        "format": "date-time"
       }
      },
      "nullable": true
     }
    },
    "required": [
     "id",
     "kind",
     "target",
     "reasons",
     "made_by",
     "made_at",
     "state",
     "destroys",
     "follow_up"
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
