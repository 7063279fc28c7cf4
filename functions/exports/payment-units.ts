import type { RouteHandler } from "@hono/zod-openapi";
import { paymentUnitFilters } from "../payment-units/listing";
import { PAYMENT_UNIT_LIST_EXAMPLE, PaymentUnitSchema } from "../payment-units/schemas";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { EXPORT_HEADERS, exportContent, exportDescription, exportQuery } from "./format";
import { EXPORT_SOURCES } from "./sources";
import { streamExport } from "./stream";

export const route = defineRoute({
  method: "get",
  path: "/v1/exports/payment-units",
  operationId: "exportPaymentUnits",
  tags: ["Exports"],
  summary: "Export an opportunity's payment units",
  description: `For members of the delivering organisation and of the program's (within their access lists). ${exportDescription("GET /v1/payment-units")}`,
  access: { scope: "export", permission: "exports:read", feature: "export" },
  request: { query: exportQuery(paymentUnitFilters) },
  responses: {
    200: {
      description: "The file.",
      headers: EXPORT_HEADERS,
      content: exportContent(PaymentUnitSchema, PAYMENT_UNIT_LIST_EXAMPLE.data[0]),
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { format, ...filters } = c.req.valid("query");
  return streamExport(c, EXPORT_SOURCES["payment-units"], format, filters);
};
