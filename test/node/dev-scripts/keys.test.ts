// npm run keys: a deployment's API_SIGNING_KEYS (one new private ES256 JWK that signs and verifies), rotation that
// puts the new key first and keeps the old ones, and a webhook secret.

import { writeFileSync } from "node:fs";
import path from "node:path";
import { importJWK, jwtVerify, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrangeSurroundings, runScript, type Surroundings } from "./helpers";

let surroundings: Surroundings | undefined;
let scratch: string;

beforeAll(async () => {
  surroundings = await arrangeSurroundings();
  ({ scratch } = surroundings);
});

afterAll(async () => {
  await surroundings?.close();
});

describe("npm run keys", () => {
  it("prints only a JSON array of one private ES256 key that signs a token its public half verifies", async () => {
    const { code, stdout, stderr } = await runScript("keys", []);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const keys = JSON.parse(stdout);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({
      kty: "EC",
      crv: "P-256",
      alg: "ES256",
      use: "sig",
      kid: expect.stringMatching(/^api-/),
    });
    expect(typeof keys[0].d).toBe("string");
    const token = await new SignJWT({}).setProtectedHeader({ alg: "ES256" }).sign(await importJWK(keys[0], "ES256"));
    const { d: _private, ...publicHalf } = keys[0];
    await expect(jwtVerify(token, await importJWK(publicHalf, "ES256"))).resolves.toBeDefined();
  });

  it("rotates: the new key first, the current ones after it; a file that is not keys is refused", async () => {
    const current = JSON.parse((await runScript("keys", [])).stdout);
    const file = path.join(scratch, "current-keys.json");
    writeFileSync(file, JSON.stringify(current));
    const rotated = JSON.parse((await runScript("keys", ["--rotate", file])).stdout);
    expect(rotated).toHaveLength(2);
    expect(rotated[1]).toEqual(current[0]);
    expect(rotated[0].kid).not.toBe(current[0].kid);
    writeFileSync(file, JSON.stringify({ not: "keys" }));
    const refused = await runScript("keys", ["--rotate", file]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(/not a JSON array of private JWKs/);
  });

  it("--webhook-secret prints a Standard Webhooks secret", async () => {
    const { code, stdout } = await runScript("keys", ["--webhook-secret"]);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  });
});
