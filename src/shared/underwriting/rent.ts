/**
 * Monthly market rent, in order:
 *
 * 1. `zip_bedrooms`: the rent set for the ZIP code and bedroom count (`RENT_BY_ZIP_BEDROOMS`,
 *    typically HUD's Small Area Fair Market Rents imported with `phoenix-re rents import`).
 *    Above four bedrooms, 15% of the four-bedroom rent is added per extra bedroom (HUD's rule for
 *    FMRs of larger units);
 * 2. `rent_per_sqft`: living area × the ZIP's monthly rent per sq ft (`RENT_PER_SQFT_BY_ZIP`), else
 *    the default rate (`RENT_PER_SQFT_DEFAULT`), kept within [`minRent`, `maxRent`] and rounded to $5.
 *
 * Bedrooms are not published by the assessor, so an assessor-only record uses the second.
 */
export const RENT_BASES = ['zip_bedrooms', 'rent_per_sqft', 'what_if'] as const;
export type RentBasis = (typeof RENT_BASES)[number];

export interface RentEstimate {
  /** Dollars a month, or null when neither rule applies. */
  monthly: number | null;
  basis: RentBasis | null;
  detail: string;
}

export interface RentSettings {
  /** `{ "85031": { "0": 1200, "1": 1350, "2": 1600, "3": 2100, "4": 2500 } }`, dollars a month. */
  rentByZipBedrooms: Record<string, Record<string, number>>;
  rentPerSqftByZip: Record<string, number>;
  rentPerSqftDefault: number;
  minRent: number;
  maxRent: number;
}

/** HUD: each bedroom above four adds 15% of the four-bedroom FMR. */
export const EXTRA_BEDROOM_FACTOR = 0.15;

export function estimateRent(p: { zip: string | null; bedrooms: number | null; square_feet: number | null }, s: RentSettings): RentEstimate {
  const table = p.zip ? s.rentByZipBedrooms[p.zip] : undefined;
  if (table && p.bedrooms !== null && p.bedrooms >= 0) {
    const beds = Math.floor(p.bedrooms);
    const direct = table[String(beds)];
    if (direct !== undefined) return { monthly: direct, basis: 'zip_bedrooms', detail: `${beds}-bedroom rent for ZIP ${p.zip}` };
    const four = table['4'];
    if (beds > 4 && four !== undefined) {
      const monthly = Math.round(four * (1 + EXTRA_BEDROOM_FACTOR * (beds - 4)));
      return { monthly, basis: 'zip_bedrooms', detail: `4-bedroom rent for ZIP ${p.zip} + 15% per bedroom above four` };
    }
  }
  if (p.square_feet === null || p.square_feet <= 0) return { monthly: null, basis: null, detail: 'no bedrooms with a ZIP rent and no living area' };
  const zipRate = p.zip ? s.rentPerSqftByZip[p.zip] : undefined;
  const rate = zipRate ?? s.rentPerSqftDefault;
  const monthly = Math.round(Math.min(s.maxRent, Math.max(s.minRent, p.square_feet * rate)) / 5) * 5;
  const why = p.bedrooms === null ? 'bedrooms unknown' : table ? `no ${Math.floor(p.bedrooms)}-bedroom rent for ZIP ${p.zip}` : `no bedroom rents for ZIP ${p.zip ?? '(none)'}`;
  return { monthly, basis: 'rent_per_sqft', detail: `${why}: ${p.square_feet} sq ft × $${rate}/sq ft (${zipRate === undefined ? 'default rate' : `ZIP ${p.zip} rate`})` };
}
