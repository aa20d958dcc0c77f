/**
 * Maricopa parcel numbers: book (3 digits), map (2), parcel (3) and an optional letter, written
 * with or without dashes, dots or spaces (`509-11-455`, `50911455`, `211-29-043A`).
 */
const APN = /^(\d{3})[-.\s]?(\d{2})[-.\s]?(\d{3})[-.\s]?([A-Za-z])?$/;

/** The canonical `509-11-455` form (letter suffix kept, upper-cased); throws on anything else. */
export function normalizeApn(input: string): string {
  const match = APN.exec(input.trim());
  if (!match) throw new Error(`"${input}" is not a Maricopa APN (expected book-map-parcel like 509-11-455 or 211-29-043A)`);
  const [, book, map, parcel, letter] = match;
  return `${book}-${map}-${parcel}${letter ? letter.toUpperCase() : ''}`;
}

/** Whether `input` is a Maricopa APN `normalizeApn` accepts. */
export function isApn(input: string): boolean {
  return APN.test(input.trim());
}

/** The compact form the API's own links use (`50911455`). */
export function compactApn(apn: string): string {
  return normalizeApn(apn).replace(/-/g, '');
}
