// The dev scripts' shared front door: `--help`, argument errors (exit 2) and failures (exit 1), each said in one
// line on stderr. stdout carries only a script's output: `npm run -s token` is read by other scripts.
import { parseArgs } from "node:util";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** The value's placeholder in the usage text, e.g. EMAIL. */
  value?: string;
  default?: string;
  help: string;
}

export interface CommandSpec<O extends Record<string, OptionSpec>> {
  /** The npm script, for the hint after an error: `npm run <script> -- --help`. */
  script: string;
  /** How to run it, e.g. "npm run -s token -- <email> [options]". */
  usage: string;
  /** What it does, in a sentence or two. */
  summary: string;
  args?: { name: string; help: string; required?: boolean }[];
  options?: O;
  env?: Record<string, string>;
  examples: string[];
}

type Values<O extends Record<string, OptionSpec>> = {
  [K in keyof O]: O[K]["type"] extends "boolean"
    ? boolean | undefined
    : O[K] extends { default: string }
      ? string
      : string | undefined;
};

/** A failure the user can act on; `run` prints its message alone, no stack. */
export class CliError extends Error {}

let hint = "see --help";

const say = (line: string) => process.stderr.write(`muster: ${line}\n`);

/** The command line is wrong: one line with a pointer to --help, exit 2. */
export function usageError(message: string): never {
  say(`${message} (${hint})`);
  process.exit(2);
}

/** Answers --help (and -h) and exits; otherwise parses the command line or exits 2 with one line. */
export function parseCommand<O extends Record<string, OptionSpec> = Record<never, OptionSpec>>(
  spec: CommandSpec<O>,
  argv: string[] = process.argv.slice(2),
): { values: Values<O>; args: string[] } {
  hint = `see \`npm run ${spec.script} -- --help\``;
  const end = argv.indexOf("--");
  if ((end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === "--help" || arg === "-h")) {
    process.stdout.write(helpText(spec));
    process.exit(0);
  }
  const options = Object.fromEntries(
    Object.entries(spec.options ?? {}).map(([name, { type, short, default: value }]) => [
      name,
      { type, ...(short ? { short } : {}), ...(value !== undefined ? { default: value } : {}) },
    ]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    usageError(describeParseError(error));
  }
  const declared = spec.args ?? [];
  const missing = declared.slice(parsed.positionals.length).find((arg) => arg.required);
  if (missing) usageError(`missing ${missing.name}`);
  const extra = parsed.positionals[declared.length];
  if (extra !== undefined) usageError(`unexpected argument '${extra}'`);
  return { values: parsed.values as Values<O>, args: parsed.positionals };
}

function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message: string };
  const option = message.match(/'(-[^'\s]*)/)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) return `unknown option '${option}'`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option) {
    return message.includes("argument missing") ? `${option} needs a value` : `${option} takes no value`;
  }
  return message.split(/\.\s/)[0] ?? message;
}

export function helpText<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): string {
  const options: [string, string][] = Object.entries(spec.options ?? {}).map(([name, option]) => [
    `${option.short ? `-${option.short}, ` : ""}--${name}${option.type === "string" ? ` ${option.value ?? "VALUE"}` : ""}`,
    option.default !== undefined ? `${option.help} (default ${option.default})` : option.help,
  ]);
  options.push(["-h, --help", "show this text and exit"]);
  const section = (title: string, rows: [string, string][]) => {
    if (rows.length === 0) return "";
    const width = Math.max(...rows.map(([left]) => left.length)) + 2;
    return `\n${title}:\n${rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join("\n")}\n`;
  };
  return [
    `usage: ${spec.usage}\n\n${spec.summary}\n`,
    section(
      "Arguments",
      (spec.args ?? []).map((arg) => [arg.name, arg.help]),
    ),
    section("Options", options),
    section("Environment", Object.entries(spec.env ?? {})),
    `\nExample${spec.examples.length > 1 ? "s" : ""}:\n${spec.examples.map((line) => `  ${line}`).join("\n")}\n`,
  ].join("");
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
]);

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e && chain.length < 10; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/** The other end is not there: a refused or dropped connection, an unknown host (fetch, ws, the Neon driver). */
export function isUnreachable(error: unknown): boolean {
  return causes(error).some((e) => {
    const { code, message } = e as { code?: string; message?: string };
    return (code !== undefined && NETWORK_CODES.has(code)) || message === "Connection terminated unexpectedly";
  });
}

/**
 * Runs a script's body. A CliError, or an unreachable server when `unreachable` says what to tell, is one line
 * and exit 1; anything else is its messages in one line too, with the stack under MUSTER_DEBUG=1.
 */
export async function run(main: () => Promise<void>, unreachable?: string): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof CliError) say(error.message);
    else if (unreachable && isUnreachable(error)) say(unreachable);
    else if (process.env.MUSTER_DEBUG) {
      console.error(error);
    } else {
      const messages = causes(error).map((e) => (e instanceof Error ? e.message : String(e)).split("\n")[0]);
      say(`${[...new Set(messages)].filter(Boolean).join(": ")} (MUSTER_DEBUG=1 shows the stack)`);
    }
    process.exit(1);
  }
}

// --- what db:migrate and db:seed share ----------------------------------------------------------------------------

export const DATABASE_ENV = {
  DATABASE_URL: "a Postgres to use instead of the embedded one in .data/postgres",
  MUSTER_PG_PORT: "the embedded database's port (default 54329)",
  MUSTER_WS_PROXY_PORT: "the port of the WebSocket proxy to a local database (default MUSTER_PG_PORT + 1)",
};

/** What to say when the database does not answer; DATABASE_URL is shown without its password. */
export function databaseUnreachable(): string {
  const external = process.env.DATABASE_URL;
  if (!external) return `cannot reach the embedded database on port ${process.env.MUSTER_PG_PORT ?? 54329}`;
  let shown = "DATABASE_URL";
  try {
    const url = new URL(external);
    url.password = "";
    shown = url.toString();
  } catch {
    // an unreadable URL is not repeated
  }
  return `cannot reach the database at ${shown} — is it running?`;
}
