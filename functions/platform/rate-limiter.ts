import { DurableObject } from "cloudflare:workers";
import type { Env } from "./env";
import type { RateLimitPolicy } from "./plans";
import { decide, type Verdict } from "./rate-limit";

// Apart from rate-limit.ts so that Node scripts running the app (the document, the bench) never load the Workers
// runtime's module; only the gateway Worker's entry exports this class.

/** One bucket. Single-threaded per key, so concurrent requests are counted one after another, exactly. */
export class RateLimiter extends DurableObject<Env> {
  private tat: number | undefined;
  private alarmAt: number | null = null;

  async take(policy: RateLimitPolicy): Promise<Verdict> {
    this.tat ??= (await this.ctx.storage.get<number>("tat")) ?? 0;
    const verdict = decide(this.tat, Date.now(), policy);
    if (verdict.allowed) {
      this.tat = verdict.tat;
      // Not awaited: the output gate holds the reply until the write is durable.
      void this.ctx.storage.put("tat", verdict.tat);
      if (this.alarmAt === null) {
        this.alarmAt = verdict.tat;
        void this.ctx.storage.setAlarm(verdict.tat);
      }
    }
    const { tat: _, ...answer } = verdict;
    return answer;
  }

  /** A bucket that has filled up again is forgotten, so idle keys keep no storage. */
  override async alarm(): Promise<void> {
    const tat = this.tat ?? (await this.ctx.storage.get<number>("tat")) ?? 0;
    if (tat > Date.now()) {
      this.alarmAt = tat;
      await this.ctx.storage.setAlarm(tat);
      return;
    }
    this.alarmAt = null;
    this.tat = undefined;
    await this.ctx.storage.deleteAll();
  }
}
