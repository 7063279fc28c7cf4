import { z } from "@hono/zod-openapi";
import { countries as countryData } from "countries-list";
import alpha3Of from "countries-list/minimal/countries.2to3.min.json";
import { currencyOf } from "./money";

export interface Country {
  /** ISO 3166-1 alpha-2. */
  code: string;
  alpha3: string;
  name: string;
  /** The ISO 4217 currency in use (the first, where a country uses several). */
  currency: string | null;
}

const ALPHA3 = alpha3Of as Record<string, string>;

// ISO 3166-1 countries only: entries without an official alpha-3 (Kosovo's XK) are left out.
export const COUNTRIES: readonly Country[] = Object.entries(countryData)
  .filter(([code]) => ALPHA3[code] !== undefined && code !== "XK")
  .map(([code, data]) => ({
    code,
    alpha3: ALPHA3[code] as string,
    name: data.name,
    currency: data.currency.find((candidate) => currencyOf(candidate) !== undefined) ?? null,
  }))
  .sort((a, b) => a.code.localeCompare(b.code));

const BY_CODE = new Map(COUNTRIES.map((country) => [country.code, country]));

export function countryOf(code: string): Country | undefined {
  return BY_CODE.get(code);
}

/** An ISO 3166-1 alpha-2 code we know, upper case. */
export const countryCode = () =>
  z
    .string()
    .length(2)
    .refine((code) => BY_CODE.has(code), 'is not an ISO 3166-1 alpha-2 country code (upper case, e.g. "DE")')
    .openapi({ description: "ISO 3166-1 alpha-2 country code.", example: "DE", pattern: "^[A-Z]{2}$" });
