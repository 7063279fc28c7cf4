import { createRouter } from "../platform/router";
import * as create from "./create";
import * as createCredential from "./credentials-create";
import * as deleteCredential from "./credentials-delete";
import * as listCredentials from "./credentials-list";
import * as remove from "./delete";
import * as get from "./get";
import * as getAccess from "./get-access";
import * as list from "./list";
import * as replaceAccess from "./replace-access";
import * as update from "./update";

export const serviceAccountsRouter = createRouter()
  .openapi(list.route, list.handler)
  .openapi(create.route, create.handler)
  .openapi(get.route, get.handler)
  .openapi(update.route, update.handler)
  .openapi(remove.route, remove.handler)
  .openapi(listCredentials.route, listCredentials.handler)
  .openapi(createCredential.route, createCredential.handler)
  .openapi(deleteCredential.route, deleteCredential.handler)
  .openapi(getAccess.route, getAccess.handler)
  .openapi(replaceAccess.route, replaceAccess.handler);
