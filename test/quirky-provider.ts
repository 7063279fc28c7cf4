// A test-only email/SMS provider that misbehaves on purpose, where the dev mailbox always behaves. Node-only code,
// started by the global setup. The first path segment of the base URL picks the behaviour (EMAIL_PROVIDER_URL is
// used as `${base}/emails`, SMS_PROVIDER_URL as `${base}/2010-04-01/...`):
//   /slow-503/…    holds the request until the test lets go (POST /release?to=…) or 5 s pass, then answers
//                  503 (a send still in flight while the API moves on)
//   /plain-200/…   answers 200 with a text/plain body "OK" (a delivery whose answer is not JSON)
//   /refuse-422/…  answers 422 (a refusal that retrying will not change)
//   /down-503/…    answers 503 at once (a provider that is down: retrying later will pass)
//   /no-answer/…   takes the request and never answers (an unreachable provider: the API's own 10 s timeout gives
//                  up, quietly; a refused connection would do too, but workerd logs stack traces for it although
//                  the API handles it)
// Every send is counted per recipient as it arrives (before any wait): GET /received?to=… answers
// { count, behaviours } for that recipient.
import http from "node:http";
import type { AddressInfo } from "node:net";

export const QUIRKS = ["slow-503", "plain-200", "refuse-422", "down-503", "no-answer"] as const;
export type Quirk = (typeof QUIRKS)[number];

/** How long a `slow-503` send is held at most when the test never lets go (under the API's 10 s timeout). */
const SLOW_MS = 5000;

export interface QuirkyProvider {
  /** e.g. http://127.0.0.1:40123 — append `/${quirk}` to get a provider base URL. */
  url: string;
  close(): Promise<void>;
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** The recipients of an email (Resend's JSON `to`) or an SMS (Twilio's form `To`). */
function recipientsOf(req: http.IncomingMessage, body: string): string[] {
  if ((req.headers["content-type"] ?? "").includes("application/json")) {
    try {
      const to = (JSON.parse(body) as { to?: unknown }).to;
      return (Array.isArray(to) ? to : [to]).filter((value): value is string => typeof value === "string");
    } catch {
      return [];
    }
  }
  const to = new URLSearchParams(body).get("To");
  return to ? [to] : [];
}

function answer(res: http.ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-store" });
  res.end(body);
}

export async function startQuirkyProvider(): Promise<QuirkyProvider> {
  const received = new Map<string, Quirk[]>();
  const held = new Map<string, (() => void)[]>();

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://provider.test");
      if (req.method === "GET" && url.pathname === "/received") {
        const behaviours = received.get(url.searchParams.get("to") ?? "") ?? [];
        return answer(res, 200, "application/json", JSON.stringify({ count: behaviours.length, behaviours }));
      }
      if (req.method === "POST" && url.pathname === "/release") {
        const to = url.searchParams.get("to") ?? "";
        for (const release of held.get(to) ?? []) release();
        held.delete(to);
        return answer(res, 204, "text/plain", "");
      }
      const quirk = url.pathname.split("/")[1] as Quirk;
      if (req.method !== "POST" || !QUIRKS.includes(quirk)) return answer(res, 404, "text/plain", "no such quirk");
      const recipients = recipientsOf(req, await readBody(req));
      for (const to of recipients) received.set(to, [...(received.get(to) ?? []), quirk]);
      if (quirk === "slow-503") {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, SLOW_MS);
          const release = () => {
            clearTimeout(timer);
            resolve();
          };
          for (const to of recipients) held.set(to, [...(held.get(to) ?? []), release]);
        });
        return answer(res, 503, "application/json", JSON.stringify({ message: "try again later" }));
      }
      if (quirk === "plain-200") return answer(res, 200, "text/plain; charset=utf-8", "OK");
      if (quirk === "down-503") return answer(res, 503, "application/json", JSON.stringify({ message: "down" }));
      // Held open until the client gives up; close() ends it otherwise.
      if (quirk === "no-answer") return;
      return answer(res, 422, "application/json", JSON.stringify({ message: "recipient refused" }));
    } catch (error) {
      answer(res, 500, "text/plain", String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
