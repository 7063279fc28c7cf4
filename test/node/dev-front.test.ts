// The dev front (db/local/front.ts) before a tiny Node server standing in for `wrangler dev`, driven from outside
// the way a client does: the client's own address headers never reach the app, bodies stream both ways, and
// the app's status and headers come back as they were sent.
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevFront, freeLoopbackPort, startDevFront } from "../../db/local/front";

const CHUNK = 1 << 20;
const CHUNKS = 16;

let front: DevFront;
let frontPort: number;
let app: http.Server;
/** Resolves with whether the app's last request arrived whole, when its connection closes. */
let appRequestClosed: (complete: boolean) => void = () => {};

beforeAll(async () => {
  frontPort = await freeLoopbackPort();
  front = await startDevFront({ port: frontPort });
  app = http.createServer((request, response) => {
    if (request.url === "/headers") {
      request.resume();
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(request.headers));
    } else if (request.url === "/echo") {
      response.writeHead(200, { "content-type": "application/octet-stream" });
      request.pipe(response); // each chunk goes back as it arrives
    } else if (request.url === "/teapot") {
      request.resume();
      response.writeHead(418, "Short and stout", [
        "Content-Type",
        "text/plain",
        "X-App",
        "yes",
        "Set-Cookie",
        "a=1",
        "Set-Cookie",
        "b=2",
      ]);
      response.end("tea");
    } else if (request.url === "/slow-upload") {
      request.resume();
      request.on("close", () => appRequestClosed(request.complete));
    }
  });
  await new Promise<void>((resolve) => app.listen(front.upstreamPort, "127.0.0.1", resolve));
});

afterAll(async () => {
  await front.close();
  app.closeAllConnections();
  await new Promise((resolve) => app.close(resolve));
});

function send(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; message: string; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const request = http.request({ port: frontPort, host: "127.0.0.1", path, headers }, (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => {
          body += chunk;
        });
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            message: response.statusMessage ?? "",
            headers: response.headers,
            body,
          }),
        );
      });
      request.on("error", reject);
      request.end();
    },
  );
}

describe("the dev front", () => {
  it("sets CF-Connecting-IP to the socket's address and drops the client's X-Real-IP and X-Forwarded-For", async () => {
    const reply = await send("/headers", {
      "CF-Connecting-IP": "6.6.6.6",
      "X-Real-IP": "6.6.6.6",
      "X-Forwarded-For": "6.6.6.6, 7.7.7.7",
      "X-Other": "kept",
    });
    expect(reply.status).toBe(200);
    const seen = JSON.parse(reply.body);
    expect(seen["cf-connecting-ip"]).toBe("127.0.0.1");
    expect(seen).not.toHaveProperty("x-real-ip");
    expect(seen).not.toHaveProperty("x-forwarded-for");
    expect(seen["x-other"]).toBe("kept");
    expect(seen.host).toBe(`127.0.0.1:${frontPort}`);
  });

  it("passes the app's status, reason and headers back, repeated Set-Cookie included", async () => {
    const reply = await send("/teapot");
    expect(reply.status).toBe(418);
    expect(reply.message).toBe("Short and stout");
    expect(reply.headers["x-app"]).toBe("yes");
    expect(reply.headers["content-type"]).toBe("text/plain");
    expect(reply.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
    expect(reply.body).toBe("tea");
  });

  it("streams a 16 MiB body both ways intact: the app echoes the first MiB before the client sends the rest", async () => {
    const chunks = Array.from({ length: CHUNKS }, () => randomBytes(CHUNK));
    const sent = createHash("sha256");
    for (const chunk of chunks) sent.update(chunk);
    const received = createHash("sha256");
    let length = 0;
    await new Promise<void>((resolve, reject) => {
      const request = http.request({ port: frontPort, host: "127.0.0.1", path: "/echo", method: "POST" });
      request.on("error", reject);
      let rest = false;
      request.on("response", (response) => {
        response.on("data", (chunk: Buffer) => {
          received.update(chunk);
          length += chunk.length;
          // Only once the first MiB made the round trip: a front that buffered either way never gets here.
          if (!rest && length >= CHUNK) {
            rest = true;
            for (const chunk of chunks.slice(1)) request.write(chunk);
            request.end();
          }
        });
        response.on("end", () => resolve());
        response.on("error", reject);
      });
      request.write(chunks[0]);
      request.flushHeaders();
    });
    expect(length).toBe(CHUNK * CHUNKS);
    expect(received.digest("hex")).toBe(sent.digest("hex"));
  }, 20_000);

  it("ends the app's request when the client goes away mid-upload", async () => {
    const closed = new Promise<boolean>((resolve) => {
      appRequestClosed = resolve;
    });
    const arrived = new Promise<void>((resolve) => app.once("request", () => resolve()));
    const request = http.request({ port: frontPort, host: "127.0.0.1", path: "/slow-upload", method: "POST" });
    request.on("error", () => {});
    request.write("part of a body");
    request.flushHeaders();
    await arrived;
    request.destroy();
    expect(await closed).toBe(false);
  }, 20_000);

  it("answers 502 while nothing listens behind it", async () => {
    const port = await freeLoopbackPort();
    const lonely = await startDevFront({ port });
    try {
      const reply = await new Promise<number>((resolve, reject) => {
        http
          .get({ port, host: "127.0.0.1", path: "/" })
          .on("response", (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          })
          .on("error", reject);
      });
      expect(reply).toBe(502);
    } finally {
      await lonely.close();
    }
  });
});
