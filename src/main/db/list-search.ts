import { addressKey, parseAddress } from '../../shared/address.js';

/** Separators a Maricopa parcel number is written with (`173-35-524`, `173.35.524`, `173 35 524`; collectors/maricopa/apn.ts). */
const APN_SEPARATORS = '[-.\\s]*';

/**
 * The Properties list's search box as patterns, one set for both places the rule lives (the
 * database filter `listFilter` and the in-memory list's `matcher`), so both answer the same.
 * A row matches when any of these match (case-insensitive):
 *
 * - `address`: the text anywhere in the displayed address (`68TH ST`);
 * - `sourceId`: the text at the start of the row's source id, or after `<source>:` in one of its
 *   records' ids (`6181273`, the merged listing's MLS number);
 * - `parcel`: the text at the start of the parcel number, dashes, dots and spaces ignored on
 *   both sides: `17335524` (the APN as an ARMLS export's `Assessor Number` writes it,
 *   ../shared/fixtures/armls-export) finds `173-35-524`, and `173-35` finds it too;
 * - `addressKey`: the canonical key of the text read as an address (`addressKey(parseAddress(text))`,
 *   shared/address.ts) against the row's `summary.address_key`: `4600 N 68TH ST UNIT 371` and
 *   `4600 N 68TH ST #371` find the assessor's `4600 N 68TH ST 371 SCOTTSDALE 85251`, with the
 *   ZIP if one was typed; a text without a unit finds every unit of the street address. Only a
 *   text read as a house number and a street gives this pattern (`palm`, `10` do not).
 *
 * Each is a regular expression source that MongoDB (PCRE) and JavaScript read alike.
 */
export interface ListSearch {
  address: string;
  sourceId: string;
  recordId: string;
  parcel: string | null;
  addressKey: string | null;
}

export function listSearch(text: string): ListSearch {
  const escaped = escapeRegex(text);
  const apn = [...text.replace(/[-.\s]/g, '')];
  return {
    address: escaped,
    sourceId: `^${escaped}`,
    recordId: `:${escaped}`,
    parcel: apn.length === 0 ? null : `^${APN_SEPARATORS}${apn.map(escapeRegex).join(APN_SEPARATORS)}`,
    addressKey: addressKeyPattern(text),
  };
}

/** `listSearch`'s patterns as case-insensitive JavaScript expressions, for the in-memory list. */
export function listSearchRegExps(text: string): { [K in keyof ListSearch]: ListSearch[K] extends string ? RegExp : RegExp | null } {
  const s = listSearch(text);
  const re = (source: string) => new RegExp(source, 'i');
  return {
    address: re(s.address),
    sourceId: re(s.sourceId),
    recordId: re(s.recordId),
    parcel: s.parcel === null ? null : re(s.parcel),
    addressKey: s.addressKey === null ? null : re(s.addressKey),
  };
}


/** See `listSearch`: the pattern a typed address gives against keys (`STREET[ #UNIT]|ZIP`). */
function addressKeyPattern(text: string): string | null {
  const parsed = parseAddress(text);
  const key = addressKey({ ...parsed, zip: parsed.zip ?? '00000' });
  if (key === null) return null;
  const street = key.slice(0, key.lastIndexOf('|'));
  if (!/^\d\S* \S/.test(street)) return null;
  const anyUnit = street.includes(' #') ? '' : '(?: #[^|]+)?';
  return `^${escapeRegex(street)}${anyUnit}\\|${parsed.zip ? `${parsed.zip}$` : ''}`;
}

/** `text` as a regular expression that matches it literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
