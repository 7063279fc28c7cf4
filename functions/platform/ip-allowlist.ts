import ipaddr from "ipaddr.js";
import { ApiError, validationError } from "./errors";
import type { Plan } from "./plans";

export const MAX_ALLOWED_IPS = 100;

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is the IPv4 address it carries, in lists and requests alike. */
const unmapped = (address: Address): Address =>
  address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;

/** Only what reads unambiguously: dotted-quad IPv4 (no `0x7f.1` or `127.1`) or IPv6 without a zone. */
function parseAddress(text: string): Address | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (!text.includes("%") && text.includes(":") && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return null;
}

/**
 * An allowlist entry (an address or a CIDR range) in its normal form, or why it is not one. A range is written
 * from its network address (`10.1.2.3/8` → `10.0.0.0/8`), an address without a prefix.
 */
export function normaliseAllowlistEntry(entry: string): { entry: string } | { problem: string } {
  const text = entry.trim();
  const slash = text.indexOf("/");
  const address = parseAddress(slash === -1 ? text : text.slice(0, slash));
  if (!address) return { problem: "is not an IPv4 or IPv6 address or CIDR range" };
  const plain = unmapped(address);
  if (slash === -1) return { entry: plain.toString() };
  const prefixText = text.slice(slash + 1);
  const mappedOffset = plain === address ? 0 : 96;
  const prefix = /^[0-9]{1,3}$/.test(prefixText) ? Number(prefixText) - mappedOffset : Number.NaN;
  const maximum = plain.kind() === "ipv4" ? 32 : 128;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > maximum) {
    return { problem: `has a prefix length outside ${mappedOffset}–${maximum + mappedOffset}` };
  }
  // A full-length range is the address itself, kept as one (so `192.0.2.1` and `192.0.2.1/32` are one entry).
  if (prefix === maximum) return { entry: plain.toString() };
  const network = ipaddr.parse(
    plain.kind() === "ipv4"
      ? ipaddr.IPv4.networkAddressFromCIDR(`${plain.toString()}/${prefix}`).toString()
      : ipaddr.IPv6.networkAddressFromCIDR(`${plain.toString()}/${prefix}`).toString(),
  );
  return { entry: `${network.toString()}/${prefix}` };
}

/** Whether an address is in the list (entries in their normal form). No address, or an unreadable one: no. */
export function addressAllowed(address: string | null, entries: readonly string[]): boolean {
  if (address === null) return false;
  const parsed = parseAddress(address.trim());
  if (!parsed) return false;
  const caller = unmapped(parsed);
  return entries.some((entry) => {
    const [text, prefix] = entry.split("/");
    const listed = parseAddress(text ?? "");
    if (!listed || listed.kind() !== caller.kind()) return false;
    return caller.match(listed, prefix === undefined ? (caller.kind() === "ipv4" ? 32 : 128) : Number(prefix));
  });
}

/**
 * An organisation's allowlist admits the request's address, or the request is 403 `ip_not_allowed`. Enforced only
 * while its plan includes `ip_allowlist`: a downgrade keeps the list, unenforced.
 */
export function requireAllowedAddress(address: string | null, entries: readonly string[], plan: Plan): void {
  if (!plan.features.ip_allowlist || entries.length === 0 || addressAllowed(address, entries)) return;
  throw new ApiError(
    "ip_not_allowed",
    `This organisation accepts requests only from its allowed IP addresses; ${address ?? "your address"} is not one of them.`,
    { ip_address: address },
  );
}

/** A whole list in normal form, duplicates dropped; any malformed entry is a 400 naming it (never skipped). */
export function normaliseAllowlist(raw: readonly string[], field = "allowed_ips"): string[] {
  const entries: string[] = [];
  const problems: Record<string, string[]> = {};
  raw.forEach((text, index) => {
    const result = normaliseAllowlistEntry(text);
    if ("problem" in result) problems[`${field}.${index}`] = [`"${text.slice(0, 64)}" ${result.problem}`];
    else if (!entries.includes(result.entry)) entries.push(result.entry);
  });
  if (Object.keys(problems).length > 0) throw validationError(problems);
  return entries;
}
