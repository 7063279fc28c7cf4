// Types of the landing page script's helpers, for the tests that import them (the page itself needs none).
export interface InvitationView {
  title: string;
  lines: string[];
  tone: "" | "ok" | "warn";
  answerable: boolean;
}
export function readLink(location: { hash: string; search: string }): { code: string; token: string };
export function humanDate(iso: string | undefined, now?: Date, timeZone?: string): string;
export function describeInvitation(status: number, body: unknown, now?: Date, timeZone?: string): InvitationView;
