import { DurableObject } from "cloudflare:workers";
import type { Env } from "./env";
import type { RateLimitPolicy } from "./plans";
import { decide, type Verdict } from "./rate-limit";

// Apart from rate-limit.ts so that Node scripts running the app (the document, the bench) never load the Workers
// runtime's module; only the gateway Worker's entry exports this class.

/** Buckets whose clock is this far behind are full again and forgotten, in one sweep. */
const SWEEP_EVERY_MS = 10 * 60 * 1000;

/**
 * One shard of buckets (rate-limit.ts picks the shard from the bucket's key). Single-threaded, so concurrent
 * requests for one key are counted one after another, exactly; each bucket is one row, so a shard holds many keys
 * without an object per key.
 */
export class RateLimiter extends DurableObject<Env> {
  private sweepScheduled = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS buckets (key TEXT PRIMARY KEY, tat REAL NOT NULL) WITHOUT ROWID;" +
        "CREATE INDEX IF NOT EXISTS buckets_by_tat ON buckets (tat);",
    );
  }

  async take(key: string, policy: RateLimitPolicy): Promise<Verdict> {
    const sql = this.ctx.storage.sql;
    const [row] = sql.exec<{ tat: number }>("SELECT tat FROM buckets WHERE key = ?", key).toArray();
    const verdict = decide(row?.tat ?? 0, Date.now(), policy);
    if (verdict.allowed) {
      sql.exec(
        "INSERT INTO buckets (key, tat) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET tat = excluded.tat",
        key,
        verdict.tat,
      );
      await this.scheduleSweep();
    }
    const { tat: _, ...answer } = verdict;
    return answer;
  }

  /** Forgets the buckets that have filled up again, so idle keys keep no storage. */
  override async alarm(): Promise<void> {
    this.sweepScheduled = false;
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM buckets WHERE tat <= ?", Date.now());
    const left = sql.exec<{ left: number }>("SELECT count(*) AS left FROM buckets").one().left;
    if (left > 0) await this.scheduleSweep();
  }

  private async scheduleSweep(): Promise<void> {
    if (this.sweepScheduled) return;
    this.sweepScheduled = true;
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + SWEEP_EVERY_MS);
  }
}
