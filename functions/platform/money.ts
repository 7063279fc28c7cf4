import { z } from "@hono/zod-openapi";
import { data as iso4217 } from "currency-codes";
import { validationError } from "./errors";

export interface Currency {
  /** ISO 4217 alphabetic code. */
  code: string;
  name: string;
  /** Digits after the decimal point (JPY 0, EUR 2, BHD 3). */
  minorUnits: number;
}

// ISO 4217 as published, less the entries that are not money (gold, test codes): their "countries" are ZZ codes.
export const CURRENCIES: readonly Currency[] = iso4217
  .filter((entry) => !entry.countries.some((country) => country.startsWith("Zz")))
  .map((entry) => ({ code: entry.code, name: entry.currency, minorUnits: entry.digits }))
  .sort((a, b) => a.code.localeCompare(b.code));

const BY_CODE = new Map(CURRENCIES.map((currency) => [currency.code, currency]));

export function currencyOf(code: string): Currency | undefined {
  return BY_CODE.get(code);
}

/** The largest amount we store: numeric(20, 4) leaves 16 integer digits. */
const INTEGER_DIGITS = 16;
const DECIMAL = new RegExp(`^(0|[1-9]\\d{0,${INTEGER_DIGITS - 1}})(\\.\\d{1,4})?$`);

/** A non-negative amount as a decimal string (`"1250.50"`); its decimals are checked against the currency later. */
export const moneyInput = (description: string) =>
  z
    .string()
    .max(INTEGER_DIGITS + 5)
    .regex(DECIMAL, 'must be a decimal string such as "1250.50" (no sign, exponent or thousands separator)')
    .openapi({ description, example: "1250.50", pattern: DECIMAL.source });

/** An amount in a response: a decimal string in the currency's minor units. */
export const moneyOutput = (description: string) =>
  z
    .string()
    .max(INTEGER_DIGITS + 5)
    .openapi({ description, example: "1250.50" });

/** An ISO 4217 code we know, upper case. */
export const currencyCode = () =>
  z
    .string()
    .length(3)
    .refine((code) => BY_CODE.has(code), 'is not an ISO 4217 currency code (upper case, e.g. "EUR")')
    .openapi({ description: "ISO 4217 currency code.", example: "EUR", pattern: "^[A-Z]{3}$" });

/** 400 naming the field when the amount has more decimals than the currency has minor units ("10.5" JPY). */
export function assertFitsCurrency(field: string, amount: string, currencyCode: string): void {
  const currency = currencyOf(currencyCode);
  const decimals = amount.split(".")[1]?.replace(/0+$/, "").length ?? 0;
  if (currency && decimals > currency.minorUnits) {
    throw validationError({
      [field]: [
        currency.minorUnits === 0
          ? `must be a whole number of ${currency.code}`
          : `must have at most ${currency.minorUnits} decimals in ${currency.code}`,
      ],
    });
  }
}

/** A stored numeric ("1250.5000") shown in the currency's minor units ("1250.50"); exact, no floats. */
export function formatMoney(amount: string, currencyCode: string | null): string {
  const [whole = "0", fraction = ""] = amount.split(".");
  const digits = currencyCode ? currencyOf(currencyCode)?.minorUnits : undefined;
  // Without a currency: exactly what was stored, without trailing zeros.
  if (digits === undefined) return fraction.replace(/0+$/, "") ? `${whole}.${fraction.replace(/0+$/, "")}` : whole;
  if (digits === 0) return whole;
  return `${whole}.${fraction.padEnd(digits, "0").slice(0, digits)}`;
}
