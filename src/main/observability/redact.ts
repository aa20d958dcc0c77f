/**
 * What the logger removes before anything is written.
 *
 * Keys: secrets (tokens, keys, passwords, authorization headers) and personal data (owner names)
 * at the top level and up to three levels down, which covers every object we log. Values: any
 * configured secret that turns up inside a string (an error message quoting a URL, say).
 */
const SENSITIVE_KEYS = [
  'token',
  'apiKey',
  'api_key',
  'key',
  'password',
  'authorization',
  'AUTHORIZATION',
  'Authorization',
  'clientKey',
  'owner',
  'Owner',
  'owner_name',
  'Ownership',
  'ownerName',
  'OwnerName',
  'maricopaApiToken',
  'openaiApiKey',
  'webshareApiToken',
  'twocaptchaApiKey',
  'httpToken',
  'MARICOPA_API_TOKEN',
  'OPENAI_API_KEY',
  'WEBSHARE_API_TOKEN',
  'TWOCAPTCHA_API_KEY',
  'PHOENIX_HTTP_TOKEN',
];

export const REDACT_PATHS: string[] = SENSITIVE_KEYS.flatMap((key) => [
  key,
  `*.${key}`,
  `*.*.${key}`,
  `*.*.*.${key}`,
]);

export const REDACTED = '[redacted]';

/** Replace each secret's occurrences in `text`; secrets shorter than 4 characters are ignored. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out.replace(/(mongodb(?:\+srv)?:\/\/[^:@/\s]+):([^@/\s]*)@/g, '$1:***@');
}

/** Scrub every string inside a value (objects and arrays, a few levels deep). */
export function scrubDeep(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value, secrets);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, secrets, depth + 1));
  if (value instanceof Date) return value;
  if (value instanceof Error) {
    const plain: Record<string, unknown> = { type: value.name, message: value.message, stack: value.stack };
    for (const [k, v] of Object.entries(value)) plain[k] = v;
    return scrubDeep(plain, secrets, depth + 1);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, secrets, depth + 1);
  return out;
}
