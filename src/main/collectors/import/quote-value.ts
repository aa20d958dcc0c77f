/** The most characters of a value a message quotes; longer values are cut with an ellipsis. */
export const QUOTED_VALUE_MAX = 40;

/** Control, format (bidi overrides, zero-width) and line/paragraph separator characters. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '"': '\\"', '\\': '\\\\' };

/**
 * A value of an imported file as a message may quote it: in double quotes, at most
 * QUOTED_VALUE_MAX characters (code points) of it followed by `…` when it is longer, quotes and
 * backslashes escaped as in JSON, and every control or format character written as an escape
 * (`\n`, `\t`, `\u0007`, `\u202e`) — never a raw byte sent to a terminal, nor a whole line of
 * the file (which may hold a secret: a `.env` file given by mistake).
 * `quoteValue('MARICOPA_API_TOKEN="abc"')` is `"MARICOPA_API_TOKEN=\"abc\""`.
 */
export function quoteValue(text: string, max: number = QUOTED_VALUE_MAX): string {
  const chars = [...text];
  const kept = chars.length > max ? chars.slice(0, max).join('') : text;
  const escaped = kept.replace(/["\\]/g, (c) => NAMED[c]!).replace(UNPRINTABLE, (c) => NAMED[c] ?? `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
  return `"${escaped}${chars.length > max ? '…' : ''}"`;
}
