import type { RouteHandler } from "@hono/zod-openapi";
import { ConditionalHeaders, cachedResponses, isNotModified } from "../platform/caching";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { CURRENCY_LIST, CurrencyListSchema, LOOKUP_MAX_AGE } from "./schemas";

export const route = defineRoute({
  method: "get",
  path: "/v1/currencies",
  operationId: "listCurrencies",
  tags: ["Reference data"],
  summary: "ISO 4217 currencies",
  description:
    "Every currency amounts may be given in (ISO 4217, from the `currency-codes` package, less precious metals " +
    "and test codes), sorted by code, with its minor units. The whole list in one response: no pagination. " +
    "Public and cacheable (`Cache-Control: public, max-age=3600`, a strong `ETag`; `If-None-Match` → 304).",
  access: { public: true },
  request: { headers: ConditionalHeaders },
  responses: cachedResponses(CurrencyListSchema, "Every currency."),
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  if (await isNotModified(c, CURRENCY_LIST, LOOKUP_MAX_AGE)) return c.body(null, 304);
  return c.json(CURRENCY_LIST, 200);
};
