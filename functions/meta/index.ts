import { createRouter } from "../platform/router";
import * as docs from "./docs";
import * as errors from "./errors";
import * as healthz from "./healthz";
import * as invite from "./invite";
import * as jwks from "./jwks";
import * as openapi from "./openapi";
import * as root from "./root";

/** Platform routes served by the gateway: health, the document, the reference page, the invitation landing page, the API's public keys. */
export function createMetaRouter(document: () => Record<string, unknown>) {
  return createRouter()
    .openapi(root.route, root.handler)
    .openapi(healthz.route, healthz.handler)
    .openapi(openapi.route, openapi.handler(document))
    .openapi(docs.pageRoute, docs.pageHandler)
    .openapi(docs.scriptRoute, docs.scriptHandler)
    .openapi(invite.pageRoute, invite.pageHandler)
    .openapi(invite.scriptRoute, invite.scriptHandler)
    .openapi(errors.route, errors.handler)
    .openapi(jwks.route, jwks.handler);
}
