import { createRouter } from "../platform/router";
import * as countries from "./countries";
import * as currencies from "./currencies";

/** Reference data: public, whole, cacheable lists. */
export const lookupsRouter = createRouter()
  .openapi(currencies.route, currencies.handler)
  .openapi(countries.route, countries.handler);
