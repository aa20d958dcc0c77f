import { REDACTED } from './redact.js';

/** Header names whose values are credentials, wherever an upstream page echoes them. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'cookie', 'set-cookie', 'x-auth-token'];

/**
 * `Authorization: Bearer sk-...`, `"authorization":"Token abc"`, `Cookie=...`: the header's name,
 * its separator and optional scheme kept, the value up to a quote, `<`, `,`, `;` or line end dropped.
 */
const HEADER_PATTERN = new RegExp(
  `((?:${CREDENTIAL_HEADERS.join('|')})["']?\\s*(?:[:=]|</t[dh]>\\s*<t[dh][^>]*>)\\s*["']?(?:(?:bearer|token|basic|digest)\\s+)?)(?!(?:bearer|token|basic|digest)(?:\\s|$))[^\\s"'<,;&]+`,
  'gi',
);
/** `scheme://user:password@host`: the password of any URL (proxies, MongoDB, HTTP). */
const USERINFO_PATTERN = /\b([a-z][a-z0-9+.-]*:\/\/[^:@/\s"'<]+):([^@/\s"'<]*)@/gi;
/** `?key=...`, `&api_key=...`: credentials in a query string (2captcha's `key`, say). */
const QUERY_PATTERN = /([?&](?:key|api_key|apikey|token|access_token|password|pass)=)[^&\s"'<#]+/gi;
/** A secret cut off by a truncated message still leaks its first characters: this many are enough to drop. */
const PREFIX_LENGTH = 8;
const MIN_SECRET_LENGTH = 4;

/**
 * Removes credentials from text before it is stored or shown: the configured secrets (and their
 * URL-encoded forms, and any prefix of eight characters or more, as a truncated error page leaves
 * them), plus anything shaped like one whatever its value: credential headers echoed by an error
 * page, the password in a URL, credential query parameters.
 *
 * One instance per core; `add` takes secrets learned at run time (a proxy's password).
 */
export class SecretScrubber {
  private readonly secrets = new Set<string>();

  constructor(values: Iterable<string> = []) {
    this.add(...values);
  }

  /** Add secrets to remove from now on; values under four characters are ignored (too common). */
  add(...values: string[]): void {
    for (const value of values) {
      if (value.length < MIN_SECRET_LENGTH) continue;
      this.secrets.add(value);
      const encoded = encodeURIComponent(value);
      if (encoded !== value) this.secrets.add(encoded);
    }
  }

  /** The known secret values (each with its URL-encoded form). */
  get values(): string[] {
    return [...this.secrets];
  }

  /** `text` with every known secret and every credential-shaped part replaced by `[redacted]`. */
  scrub(text: string): string {
    let out = text;
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
      if (secret.length > PREFIX_LENGTH) out = dropPrefixes(out, secret);
    }
    return out.replace(HEADER_PATTERN, `$1${REDACTED}`).replace(USERINFO_PATTERN, '$1:***@').replace(QUERY_PATTERN, `$1${REDACTED}`);
  }

  /**
   * Every string inside `value` scrubbed, through plain objects and arrays only: dates, ids and
   * other class instances are kept as they are. Returns a copy; `value` is not changed.
   */
  scrubDeep<T>(value: T): T {
    return scrubStrings(value, (s) => this.scrub(s)) as T;
  }
}

/** Replace every occurrence of a prefix (8 characters or more) of `secret` with `[redacted]`. */
function dropPrefixes(text: string, secret: string): string {
  const head = secret.slice(0, PREFIX_LENGTH);
  let from = text.indexOf(head);
  if (from < 0) return text;
  let out = '';
  let last = 0;
  while (from >= 0) {
    let end = from + PREFIX_LENGTH;
    while (end - from < secret.length && text[end] === secret[end - from]) end += 1;
    out += text.slice(last, from) + REDACTED;
    last = end;
    from = text.indexOf(head, end);
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
