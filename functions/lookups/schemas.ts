import { z } from "@hono/zod-openapi";
import { COUNTRIES } from "../platform/countries";
import { CURRENCIES } from "../platform/money";

/** The ISO lists are whole (about 180 currencies and 250 countries): no pages, room to grow. */
const MAX_ITEMS = 400;

/** A list that is always complete, in the shape of every other list (`has_more` false, no cursor). */
function wholeListSchema<T extends z.ZodType>(item: T, name: string, example: unknown) {
  return z
    .object({
      object: z.literal("list").openapi({ description: "Always `list`." }),
      data: z.array(item).max(MAX_ITEMS).openapi({ description: "Every entry, in one page." }),
      has_more: z.literal(false).openapi({ description: "Always false: the list is whole." }),
      next_cursor: z.null().openapi({ description: "Always null: there is no next page." }),
    })
    .openapi(name, { example: { object: "list", data: [example], has_more: false, next_cursor: null } });
}

const currencyExample = { code: "EUR", name: "Euro", minor_units: 2 };
export const CurrencySchema = z
  .object({
    code: z.string().length(3).openapi({ description: "ISO 4217 alphabetic code.", pattern: "^[A-Z]{3}$" }),
    name: z.string().max(100).openapi({ description: "The currency's English name." }),
    minor_units: z.number().int().min(0).max(4).openapi({
      format: "int32",
      description: "Digits after the decimal point of an amount in this currency (JPY 0, BHD 3).",
    }),
  })
  .openapi("Currency", { example: currencyExample });
export const CurrencyListSchema = wholeListSchema(CurrencySchema, "CurrencyList", currencyExample);

const countryExample = { code: "DE", alpha3: "DEU", name: "Germany", currency: "EUR" };
export const CountrySchema = z
  .object({
    code: z.string().length(2).openapi({ description: "ISO 3166-1 alpha-2 code.", pattern: "^[A-Z]{2}$" }),
    alpha3: z.string().length(3).openapi({ description: "ISO 3166-1 alpha-3 code.", pattern: "^[A-Z]{3}$" }),
    name: z.string().max(100).openapi({ description: "The country's English short name." }),
    currency: z.string().length(3).nullable().openapi({
      description: "The ISO 4217 currency in use (the first, where there are several); null if none is listed.",
      pattern: "^[A-Z]{3}$",
    }),
  })
  .openapi("Country", { example: countryExample });
export const CountryListSchema = wholeListSchema(CountrySchema, "CountryList", countryExample);

const whole = <T>(data: T[]) => ({ object: "list" as const, data, has_more: false as const, next_cursor: null });

/** Built once per isolate, so their ETags are too (platform/caching.ts). */
export const CURRENCY_LIST = whole(
  CURRENCIES.map((currency) => ({ code: currency.code, name: currency.name, minor_units: currency.minorUnits })),
);
export const COUNTRY_LIST = whole(
  COUNTRIES.map((country) => ({
    code: country.code,
    alpha3: country.alpha3,
    name: country.name,
    currency: country.currency,
  })),
);

/** Reference data changes only with a deploy; the ETag makes a revalidation after an hour cheap. */
export const LOOKUP_MAX_AGE = 3600;
