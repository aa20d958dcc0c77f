import { SPELLINGS, spelled } from './echoed-headers.js';

/** How many leading characters of a secret count as a leak (the scrubber drops prefixes of 8 or more, and any credential-shaped value). */
const PREFIX_CHARS = 6;
/** Runs of base64 characters at least this long are decoded and searched. */
const MIN_BASE64_RUN = 12;

/** The text spellings of `secret`'s first six characters found in `text`, any letter case (URL-encoded once or twice). */
function textSpellingsIn(text: string, secret: string): string[] {
  const lower = text.toLowerCase();
  const prefix = secret.slice(0, PREFIX_CHARS);
  const found = SPELLINGS.filter((spelling) => spelling !== 'base64' && lower.includes(spelled(prefix, spelling).toLowerCase()));
  return lower.includes(spelled(spelled(prefix, 'url'), 'url').toLowerCase()) ? [...found, 'url twice'] : found;
}

/**
 * Where `secret` stands in `text`, by spelling: the whole secret or its first six characters in
 * any letter case, plain, URL-encoded, HTML- or JSON-escaped (`SPELLINGS`), and in any of these
 * spellings inside any run of base64 (or base64url) characters decoded at each of its four
 * alignments (a secret inside a longer encoded string, as Basic auth's `user:password` or a
 * request dump with the key URL-encoded in its query string puts it). Empty: not there. Written
 * apart from the scrubber, so that a fault of one is not the other's.
 */
export function secretSpellingsIn(text: string, secret: string): string[] {
  const found = textSpellingsIn(text, secret);
  for (const run of text.match(new RegExp(`[A-Za-z0-9+/_-]{${MIN_BASE64_RUN},}`, 'g')) ?? []) {
    for (let shift = 0; shift < 4; shift += 1) {
      const inside = textSpellingsIn(Buffer.from(run.slice(shift), 'base64').toString('latin1'), secret);
      if (inside.length > 0) {
        found.push(`base64 of ${inside.join('/')} (${run.slice(0, 24)}…)`);
        break;
      }
    }
  }
  return [...new Set(found)];
}

/** Every string inside a JSON-like value (keys too), one a line: what a reader of the stored documents would see. */
export function stringsOf(value: unknown, out: string[] = [], depth = 0): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value !== null && typeof value === 'object' && depth < 40) {
    for (const [key, inner] of Object.entries(value)) {
      out.push(key);
      stringsOf(inner, out, depth + 1);
    }
  }
  return out;
}

/**
 * The places in `places` (name → text) where any of `secrets` (name → value) stands in any
 * spelling, as `<place>: <secret> <spellings>` lines: empty when nothing leaked.
 */
export function leaks(places: Record<string, string>, secrets: Record<string, string>): string[] {
  const lines: string[] = [];
  for (const [place, text] of Object.entries(places)) {
    for (const [name, secret] of Object.entries(secrets)) {
      const found = secretSpellingsIn(text, secret);
      if (found.length > 0) lines.push(`${place}: ${name} ${found.join(', ')}`);
    }
  }
  return lines;
}
