import { REDACTED } from './redact.js';
import { decodeText } from './decoded-text.js';

/** Header names whose values are credentials, wherever an upstream page echoes them. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'cookie', 'set-cookie', 'x-auth-token'];

/** A credential's shape: what stands before its value (kept), the value (dropped), what must follow. */
interface Shape {
  before: string;
  value: string;
  after?: string;
}

/**
 * `Authorization: Bearer sk-...`, `"authorization":"Token abc"`, `Cookie=...`: the header's name,
 * its separator and optional scheme kept, the value up to a quote, `<`, `,`, `;` or line end dropped.
 */
const HEADER_SHAPE: Shape = {
  before: `(?:${CREDENTIAL_HEADERS.join('|')})["']?\\s*(?:[:=]|</t[dh]>\\s*<t[dh][^>]*>)\\s*["']?(?:(?:bearer|token|basic|digest)\\s+)?`,
  value: `(?!(?:bearer|token|basic|digest)(?:\\s|$))[^\\s"'<,;&]+`,
};
/** `scheme://user:password@host`: the password of any URL (proxies, MongoDB, HTTP). */
const USERINFO_SHAPE: Shape = { before: `\\b[a-z][a-z0-9+.-]*:\\/\\/[^:@/\\s"'<]+:`, value: `[^@/\\s"'<]*`, after: '@' };
/** `?key=...`, `&api_key=...`: credentials in a query string (2captcha's `key`, say). */
const QUERY_SHAPE: Shape = { before: '[?&](?:key|api_key|apikey|token|access_token|password|pass)=', value: `[^&\\s"'<#]+` };

/** `shape` as one expression: the part before as group 1, the value as the group named `v`. */
const shapePattern = (shape: Shape, flags: string) => new RegExp(`(${shape.before})(?<v>${shape.value})${shape.after ?? ''}`, flags);
const HEADER_PATTERN = shapePattern(HEADER_SHAPE, 'gi');
const USERINFO_PATTERN = shapePattern(USERINFO_SHAPE, 'gi');
const QUERY_PATTERN = shapePattern(QUERY_SHAPE, 'gi');
/** The shapes again, with the value's place (`d`), for decoded text. */
const DECODED_SHAPES = [HEADER_SHAPE, USERINFO_SHAPE, QUERY_SHAPE].map((shape) => shapePattern(shape, 'gid'));
/** A secret cut off by a truncated message still leaks its first characters: this many are enough to drop. */
const PREFIX_LENGTH = 8;
const MIN_SECRET_LENGTH = 4;
/** The smallest base64 run worth looking for: shorter runs turn up in ordinary base64 by chance. */
const MIN_BASE64_CHARS = 8;

/** One spelling of a secret to look for: in the decoded text lower-cased, or as it is (base64). */
interface Needle {
  value: string;
  /** How many leading characters must match; the rest are taken while they follow. */
  required: number;
  caseSensitive: boolean;
}

/**
 * Removes credentials from text before it is stored or shown: the configured secrets in every
 * spelling an upstream may echo them, and any prefix of eight characters or more of one (as a
 * truncated error page leaves them); plus anything shaped like a credential whatever its value:
 * credential headers echoed by an error page, the password in a URL, credential query parameters,
 * in the text as it is and in its decoded text (an echo that URL-encodes or escapes what it quotes).
 *
 * The spellings (issue #24): any letter case; URL-, form-, HTML- and JSON-escaped, mixed and up
 * to three layers deep (see `decoded-text.ts`); hex of the UTF-8 bytes, either case; base64 and
 * base64url (RFC 4648 §4, §5) at each of the three alignments a secret can have inside a longer
 * base64 string (Basic auth's `user:password`), of the secret and of its URL- and form-encoded
 * forms (a base64 request dump quoting a query string). Search is `indexOf` over the decoded text, linear
 * in its length for each spelling: no regular expression that could backtrack.
 *
 * One instance per process, shared by the logger, the core and the CLI; `add` takes secrets
 * learned at run time (a proxy's password, a key saved on the Settings page).
 */
export class SecretScrubber {
  private readonly secrets = new Set<string>();
  private readonly needles: Needle[] = [];
  /** The needles by haystack, with their heads as one search; rebuilt after `add`. */
  private searches: Search[] | null = null;

  constructor(values: Iterable<string> = []) {
    this.add(...values);
  }

  /** Add secrets to remove from now on; values under four characters are ignored (too common). */
  add(...values: string[]): void {
    for (const value of values) {
      if (value.length < MIN_SECRET_LENGTH || this.secrets.has(value)) continue;
      this.secrets.add(value);
      this.needles.push(...needlesOf(value));
      this.searches = null;
    }
  }

  /** The known secret values, as configured. */
  get values(): string[] {
    return [...this.secrets];
  }

  /** `text` with every known secret (in any spelling) and every credential-shaped part replaced by `[redacted]`. */
  scrub(text: string): string {
    const out = text.length >= MIN_SECRET_LENGTH ? this.removeSecrets(text) : text;
    return out.replace(HEADER_PATTERN, `$1${REDACTED}`).replace(USERINFO_PATTERN, '$1***@').replace(QUERY_PATTERN, `$1${REDACTED}`);
  }

  /**
   * Every string inside `value` scrubbed, through plain objects and arrays only: dates, ids and
   * other class instances are kept as they are. Returns a copy; `value` is not changed.
   */
  scrubDeep<T>(value: T): T {
    return scrubStrings(value, (s) => this.scrub(s)) as T;
  }

