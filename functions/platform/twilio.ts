/**
 * Twilio's request signature (`X-Twilio-Signature`): HMAC-SHA1, keyed with the account's auth token, over the
 * full URL Twilio called followed by each POST parameter's name and value, sorted by name (repeated names by
 * value), base64-encoded. WebCrypto only, so the Worker and the dev mailbox (Node) share this one copy.
 * https://www.twilio.com/docs/usage/webhooks/webhooks-security
 */

const encoder = new TextEncoder();

/** What Twilio signs: the URL, then `name + value` of every parameter, in sorted order. */
export function twilioSignedText(url: string, params: URLSearchParams | Record<string, string>): string {
  const pairs = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  const sorted = pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return url + sorted.map(([name, value]) => name + value).join("");
}

async function hmacSha1(key: string, text: string): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey("raw", encoder.encode(key), { name: "HMAC", hash: "SHA-1" }, false, [
    "sign",
  ]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(text)));
}

/** The signature Twilio sends for these parameters posted to this URL. */
export async function twilioSignature(
  authToken: string,
  url: string,
  params: URLSearchParams | Record<string, string>,
): Promise<string> {
  return btoa(String.fromCharCode(...(await hmacSha1(authToken, twilioSignedText(url, params)))));
}

/** Compared in constant time: the digests of both sides, so neither length nor content leaks. */
async function sameText(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  const x = new Uint8Array(left);
  const y = new Uint8Array(right);
  let difference = 0;
  for (let i = 0; i < x.length; i++) difference |= (x[i] as number) ^ (y[i] as number);
  return difference === 0;
}

/** Whether `signature` is Twilio's for these parameters posted to one of the URLs it may have been given. */
export async function verifyTwilioSignature(
  authToken: string,
  signature: string,
  urls: readonly string[],
  params: URLSearchParams,
): Promise<boolean> {
  if (!signature) return false;
  for (const url of urls) {
    if (await sameText(await twilioSignature(authToken, url, params), signature)) return true;
  }
  return false;
}
