import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { notFound } from "../platform/errors";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { STATIC_HEADERS } from "./static-headers";

// The landing page is two static assets (functions/meta/assets/invite.html and invite.js, wrangler.toml `[assets]`):
// Cloudflare serves them before the Worker runs. These routes serve them where nothing stands in front (the tests,
// `app.request`), and document them.

export const pageRoute = defineRoute({
  method: "get",
  path: "/invite",
  operationId: "getInvitationPage",
  tags: ["Platform"],
  summary: "The invitation landing page",
  description:
    "What invitation emails and SMS link to (`INVITATION_URL`, by default `<API_ISSUER>/invite#code={code}`): the " +
    "page looks the code in the fragment up with `POST /v1/invitations:lookup`, shows what the invitation is for and " +
    "when it expires in the reader's time zone, and offers Accept and Decline only while it can be answered (an " +
    "accepted, declined, cancelled or expired one is said to be so). Answering takes the invitee's access token: " +
    "an app that signed the person in can pass it as `#code=…&token=…`; the page removes it from the address bar.",
  access: { public: true },
  responses: {
    200: {
      description: "An HTML page.",
      content: { "text/html": { schema: z.string().openapi({ type: "string", maxLength: 10000 }) } },
    },
  },
});

export const scriptRoute = defineRoute({
  method: "get",
  path: "/invite.js",
  operationId: "getInvitationPageScript",
  tags: ["Platform"],
  summary: "The invitation landing page's script",
  description: "The landing page's script (a plain ES module, no build step). Cached for an hour.",
  access: { public: true },
  responses: {
    200: {
      description: "JavaScript.",
      content: { "text/javascript": { schema: z.string().openapi({ type: "string", maxLength: 100000 }) } },
    },
  },
});

async function asset(c: Parameters<RouteHandler<typeof pageRoute, AppEnv>>[0], path: string, type: string) {
  const file = await c.env.ASSETS?.fetch(new URL(path, c.req.url));
  if (!file?.ok) throw notFound("page");
  return new Response(file.body, {
    status: 200,
    headers: { "Content-Type": type, ...STATIC_HEADERS[path] },
  });
}

export const pageHandler: RouteHandler<typeof pageRoute, AppEnv> = (c) =>
  asset(c, "/invite", "text/html; charset=utf-8") as never;

export const scriptHandler: RouteHandler<typeof scriptRoute, AppEnv> = (c) =>
  asset(c, "/invite.js", "text/javascript; charset=utf-8") as never;