  /** The known secrets in the decoded text, and the credential shapes that only decoding shows, removed from `text`. */
  private removeSecrets(text: string): string {
    this.searches ??= [false, true].map((caseSensitive) => searchOf(this.needles.filter((n) => n.caseSensitive === caseSensitive), caseSensitive)).filter((x) => x !== null);
    const decoded = decodeText(text);
    const ranges: [number, number][] = [];
    for (const search of this.searches) {
      for (const [from, to] of occurrences(search.caseSensitive ? decoded.text : decoded.lower, search)) ranges.push(decoded.origin(from, to));
    }
    if (decoded.text !== text) for (const [from, to] of credentialValues(decoded.text)) ranges.push(decoded.origin(from, to));
    return ranges.length === 0 ? text : replaceRanges(text, ranges);
  }
}

/**
 * Issue #24: where the credential shapes (a header, a URL's password, a `key=` parameter) stand
 * in decoded text, their values' ranges: an error page that URL-encodes, HTML- or JSON-escapes
 * what it quotes hides `authorization: <token>` from the patterns over the text as it is, and
 * an unknown credential (or a known one cut to under eight characters) would stay.
 */
function credentialValues(decoded: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const shape of DECODED_SHAPES) {
    for (const match of decoded.matchAll(shape)) {
      const value = match.indices?.groups?.['v'];
      if (value && value[1] > value[0]) ranges.push(value);
    }
  }
  return ranges;
}

/** Needles searched in one haystack, and their required heads as one regular expression of literals (no backtracking). */
interface Search {
  caseSensitive: boolean;
  needles: Needle[];
  heads: RegExp;
}

function searchOf(needles: Needle[], caseSensitive: boolean): Search | null {
  const heads = [...new Set(needles.map((n) => n.value.slice(0, n.required)))];
  if (heads.length === 0) return null;
  return { caseSensitive, needles, heads: new RegExp(heads.map((h) => h.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'g') };
}

/**
 * Each `[from, to)` of `haystack` where a needle's first `required` characters stand, extended
 * over as many more of its characters as follow (the longest needle there wins).
 */
function occurrences(haystack: string, search: Search): [number, number][] {
  const found: [number, number][] = [];
  const { heads, needles } = search;
  heads.lastIndex = 0;
  for (let match = heads.exec(haystack); match; match = heads.exec(haystack)) {
    const from = match.index;
    let to = from;
    for (const needle of needles) {
      if (!haystack.startsWith(needle.value.slice(0, needle.required), from)) continue;
      let end = from + needle.required;
      while (end - from < needle.value.length && haystack[end] === needle.value[end - from]) end += 1;
      to = Math.max(to, end);
    }
    found.push([from, to]);
    heads.lastIndex = from + 1;
  }
  return found;
}

/** The spellings of `secret` to look for; see the class's docstring. */
function needlesOf(secret: string): Needle[] {
  const lower = secret.replace(/[A-Z]+/g, (s) => s.toLowerCase());
  const bytes = Buffer.from(secret, 'utf8');
  const text = (value: string, required: number): Needle => ({ value, required: Math.min(required, value.length), caseSensitive: false });
  const needles = [text(lower, PREFIX_LENGTH), text(bytes.toString('hex'), 2 * PREFIX_LENGTH)];
  // Form encoding writes a space as `+`.
  if (lower.includes(' ')) needles.push(text(lower.replace(/ /g, '+'), PREFIX_LENGTH));
  for (const encoded of new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)])) needles.push(...base64Needles(Buffer.from(encoded, 'utf8')));
  return needles;
}

/**
 * The base64 and base64url spellings of `bytes` at each alignment. Issue #24: a request dump in
 * base64 holds a key of the query string URL-encoded (2captcha's `key=`), so the URL- and
 * form-encoded secrets get these too.
 */
function base64Needles(bytes: Buffer): Needle[] {
  const needles: Needle[] = [];
  const required = Math.max(MIN_BASE64_CHARS, Math.floor((Math.min(PREFIX_LENGTH, bytes.length) * 8) / 6) - 1);
  for (let offset = 0; offset < 3; offset += 1) {
    const core = base64Core(bytes, offset);
    if (core.length < MIN_BASE64_CHARS) continue;
    for (const value of new Set([core, core.replace(/\+/g, '-').replace(/\//g, '_')])) needles.push({ value, required: Math.min(required, value.length), caseSensitive: true });
  }
  return needles;
}

/** The base64 characters wholly decided by `bytes` when `offset` bytes (0–2) come before them in the encoded string. */
function base64Core(bytes: Buffer, offset: number): string {
  const padded = Buffer.concat([Buffer.alloc(offset), bytes, Buffer.alloc(2)]).toString('base64');
  return padded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
}

/** `text` with the (possibly overlapping) ranges replaced by one `[redacted]` each run. */
function replaceRanges(text: string, ranges: [number, number][]): string {
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let last = 0;
  for (const [start, end] of ranges) {
    if (end <= last) continue;
    if (start >= last) out += text.slice(last, start) + REDACTED;
    last = end;
  }
  return out + text.slice(last);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Map every string in plain objects and arrays (keys kept), up to 12 levels down. */
export function scrubStrings(value: unknown, scrub: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (depth > 12 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubStrings(v, scrub, depth + 1));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubStrings(v, scrub, depth + 1);
  return out;
}
