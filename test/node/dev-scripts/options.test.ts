// The dev scripts in db/ as a person runs them: --help and argument errors answer before anything starts.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrangeSurroundings, oneLine, runScript, SCRIPTS, type Script, type Surroundings } from "./helpers";

let env: Record<string, string>;
let scratch: string;
let surroundings: Surroundings | undefined;

beforeAll(async () => {
  surroundings = await arrangeSurroundings();
  ({ env, scratch } = surroundings);
});

afterAll(async () => {
  await surroundings?.close();
});

describe.concurrent("every dev script", () => {
  it.for(Object.keys(SCRIPTS) as Script[])(
    "%s answers --help with its usage, and does nothing else",
    async (script) => {
      // openapi would write its argument; token would print a token after the usage
      const unwritten = path.join(scratch, `${path.basename(SCRIPTS[script], ".ts")}.json`);
      const { code, stdout, stderr } = await runScript(
        script,
        ["--help", ...(script === "openapi" ? [unwritten] : [])],
        env,
      );
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      expect(stdout).toMatch(new RegExp(`^usage: npm run (-s )?${script}\\b`));
      expect(stdout).toContain("\nOptions:\n");
      expect(stdout).toContain("\nExample");
      expect(stdout).not.toMatch(/eyJ/);
      expect(existsSync(unwritten)).toBe(false);
    },
  );

  it("-h is --help", async () => {
    const [short, long] = await Promise.all([runScript("token", ["-h"], env), runScript("token", ["--help"], env)]);
    expect(short).toEqual(long);
  });

  it.for(Object.keys(SCRIPTS) as Script[])("%s refuses an unknown option with one line and exit 2", async (script) => {
    const { code, stdout, stderr } = await runScript(script, ["--bogus"], env);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(oneLine(stderr)).toBe(`muster: unknown option '--bogus' (see \`npm run ${script} -- --help\`)`);
  });
});

describe.concurrent("arguments", () => {
  it.for([
    { args: [], problem: "give an email, a --phone, or both" },
    { args: ["not-an-email"], problem: "'not-an-email' is not an email address" },
    { args: ["alice@example.com", "bob@example.com"], problem: "unexpected argument 'bob@example.com'" },
    { args: ["alice@example.com", "--scope"], problem: "--scope needs a value" },
    { args: ["alice@example.com", "--expires", "soonish"], problem: "--expires: Invalid time period format" },
  ])("token $args: $problem, exit 2", async ({ args, problem }) => {
    const { code, stdout, stderr } = await runScript("token", args, env);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(oneLine(stderr)).toBe(`muster: ${problem} (see \`npm run token -- --help\`)`);
  });

  it("webhook:example takes only an http(s) --api", async () => {
    const { code, stderr } = await runScript("webhook:example", ["--api", "localhost:8787"], env);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(/^muster: --api: 'localhost:8787' is not an http\(s\) URL/);
  });

  it("mailbox refuses a MAILBOX_PORT that is not a port", async () => {
    const { code, stderr } = await runScript("mailbox", [], { ...env, MAILBOX_PORT: "eighty" });
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(/^muster: MAILBOX_PORT must be a port number, not 'eighty'/);
  });

  it("openapi writes the document where it is told, an absolute path included", async () => {
    const out = path.join(scratch, "document.json");
    const { code, stderr } = await runScript("openapi", [out], env);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(JSON.parse(readFileSync(out, "utf8")).openapi).toMatch(/^3\.1\./);
  });
});
