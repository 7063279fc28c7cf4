import { ERROR_REFERENCE_PATH, errorReferenceMarkdown } from "./error-reference";
import type { Router } from "./router";

export const API_TITLE = "Muster API";

/** The OpenAPI 3.1 document of an app, built once per isolate from its route definitions. */
export function documentOf(app: Router, version: string): () => Record<string, unknown> {
  let document: Record<string, unknown> | undefined;
  return () => {
    document ??= app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: API_TITLE,
        version,
        description:
          "Organisations and the people who work with them: members, roles, service accounts, invitations, " +
          "programs, opportunities, matching, plans, exports, analytics, calendar feeds and the audit trail.\n\n" +
          "**Authentication.** Send `Authorization: Bearer <token>`: a person's token from the identity provider " +
          "(locally, `npm run -s token -- alice@example.com`), or a service account's from `POST /v1/oauth/token`.\n\n" +
          "## Errors\n\nEvery error uses one envelope: `{ error: { code, message, fields?, request_id, doc_url } }`; " +
          `\`doc_url\` links to the code's row of [the error reference](${ERROR_REFERENCE_PATH}).\n\n${errorReferenceMarkdown()}`,
        contact: { name: "Muster", email: "api@muster.dev" },
        license: { name: "Proprietary" },
      },
      servers: [{ url: "https://api.muster.dev", description: "Production", "x-internal": false }],
      tags: [
        { name: "Platform", description: "Health, contract and keys." },
        { name: "OAuth", description: "Service-account tokens." },
        { name: "Organisations", description: "Tenants." },
        { name: "Members", description: "People in an organisation." },
        { name: "Roles", description: "Built-in and custom roles." },
        { name: "Service accounts", description: "Machine identities and their credentials." },
        { name: "Audit events", description: "Who changed what, when and from where." },
        { name: "Analytics", description: "Headline numbers, the invitation funnel and time series." },
        { name: "Exports", description: "Lists as one file (CSV, JSON, NDJSON), with the lists' own filters." },
        {
          name: "Calendar feeds",
          description: "Programs and opportunities as iCalendar subscriptions, for any calendar that takes a URL.",
        },
        { name: "Invitations", description: "Invitations by email or phone, and their custom methods." },
        { name: "Opportunity workers", description: "People invited to opportunities by phone, and their access." },
        { name: "Users", description: "You, and your volunteer profile (yours alone: nobody else reads it)." },
        {
          name: "Opportunity interests",
          description: "Volunteers telling an organisation they are interested, sharing their contact with it.",
        },
        { name: "Webhooks", description: "Signed inbound webhooks." },
        { name: "Programs", description: "Programs run by program-manager organisations: budget, dates, currency." },
        {
          name: "Program applications",
          description: "Organisations invited into a program, and their answers (apply, decline, accept, reject).",
        },
        { name: "Opportunities", description: "Work organisations deliver, and the public catalog of open ones." },
        { name: "Payment units", description: "What an opportunity pays per unit of work, capped per person and day." },
        {
          name: "Deliver units",
          description: "The pieces of work an opportunity asks for, each paid through a payment unit.",
        },
        {
          name: "Skills",
          description:
            "The five practice areas and the curated skill catalog (public, cacheable); platform administrators curate it.",
        },
        {
          name: "Reference data",
          description: "Public, cacheable lists: currencies, countries, delivery types (ETag and 304).",
        },
        {
          name: "Platform administration",
          description: "What only platform administrators (PLATFORM_ADMINS) may do: program managers, catalogs.",
        },
        {
          name: "Matching",
          description: "Volunteers ranked for an opportunity and opportunities for a volunteer, each with its reasons.",
        },
      ],
    }) as unknown as Record<string, unknown>;
    return document;
  };
}
