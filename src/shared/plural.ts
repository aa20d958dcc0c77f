/** English plural categories (CLDR, as `Intl.PluralRules('en-US')` gives them: `one` for 1 only). */
const EN = new Intl.PluralRules('en-US');

/**
 * A count and its noun in the right number: `1 bedroom`, `2 bedrooms`, `2.5 bathrooms`, `0 rows`.
 * `plural` defaults to `singular` + `s`; `format` writes the number (default: as given). English
 * only, the console's language; the category is CLDR's (Intl.PluralRules), so 1.0 is one and 1.5 is not.
 */
export function counted(n: number, singular: string, plural = `${singular}s`, format: (n: number) => string = String): string {
  return `${format(n)} ${EN.select(n) === 'one' ? singular : plural}`;
}
