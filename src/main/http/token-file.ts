import fs from 'node:fs';
import path from 'node:path';
import { generateToken } from './auth.js';

export const TOKEN_FILE_NAME = 'http-token';

/**
 * The headless console's bearer token, kept in `<data folder>/http-token` (mode 0600, owner
 * only) so that open tabs keep working across restarts: read when there, else made and saved.
 * `rotate` makes a new one (`serve --new-token`), which locks out every tab and script holding
 * the old one. A file holding something else than a token is replaced.
 */
export function persistentToken(dataDir: string, options: { rotate?: boolean } = {}): string {
  const file = path.join(dataDir, TOKEN_FILE_NAME);
  if (!options.rotate) {
    const kept = readToken(file);
    if (kept) {
      fs.chmodSync(file, 0o600);
      return kept;
    }
  }
  const token = generateToken();
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return token;
}

function readToken(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
  return /^[A-Za-z0-9_-]{32,}$/.test(text) ? text : undefined;
}
