import { describe, expect, it } from 'vitest';
import { SecretScrubber } from '../../src/main/observability/secret-scrubber.js';

const TOKEN = 'assessor-token-7f3a9c2e41';
const KEY = 'sk-proj-Zx81kQ0pLm';

describe('SecretScrubber', () => {
  const scrubber = new SecretScrubber([TOKEN, KEY, 'abc']);

  it.each([
    ['a known value anywhere', `failed: ${TOKEN} rejected`, 'failed: [redacted] rejected'],
    ['a value cut off by truncation', `HTTP 502: "...authorization: ${TOKEN.slice(0, 11)}…" (900 bytes)`, 'HTTP 502: "...authorization: [redacted]" (900 bytes)'],
    ['a cut-off value without its header', `body: ${KEY.slice(0, 12)}… (900 bytes)`, 'body: [redacted]… (900 bytes)'],
    ['a URL-encoded value', `GET /x?q=${encodeURIComponent('p@ss/word+1')}`, 'GET /x?q=[redacted]'],
    ['an echoed bearer header of an unknown key', 'authorization: Bearer sk-unknown-999 host: x', 'authorization: Bearer [redacted] host: x'],
    ['a JSON-echoed header', '{"Proxy-Authorization":"Basic dXNlcjpwYXNz","host":"a"}', '{"Proxy-Authorization":"Basic [redacted]","host":"a"}'],
    ['a header in an HTML table', '<tr><td>X-Api-Key</td><td>k-123456</td></tr>', '<tr><td>X-Api-Key</td><td>[redacted]</td></tr>'],
    ['a password in a proxy URL', 'tunnel http://user-1:s3cr3t@10.0.0.1:8080 failed', 'tunnel http://user-1:***@10.0.0.1:8080 failed'],
    ['a MongoDB URI password', 'mongodb://ana:hunter22@db:27017/x', 'mongodb://ana:***@db:27017/x'],
    ['a credential query parameter', 'https://2captcha.com/in.php?key=0123abcd&method=userrecaptcha', 'https://2captcha.com/in.php?key=[redacted]&method=userrecaptcha'],
  ])('removes %s', (_name, input, expected) => {
    const s = new SecretScrubber([TOKEN, KEY, 'p@ss/word+1']);
    expect(s.scrub(input)).toBe(expected);
  });

  it('leaves ordinary text, short values and non-plain objects alone', () => {
    expect(scrubber.scrub('abc parcel 509-11-455 keyed by APN')).toBe('abc parcel 509-11-455 keyed by APN');
    // Instructions that name the header with a placeholder are not a credential.
    expect(scrubber.scrub('Metrics: http://127.0.0.1:5178/metrics (Authorization: Bearer <token>)')).toBe('Metrics: http://127.0.0.1:5178/metrics (Authorization: Bearer <token>)');
    expect(scrubber.scrub('Authorization: token-0123456789abcdef')).toBe('Authorization: [redacted]');
    const at = new Date('2026-01-01T00:00:00Z');
    const doc = { at, list: [`x ${KEY}`], nested: { message: TOKEN } };
    const out = scrubber.scrubDeep(doc);
    expect(out).toEqual({ at, list: ['x [redacted]'], nested: { message: '[redacted]' } });
    expect(out.at).toBe(at);
    expect(doc.nested.message).toBe(TOKEN);
  });
});
