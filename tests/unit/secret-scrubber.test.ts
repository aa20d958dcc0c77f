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
    // Issue #24: the shapes in an echo that URL-encodes, HTML- or JSON-escapes what it quotes (an unknown credential, or a known one cut short).
    ['a URL-encoded header of an unknown token', 'report?request=host%3A%20x%0Aauthorization%3A%20Unknown%2FValue99%0Aaccept', 'report?request=host%3A%20x%0Aauthorization%3A%20[redacted]%0Aaccept'],
    ['a URL-encoded header cut to a few characters', `request=authorization%3A%20${encodeURIComponent('as/se')}"… (347 bytes)`, 'request=authorization%3A%20[redacted]"… (347 bytes)'],
    ['a JSON-escaped header', '{"request":"{\\"x-api-key\\":\\"k-1\\/23456\\"}"}', '{"request":"{\\"x-api-key\\":\\"[redacted]\\"}"}'],
    ['an HTML-escaped header', '<pre>cookie&#58; sid&#61;abc123</pre>', '<pre>cookie&#58; [redacted]</pre>'],
    ['a URL-encoded query parameter', 'GET%20%2Fres.php%3Faction%3Dget%26key%3DUnknown%252F99%26json%3D1', 'GET%20%2Fres.php%3Faction%3Dget%26key%3D[redacted]%26json%3D1'],
    ['a URL-encoded proxy password', 'url=http%3A%2F%2Fuser-1%3As3cr3t%40proxy%3A80', 'url=http%3A%2F%2Fuser-1%3A[redacted]%40proxy%3A80'],
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

/** A token with the characters encoders change, so every spelling below differs from the plain one. */
const ODD = 'Tk7f3a9C2e41d0+/=&<>"\'~ x';
const html = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

describe('SecretScrubber: every spelling an upstream may echo (issue #24)', () => {
  const s = new SecretScrubber([ODD]);
  it.each([
    ['as is', ODD],
    ['lower-cased', ODD.toLowerCase()],
    ['upper-cased', ODD.toUpperCase()],
    ['encodeURIComponent', encodeURIComponent(ODD)],
    ['encodeURIComponent, lower-case hex', encodeURIComponent(ODD).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ['form-encoded', new URLSearchParams({ t: ODD }).toString().slice(2)],
    ['URL-encoded twice', encodeURIComponent(encodeURIComponent(ODD))],
    ['HTML-escaped, named', html(ODD)],
    ['HTML-escaped, decimal', ODD.replace(/[^A-Za-z0-9]/g, (c) => `&#${c.charCodeAt(0)};`)],
    ['HTML-escaped, hex without ;', ODD.replace(/[^A-Za-z0-9]/g, (c) => `&#X${c.charCodeAt(0).toString(16)}`)],
    ['JSON-escaped', JSON.stringify(ODD)],
    ['JSON-escaped twice', JSON.stringify(JSON.stringify(ODD))],
    ['JSON \\u escapes', ODD.replace(/[^A-Za-z0-9]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)],
    ['JSON inside HTML', html(JSON.stringify({ authorization: ODD }))],
    ['base64', Buffer.from(ODD).toString('base64')],
    ['base64 after one byte', Buffer.from(`u:${ODD}`).toString('base64')],
    ['base64 after two bytes (Basic auth)', Buffer.from(`us:${ODD}`).toString('base64')],
    ['base64 after three bytes', Buffer.from(`usr:${ODD}!`).toString('base64')],
    ['base64url', Buffer.from(`xy${ODD}z`).toString('base64url')],
    ['base64, URL-encoded', encodeURIComponent(Buffer.from(`u:${ODD}`).toString('base64'))],
    ['hex', Buffer.from(ODD).toString('hex')],
    ['hex, upper case', Buffer.from(ODD).toString('hex').toUpperCase()],
    ['URL-encoded, cut off after 12 characters', encodeURIComponent(ODD).slice(0, 12)],
  ])('removes the secret %s', (_name, spelling) => {
    const out = s.scrub(`<pre>authorization-echo ${spelling} end</pre>`);
    expect(out).toContain('[redacted]');
    expect(out.startsWith('<pre>authorization-echo ')).toBe(true);
    expect(out.endsWith(' end</pre>')).toBe(true);
    // What is left holds no five characters of the secret in a row, in any spelling we know.
    const rest = out.replace('[redacted]', ' ');
    for (const left of [rest, decodeURIComponent(rest.replace(/%(?![0-9a-f]{2})/gi, '')).toLowerCase()]) expect(left).not.toContain(ODD.slice(0, 5).toLowerCase());
  });

  it.each([
    ['URL-encoded', (key: string) => `key=${encodeURIComponent(key)}`],
    ['form-encoded', (key: string) => new URLSearchParams({ key }).toString()],
  ])('removes a key %s in a query string inside a base64 request dump', (_name, query) => {
    // An escape within the first eight characters: no plain prefix of the key is in the dump.
    const key = 'Fk/9x+Tz&Q<7>mW2';
    const encoded = query(key).slice('key='.length);
    const out = new SecretScrubber([key]).scrub(`<!-- ${Buffer.from(`GET /res.php?action=getbalance&${query(key)}&json=1`).toString('base64')} -->`);
    expect(out).toContain('[redacted]');
    for (const part of out.slice(5, -4).split('[redacted]')) {
      for (let shift = 0; shift < 4; shift += 1) {
        const decoded = Buffer.from(part.slice(shift), 'base64').toString('latin1');
        for (let at = 0; at + 6 <= encoded.length; at += 1) expect(decoded).not.toContain(encoded.slice(at, at + 6));
      }
    }
  });

  it('leaves ordinary text with escapes, base64 and hex as it is', () => {
    const scrubber = new SecretScrubber(['test-key-Zx81kQ0pLmN3vB7tY2wQ9rS4uV6', ODD, 'hunter2-pass!']);
    const texts = [
      'The assessor answered HTTP 400 for parcel 509-11-455 at 1 W ELM ST, PHOENIX 85031.',
      'Search: /search/property/?q=PALM%20ST&page=2 &amp; &lt;b&gt;bold&lt;/b&gt; &#39;quoted&#39; 100% done',
      '{"msg":"a \\"quoted\\" \\\\ path \\/x \\u00e9t\\u00e9","level":30}',
      `Basic ${Buffer.from('someone:else').toString('base64')} ${Buffer.from('a harmless sentence of words').toString('hex')}`,
      'Authorization: Bearer <token> for http://127.0.0.1:5178/metrics',
    ];
    for (const text of texts) expect(scrubber.scrub(text)).toBe(text);
  });

  it('scrubs a 1 MB string of escapes once each, finding a lower-cased secret at its end', () => {
    const scrubber = new SecretScrubber([ODD, ...Array.from({ length: 40 }, (_, i) => `proxy-pass-${i}-q9z`)]);
    const big = 'lorem %41 &amp; \\u0041 aGVsbG8= 509-11-455 '.repeat(25_000);
    expect(big.length).toBeGreaterThan(1_000_000);
    expect(scrubber.scrub(big)).toBe(big);
    const out = scrubber.scrub(`${big}${encodeURIComponent(ODD.toLowerCase())}`);
    expect(out.endsWith('[redacted]')).toBe(true);
    expect(out.length).toBe(big.length + '[redacted]'.length);
  });
});
