// One request the round-trip benchmark sends, and what it must cost.

export type Caller = "owner" | "admin" | "partner" | "anonymous";

export interface Operation {
  name: string;
  kind: "read" | "write";
  method: string;
  path: () => string;
  body?: () => unknown;
  expect: number;
  /** Who sends it (default: the seeded owner). */
  as?: Caller;
  /** Keeps what later operations need (ids from responses). */
  after?: (body: any) => void;
}
