/**
 * Text with its escapes decoded, each decoded character remembering where it came from, so a
 * secret found in the decoded text is removed from the original.
 *
 * Issue #24: the log and the CLI carried the assessor token URL-encoded, HTML-escaped and
 * lower-cased. An upstream may echo a secret in any of these spellings, mixed (a JSON-quoted,
 * HTML-escaped, URL-encoded page), so instead of listing encoded strings the text is decoded:
 * - percent-encoding of any byte, either hex case, once or twice (`%2F`, `%2f`, `%252F`; UTF-8
 *   sequences): `encodeURIComponent`, `encodeURI` and form encoding (WHATWG URL §5);
 * - HTML character references: decimal and hex (`&#47;`, `&#x2F;`, leading zeros, the `;` HTML
 *   lets go) and the HTML5 named references of ASCII characters (WHATWG HTML §13.5);
 * - JSON string escapes (RFC 8259 §7): `\"`, `\\`, `\/`, `\uXXXX`, once or twice escaped;
 * and again on the result, up to three layers. Decoding is one linear pass per layer, with no
 * regular expression over the whole text, so a megabyte costs milliseconds.
 */

/** HTML5 named character references for ASCII characters (each checked against the `entities` decoder). */
const NAMED_REFERENCES: Record<string, string> = {
  excl: '!',
  quot: '"',
  num: '#',
  dollar: '$',
  percnt: '%',
  amp: '&',
  apos: "'",
  lpar: '(',
  rpar: ')',
  ast: '*',
  midast: '*',
  plus: '+',
  comma: ',',
  period: '.',
  sol: '/',
  colon: ':',
  semi: ';',
  lt: '<',
  equals: '=',
  gt: '>',
  quest: '?',
  commat: '@',
  lsqb: '[',
  lbrack: '[',
  bsol: '\\',
  rsqb: ']',
  rbrack: ']',
  hat: '^',
  lowbar: '_',
  underbar: '_',
  grave: '`',
  diacriticalgrave: '`',
  lcub: '{',
  lbrace: '{',
  verbar: '|',
  vert: '|',
  verticalline: '|',
  rcub: '}',
  rbrace: '}',
};
/** The references HTML still reads without their `;` (WHATWG HTML's legacy list, ASCII part). */
const SEMICOLON_OPTIONAL = new Set(['amp', 'lt', 'gt', 'quot']);
const MAX_LAYERS = 3;

