import type { NormalizedProperty } from '../../shared/schemas/processed-property.js';
import type { Financials } from './financials.js';
import type { EnrichmentOutput } from './enrich/output-schema.js';

/**
 * The quality rubric. `quality_score` = 0.4 × completeness + 0.3 × consistency + 0.3 × prose,
 * each part in [0, 1], with a reason for every point lost:
 *
 * - completeness: share of the nine key fields present (street, city, ZIP, bedrooms, bathrooms,
 *   square feet, year built, property type, price);
 * - consistency: each implausible value costs 0.25 — price per sq ft outside $20–$2,000, bedrooms
 *   outside 0–12, bathrooms outside 0–12, square feet outside 200–20,000, year outside
 *   1850–next year, a lot smaller than the type's least plausible lot (MIN_LOT_SQFT);
 * - prose: each disagreement costs 0.34 — a bedroom, bathroom, square-foot, year, dollar or
 *   percent figure that the data does not support (or a count the data lacks), a description
 *   outside 40–1,500 characters, or an echo of injected instructions (then the prose part is 0).
 *
 * Prose that disagrees with the data is never published quietly: any disagreement caps the score
 * at 0.5 and an echo of injected instructions at 0.2, below the default review threshold (0.6).
 */
export interface Validation {
  score: number;
  reasons: string[];
}

const INJECTION_ECHO = /ignore (all |any )?(previous|prior|above) instructions|system prompt|as an ai\b|disregard (the|all) |you are now|new instructions/i;

const ABS_TOLERANCE = 0.5;

/**
 * The smallest plausible lot, in sq ft, by property type. A condominium's (and a condo-platted
 * townhouse's) lot is its share of the common land, often under 200 sq ft (the assessor's 71 and
 * 73 for real Scottsdale units); a mobile home on a leased space may record a token lot. Every
 * other home stands on its own lot: under 200 sq ft is implausible.
 */
export const MIN_LOT_SQFT: Record<string, number> = { condo: 1, townhouse: 1, mobile_home: 1 };
const DEFAULT_MIN_LOT_SQFT = 200;

