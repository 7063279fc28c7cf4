// What the mailbox has received, newest last, kept in memory and optionally in a JSON file across runs.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface MailboxMessage {
  id: string;
  channel: "email" | "sms";
  from: string;
  to: string[];
  subject: string | null;
  text: string;
  html: string | null;
  idempotencyKey: string | null;
  receivedAt: string;
}

export class MessageStore {
  private messages: MailboxMessage[];

  /** Persists to `file` when given (dev keeps messages across runs); memory only otherwise. */
  constructor(private readonly file?: string) {
    this.messages = file ? loadMessages(file) : [];
  }

  /** Newest last: the live list, to read, not to change. */
  all(): readonly MailboxMessage[] {
    return this.messages;
  }

  keep(message: MailboxMessage): MailboxMessage {
    this.messages.push(message);
    if (this.file) saveMessages(this.file, this.messages);
    return message;
  }

  clear(): void {
    this.messages = [];
    if (this.file) saveMessages(this.file, this.messages);
  }

  /** Idempotency keys live on the stored messages, so a replay is recognised across restarts too. */
  replayOf(channel: MailboxMessage["channel"], key: string | null): MailboxMessage | undefined {
    return key ? this.messages.find((m) => m.channel === channel && m.idempotencyKey === key) : undefined;
  }
}

function loadMessages(file: string): MailboxMessage[] {
  if (!existsSync(file)) return [];
  try {
    const stored = JSON.parse(readFileSync(file, "utf8")) as { messages?: unknown };
    if (Array.isArray(stored.messages)) return stored.messages as MailboxMessage[];
  } catch {
    // fall through: dev mail is not worth refusing to start over
  }
  console.warn(`[mailbox] ${file} is not a mailbox store; starting empty (it is overwritten on the next message)`);
  return [];
}

/** Written to a temporary file and renamed, so Ctrl-C mid-write never leaves half a store. */
function saveMessages(file: string, messages: MailboxMessage[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify({ messages }, null, 2), { mode: 0o600 });
  renameSync(temporary, file);
}
