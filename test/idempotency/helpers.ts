// What the Idempotency-Key suites share: fresh invitees and fresh keys.

import { uniqueSuffix } from "../harness";

export const newEmail = () => `idem-${uniqueSuffix()}@example.test`;
export const newKey = () => `key-${uniqueSuffix()}-${uniqueSuffix()}`;
