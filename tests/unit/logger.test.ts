import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../support/logger.js';

describe('logger redaction', () => {
  it('redacts secret keys and owner names at any depth we log', () => {
    const { logger, text, lines } = memoryLogger();
    logger.info(
      {
        token: 'tok-123456',
        headers: { AUTHORIZATION: 'auth-abcdef' },
        config: { openaiApiKey: 'sk-abcdefgh' },
        parcel: { original: { Owner: { OwnerName: 'JANE Q PUBLIC' } }, data: { owner: 'JANE Q PUBLIC' } },
      },
      'fetched',
    );
    logger.flush();
    const out = text();
    for (const secret of ['tok-123456', 'auth-abcdef', 'sk-abcdefgh', 'JANE Q PUBLIC']) expect(out).not.toContain(secret);
    expect(lines()[0]).toMatchObject({ token: '[redacted]', msg: 'fetched' });
  });

  it('scrubs configured secret values from messages and errors, and URI passwords', () => {
    const { logger, text } = memoryLogger(['super-secret-token']);
    logger.warn('request to https://api.example/?key=super-secret-token failed');
    logger.error({ err: new Error('bad key super-secret-token') }, 'boom');
    logger.info({ uri: 'mongodb://ana:hunter22@db.example/x' }, 'connecting to mongodb://ana:hunter22@db.example/x');
    logger.flush();
    const out = text();
    expect(out).not.toContain('super-secret-token');
    expect(out).not.toContain('hunter22');
    expect(out).toContain('bad key [redacted]');
    expect(out).toContain('mongodb://ana:***@db.example/x');
  });
});

describe('logger scrubbing over the whole line (issue #24)', () => {
  it('removes a secret echoed lower-cased, URL-encoded, HTML-escaped and base64 from message, fields and errors, and keeps every line JSON', () => {
    const secret = 'Tk7f3a9C2e41d0+/=&<>"x';
    const { logger, text, lines } = memoryLogger([secret]);
    logger.warn(`HTTP 400: authorization: ${secret.toLowerCase()}`);
    logger.warn({ page: `<pre>${secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}</pre>` }, 'echo');
    logger.error({ err: new Error(`redirect to /login?next=${encodeURIComponent(secret)}`), nested: { basic: Buffer.from(`u:${secret}`).toString('base64') } }, 'failed');
    logger.info({ cut: `${secret.slice(0, 9)}\\"` }, 'a secret cut off before an escape');
    logger.flush();
    const out = text();
    for (const spelling of [secret, secret.toLowerCase(), encodeURIComponent(secret), 'Tk7f3a9c', Buffer.from(`u:${secret}`).toString('base64').slice(4, 20)]) expect(out).not.toContain(spelling);
    expect(lines()).toHaveLength(4);
    expect(lines()[0]).toMatchObject({ msg: 'HTTP 400: authorization: [redacted]' });
  });
});

describe('the terminal log', () => {
  it('prints one plain line per entry: level, message and the error message, no JSON or stack', async () => {
    const { createLogger, terminalLines } = await import('../../src/main/observability/logger.js');
    const { SecretScrubber } = await import('../../src/main/observability/secret-scrubber.js');
    const written: string[] = [];
    const out = { write: (s: string) => written.push(s) } as unknown as NodeJS.WritableStream;
    const logger = createLogger({ level: 'info', stream: terminalLines(out), scrubber: new SecretScrubber(['super-secret-token']) });
    logger.warn({ err: new Error('HTTP 500 from the assessor, token super-secret-token') }, 'parcel 509-11-455 failed');
    logger.info('plain');
    expect(written).toEqual(['warn: parcel 509-11-455 failed: HTTP 500 from the assessor, token [redacted]\n', 'info: plain\n']);
  });
});