/** `text` decoded, the same lower-cased in ASCII (`lower`, same length), and where its parts came from. */
export interface DecodedText {
  text: string;
  lower: string;
  /** The range `[start, end)` of the original text that decoded units `[from, to)` came from (`to > from`). */
  origin(from: number, to: number): [number, number];
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** The byte of `%XX` or `%25XX` at `i` and the escape's length, or null. */
function percentByte(text: string, i: number): { byte: number; length: number } | null {
  if (text.charCodeAt(i) !== 37) return null;
  let at = i + 1;
  if (text.charCodeAt(at) === 50 && text.charCodeAt(at + 1) === 53 && hexValue(text.charCodeAt(at + 2)) >= 0 && hexValue(text.charCodeAt(at + 3)) >= 0) at += 2;
  const high = hexValue(text.charCodeAt(at));
  const low = hexValue(text.charCodeAt(at + 1));
  return high < 0 || low < 0 ? null : { byte: high * 16 + low, length: at + 2 - i };
}

/** The UTF-8 sequence length a lead byte announces, 0 for a byte that cannot lead one. */
function utf8Length(byte: number): number {
  if (byte < 0x80) return 1;
  if (byte >= 0xc2 && byte <= 0xdf) return 2;
  if (byte >= 0xe0 && byte <= 0xef) return 3;
  if (byte >= 0xf0 && byte <= 0xf4) return 4;
  return 0;
}

/** A percent-encoded character (one to four UTF-8 bytes) at `i`: its text and escape length, or null. */
function percentChar(text: string, i: number): { char: string; length: number } | null {
  const first = percentByte(text, i);
  if (!first) return null;
  const need = utf8Length(first.byte);
  if (need === 1) return { char: String.fromCharCode(first.byte), length: first.length };
  if (need === 0) return null;
  const bytes = [first.byte];
  let length = first.length;
  for (let k = 1; k < need; k += 1) {
    const next = percentByte(text, i + length);
    if (!next || (next.byte & 0xc0) !== 0x80) return null;
    bytes.push(next.byte);
    length += next.length;
  }
  const char = Buffer.from(bytes).toString('utf8');
  return char.includes('\ufffd') ? null : { char, length };
}

/** An HTML character reference at `i` (`&`): its text and length, or null. */
function htmlReference(text: string, i: number): { char: string; length: number } | null {
  if (text.charCodeAt(i + 1) === 35) {
    const hex = text.charCodeAt(i + 2) === 120 || text.charCodeAt(i + 2) === 88;
    let at = i + (hex ? 3 : 2);
    let value = 0;
    let digits = 0;
    for (; digits < 10; at += 1, digits += 1) {
      const d = hex ? hexValue(text.charCodeAt(at)) : text.charCodeAt(at) - 48;
      if (d < 0 || d > (hex ? 15 : 9)) break;
      value = value * (hex ? 16 : 10) + d;
    }
    if (digits === 0 || value > 0x10ffff || value === 0) return null;
    if (text.charCodeAt(at) === 59) at += 1;
    return { char: String.fromCodePoint(value), length: at - i };
  }
  let at = i + 1;
  while (at - i <= 17 && /[A-Za-z]/.test(text.charAt(at))) at += 1;
  const name = text.slice(i + 1, at).toLowerCase();
  const char = NAMED_REFERENCES[name];
  if (!char) return null;
  if (text.charCodeAt(at) === 59) return { char, length: at + 1 - i };
  return SEMICOLON_OPTIONAL.has(name) ? { char, length: at - i } : null;
}

/** A JSON escape at `i` (`\`), once or twice escaped: its text and length, or null. */
function jsonEscape(text: string, i: number): { char: string; length: number } | null {
  let at = i;
  while (text.charCodeAt(at) === 92 && at - i < 4) at += 1;
  const next = text.charAt(at);
  if (next === 'u' || next === 'U') {
    let value = 0;
    for (let k = 1; k <= 4; k += 1) {
      const d = hexValue(text.charCodeAt(at + k));
      if (d < 0) return null;
      value = value * 16 + d;
    }
    return { char: String.fromCharCode(value), length: at + 5 - i };
  }
  if (next === '"' || next === '/' || next === "'") return { char: next, length: at + 1 - i };
  return at - i >= 2 ? { char: '\\', length: at - i } : null;
}

/** One layer decoded; `null` when the text has nothing to decode. */
function decodeLayer(text: string): { text: string; starts: Int32Array; ends: Int32Array } | null {
  const escapes = /[%&\\]/g;
  let match = escapes.exec(text);
  if (!match) return null;
  const parts: string[] = [];
  const starts = new Int32Array(text.length);
  const ends = new Int32Array(text.length);
  let n = 0;
  let changed = false;
  let i = 0;
  const keep = (to: number) => {
    parts.push(text.slice(i, to));
    for (; i < to; i += 1, n += 1) {
      starts[n] = i;
      ends[n] = i + 1;
    }
  };
  while (match) {
    keep(match.index);
    const code = text.charCodeAt(i);
    const escape = code === 37 ? percentChar(text, i) : code === 38 ? htmlReference(text, i) : jsonEscape(text, i);
    if (escape) {
      changed = true;
      parts.push(escape.char);
      for (let k = 0; k < escape.char.length; k += 1, n += 1) {
        starts[n] = i;
        ends[n] = i + escape.length;
      }
      i += escape.length;
    } else keep(i + 1);
    escapes.lastIndex = i;
    match = escapes.exec(text);
  }
  keep(text.length);
  return changed ? { text: parts.join(''), starts: starts.subarray(0, n), ends: ends.subarray(0, n) } : null;
}

/** ASCII letters lower-cased, everything else kept: the length never changes. */
function asciiLower(text: string): string {
  return /[A-Z]/.test(text) ? text.replace(/[A-Z]+/g, (s) => s.toLowerCase()) : text;
}

/** `text` with up to three layers of URL, HTML and JSON escapes decoded; see the module's docstring. */
export function decodeText(text: string): DecodedText {
  let current = text;
  let starts: Int32Array | null = null;
  let ends: Int32Array | null = null;
  for (let layer = 0; layer < MAX_LAYERS; layer += 1) {
    const next = decodeLayer(current);
    if (!next) break;
    if (starts && ends) {
      const composedStarts = new Int32Array(next.text.length);
      const composedEnds = new Int32Array(next.text.length);
      for (let k = 0; k < next.text.length; k += 1) {
        composedStarts[k] = starts[next.starts[k]!]!;
        composedEnds[k] = ends[next.ends[k]! - 1]!;
      }
      starts = composedStarts;
      ends = composedEnds;
    } else {
      starts = next.starts;
      ends = next.ends;
    }
    current = next.text;
  }
  const [s, e] = [starts, ends];
  const origin = s && e ? (from: number, to: number): [number, number] => [s[from]!, e[to - 1]!] : (from: number, to: number): [number, number] => [from, to];
  return { text: current, lower: asciiLower(current), origin };
}