export function validate(n: NormalizedProperty, f: Financials, prose: EnrichmentOutput, now: Date = new Date()): Validation {
  const reasons: string[] = [];

  const fields: [string, unknown][] = [
    ['street', n.address.street],
    ['city', n.address.city],
    ['ZIP', n.address.zip],
    ['bedrooms', n.details.bedrooms],
    ['bathrooms', n.details.bathrooms],
    ['square feet', n.details.square_feet],
    ['year built', n.details.year_built],
    ['property type', n.details.property_type],
    ['price', n.pricing.list_price],
  ];
  const missing = fields.filter(([, v]) => v === null || v === undefined).map(([name]) => name);
  const completeness = 1 - missing.length / fields.length;
  if (missing.length > 0) reasons.push(`missing: ${missing.join(', ')}`);

  let consistency = 1;
  const implausible = (condition: boolean, reason: string) => {
    if (condition) {
      consistency -= 0.25;
      reasons.push(reason);
    }
  };
  const d = n.details;
  const ppsf = n.pricing.price_per_sqft;
  implausible(ppsf !== null && ppsf !== undefined && (ppsf < 20 || ppsf > 2000), `price per sq ft $${ppsf} is implausible`);
  implausible(d.bedrooms !== null && (d.bedrooms < 0 || d.bedrooms > 12), `${d.bedrooms} bedrooms is implausible`);
  implausible(d.bathrooms !== null && (d.bathrooms < 0 || d.bathrooms > 12), `${d.bathrooms} bathrooms is implausible`);
  implausible(d.square_feet !== null && (d.square_feet < 200 || d.square_feet > 20_000), `${d.square_feet} sq ft is implausible`);
  implausible(d.year_built !== null && (d.year_built < 1850 || d.year_built > now.getUTCFullYear() + 1), `year built ${d.year_built} is implausible`);
  const minLot = MIN_LOT_SQFT[d.property_type ?? ''] ?? DEFAULT_MIN_LOT_SQFT;
  implausible(d.lot_sqft !== null && d.lot_sqft < minLot, `lot of ${d.lot_sqft} sq ft is implausible for a ${d.property_type?.replace('_', ' ') ?? 'property of unknown type'}`);
  consistency = Math.max(0, consistency);

  let proseScore = 1;
  const disagree = (reason: string) => {
    proseScore -= 0.34;
    reasons.push(reason);
  };
  const text = [prose.description, ...prose.key_features, prose.investment_summary].join('\n');
  if (INJECTION_ECHO.test(text)) {
    proseScore = 0;
    reasons.push('prose echoes injected instructions');
  } else {
    checkCounts(text, /(\d+(?:\.\d+)?)[-\s]?(?:bedrooms?|beds?\b|br\b)/gi, d.bedrooms, 'bedrooms', disagree);
    checkCounts(text, /(\d+(?:\.\d+)?)[-\s]?(?:bathrooms?|baths?\b|ba\b)/gi, d.bathrooms, 'bathrooms', disagree);
    const areas = [d.square_feet, d.lot_sqft].filter((v): v is number => v !== null);
    for (const m of text.matchAll(/([\d,]+(?:\.\d+)?)\s?(?:sq\.?\s?ft\.?|square[-\s]feet|sf\b)/gi)) {
      const value = Number(m[1]!.replace(/,/g, ''));
      if (!areas.some((a) => Math.abs(a - value) <= Math.max(ABS_TOLERANCE, a * 0.02))) disagree(`mentions ${m[0]} but the data has ${areas.join(' / ') || 'no size'}`);
    }
    for (const m of text.matchAll(/\b(?:built|constructed|erected)(?:\s+in)?\s+(\d{4})\b/gi)) {
      if (Number(m[1]) !== d.year_built) disagree(`says built in ${m[1]} but the data has ${d.year_built ?? 'no year'}`);
    }
    const dollars = [n.pricing.list_price, n.pricing.price_per_sqft, f.rental_estimate, f.net_operating_income].filter((v): v is number => v !== null && v !== undefined);
    for (const m of text.matchAll(/\$\s?([\d,]+(?:\.\d+)?)\s?(k|m)?\b/gi)) {
      const scale = m[2]?.toLowerCase() === 'k' ? 1e3 : m[2]?.toLowerCase() === 'm' ? 1e6 : 1;
      const value = Number(m[1]!.replace(/,/g, '')) * scale;
      if (!dollars.some((v) => Math.abs(v - value) <= Math.max(1, v * 0.02))) disagree(`mentions ${m[0]}, a figure the data does not support`);
    }
    const percents = [f.cap_rate === null ? null : f.cap_rate * 100, 5, 6.5, 3].filter((v): v is number => v !== null);
    for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s?%/g)) {
      const value = Number(m[1]);
      if (!percents.some((p) => Math.abs(p - value) <= 0.1)) disagree(`mentions ${m[0]}, a rate the data does not support`);
    }
    if (prose.description.length < 40 || prose.description.length > 1500) disagree(`description of ${prose.description.length} characters is outside 40–1,500`);
  }
  proseScore = Math.max(0, proseScore);

  let score = Math.round((0.4 * completeness + 0.3 * consistency + 0.3 * proseScore) * 1000) / 1000;
  if (proseScore === 0 && reasons.includes('prose echoes injected instructions')) score = Math.min(score, 0.2);
  else if (proseScore < 1) score = Math.min(score, 0.5);
  return { score, reasons };
}

function checkCounts(text: string, pattern: RegExp, actual: number | null, what: string, disagree: (reason: string) => void): void {
  for (const m of text.matchAll(pattern)) {
    const value = Number(m[1]);
    if (actual === null) disagree(`mentions ${m[0].trim()} but the data has no ${what}`);
    else if (Math.abs(value - actual) > 1e-9) disagree(`mentions ${m[0].trim()} but the data has ${actual} ${what}`);
  }
}
