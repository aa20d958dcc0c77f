import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionStateFile, setAsideInvalidSessionState } from '../../src/main/collectors/phoenix-mls/session-state.js';

const AT = new Date('2026-11-29T10:00:00Z');
const session = {
  id: 'session_abc',
  cookieJar: { version: 'tough-cookie@4.1.4', storeType: 'MemoryCookieStore', rejectPublicSuffixes: true, cookies: [{ key: 'sid', value: 'x', domain: '127.0.0.1' }] },
  userData: {},
  maxErrorScore: 3,
  errorScoreDecrement: 0.5,
  expiresAt: '2026-11-29T10:50:00.000Z',
  createdAt: '2026-11-29T10:00:00.000Z',
  usageCount: 2,
  maxUsageCount: 50,
  errorScore: 0,
};

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function withState(content: string | null, asFolder = false): { file: string; warning: string | null } {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-sessions-'));
  const file = sessionStateFile(dir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (asFolder) fs.mkdirSync(file);
  else if (content !== null) fs.writeFileSync(file, content);
  return { file, warning: setAsideInvalidSessionState(dir, AT) };
}

describe('the saved MLS session pool', () => {
  it('is left alone when absent or of Crawlee\'s shape', () => {
    expect(withState(null).warning).toBeNull();
    const sound = withState(JSON.stringify({ usableSessionsCount: 1, retiredSessionsCount: 0, sessions: [session] }));
    expect(sound.warning).toBeNull();
    expect(fs.existsSync(sound.file)).toBe(true);
  });

  it.each([
    ['not JSON', '{"sessions": [', /not JSON/],
    ['an empty object', '{}', /\(root\)|sessions: /],
    ['sessions not a list', '{"sessions": {}}', /sessions: /],
    ['a session without cookies', JSON.stringify({ sessions: [{ ...session, cookieJar: {} }] }), /sessions\.0\.cookieJar\.cookies: /],
    ['a bad date', JSON.stringify({ sessions: [{ ...session, expiresAt: 'soon' }] }), /sessions\.0\.expiresAt: /],
    ['a list', '[]', /\(root\)/],
    ['null', 'null', /\(root\)/],
  ])('of the wrong shape (%s) is set aside with a warning naming the file', (_what, content, reason) => {
    const { file, warning } = withState(content);
    expect(warning).toContain(`The saved MLS sessions in ${file} were not usable (`);
    expect(warning).toMatch(reason);
    expect(warning).toContain(`set aside as ${file}.invalid-2026-11-29T10-00-00-000Z, starting with fresh sessions.`);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readFileSync(`${file}.invalid-2026-11-29T10-00-00-000Z`, 'utf8')).toBe(content);
  });

  it('that is a folder instead of a file is set aside too', () => {
    const { file, warning } = withState(null, true);
    expect(warning).toMatch(/unreadable: EISDIR/);
    expect(fs.existsSync(file)).toBe(false);
  });
});
