import type { RouteHandler } from "@hono/zod-openapi";
import { ConditionalHeaders, cachedResponses, isNotModified } from "../platform/caching";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { COUNTRY_LIST, CountryListSchema, LOOKUP_MAX_AGE } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/countries",
  operationId: "listCountries",
  tags: ["Reference data"],
  summary: "ISO 3166-1 countries",
  description:
    "Every country a program can name (ISO 3166-1, from the `countries-list` package), sorted by alpha-2 code, " +
    "with its alpha-3 code and the currency it uses. The whole list in one response: no pagination. " +
    "Public and cacheable (`Cache-Control: public, max-age=3600`, a strong `ETag`; `If-None-Match` → 304).",
  access: { public: true },
  request: { headers: ConditionalHeaders },
  responses: cachedResponses(CountryListSchema, "Every country."),
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  if (await isNotModified(c, COUNTRY_LIST, LOOKUP_MAX_AGE)) return c.body(null, 304);
  return c.json(COUNTRY_LIST, 200);
};
