/**
 * What the logger removes before anything is written.
 *
 * Keys: secrets (tokens, keys, passwords, authorization headers) and personal data (owner names)
 * at the top level and up to three levels down, which covers every object we log. Values are the
 * `SecretScrubber`'s job (every secret in every spelling, over each whole line).
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
