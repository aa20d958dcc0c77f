import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaricopaClient, parseRetryAfter } from '../../src/main/collectors/maricopa/client.js';
import { MaricopaAuthError, MaricopaNotFoundError, MaricopaPayloadError } from '../../src/main/collectors/maricopa/errors.js';
import { loadParcelFixtures } from '../support/fixtures.js';
import { MaricopaSimulator } from '../support/maricopa-simulator.js';
import { maxInAnyWindow } from '../support/sliding-window.js';

let sim: MaricopaSimulator;
beforeAll(async () => {
  sim = await new MaricopaSimulator({ seed: 3 }).start();
});
afterAll(async () => sim.stop());

const client = (overrides: Partial<ConstructorParameters<typeof MaricopaClient>[0]> = {}) =>
  new MaricopaClient({ baseUrl: sim.baseUrl, token: sim.token, rateLimit: { max: 6000, windowMs: 60_000 }, timeoutMs: 5000, ...overrides });

describe('MaricopaClient', () => {
  it('never exceeds the limit in any sliding window, while requests overlap', async () => {
    sim.requests.length = 0;
    sim.latencyMs = 120;
    const c = client({ rateLimit: { max: 10, windowMs: 500 } });
    const apns = sim.apnsOfZip('85031').slice(0, 30);
    let inFlight = 0;
    let mostInFlight = 0;
    await Promise.all(
      apns.map(async (apn) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await c.getParcel(apn).finally(() => (inFlight -= 1));
      }),
    );
    sim.latencyMs = 0;
    await c.stop();
    const arrivals = sim.requests.filter((r) => r.path.startsWith('/parcel/')).map((r) => r.at);
    expect(arrivals).toHaveLength(30);
    // The limiter holds its sends to 10 in any 500 ms; each reaches the simulator up to a delivery
    // delay later (an event-loop turn, a busy machine), which can bring two sends 500 ms apart
    // closer: at most 10 arrivals in any window 500 ms less that allowance (50 ms).
    expect(maxInAnyWindow(arrivals, 450)).toBeLessThanOrEqual(10);
    expect(mostInFlight).toBeGreaterThan(1);
  });

  it('does not retry the unauthorized answer, and says what to do', async () => {
    sim.requests.length = 0;
    const c = client({ token: 'not-the-token' });
    await expect(c.getParcel('509-11-455')).rejects.toThrowError(MaricopaAuthError);
    await expect(c.getParcel('509-11-455')).rejects.toThrowError(/rejected the token .*MARICOPA_API_TOKEN/);
    expect(sim.requests).toHaveLength(2);
    await expect(client({ token: undefined }).getParcel('509-11-455')).rejects.toThrowError('MARICOPA_API_TOKEN is not set: the assessor sync needs it. No request was made. In the desktop app, enter it in Settings; for phoenix-re serve or the CLI, set the environment variable MARICOPA_API_TOKEN or add MARICOPA_API_TOKEN=<value> to .env in the folder the command starts in, then start a new sync.');
    expect(sim.requests).toHaveLength(2);
  });

  it('gives up after the attempts run out, naming the endpoint and the status', async () => {
    sim.inject({ kind: '503' }, 3, /\/parcel\/50911455/);
    const c = client({ maxAttempts: 3, backoff: { baseMs: 10, maxMs: 20, jitter: 'full' } });
    await expect(c.getParcel('509-11-455')).rejects.toThrowError(/Maricopa API \/parcel\/50911455: HTTP 503/);
    await expect(c.getParcel('509-11-455')).resolves.toMatchObject({ payload: { PropertyAddress: '15947 W WINCHCOMB DR SURPRISE 85379' } });
  });

  it('retries a timed-out request, then reports a 404 as not found', async () => {
    sim.inject({ kind: 'slow', delayMs: 400 }, 1, /\/parcel\/50911600/);
    const c = client({ timeoutMs: 150, backoff: { baseMs: 10, maxMs: 20, jitter: 'full' } });
    await expect(c.getParcel('509-11-600')).resolves.toBeDefined();
    await expect(c.getParcel('999-99-999')).rejects.toThrowError(MaricopaNotFoundError);
  });

  it('refuses a 200 JSON answer that is no /parcel answer, or one naming another parcel, saying what arrived', async () => {
    sim.inject({ kind: 'other-json', body: { foo: 1 } }, 1, /\/parcel\/50911455/);
    await expect(client().getParcel('509-11-455')).rejects.toThrowError(
      new MaricopaPayloadError('/parcel/50911455', 'not a /parcel answer: missing PropertyAddress, Owner, Valuations', '{"foo":1}'),
    );
    // The real answer of parcel 501-79-632 served for 509-11-455.
    sim.inject({ kind: 'other-json', body: loadParcelFixtures().get('501-79-632') }, 1, /\/parcel\/50911455/);
    await expect(client().getParcel('509-11-455')).rejects.toThrowError(/^Maricopa API \/parcel\/50911455: the answer is for parcel 501-79-632, not 509-11-455; received: /);
    await expect(client().getParcel('509-11-455')).resolves.toMatchObject({ payload: { PropertyAddress: '15947 W WINCHCOMB DR SURPRISE 85379' } });
  });

  it('rejects a search answer of unknown shape with what it found', async () => {
    sim.inject({ kind: 'not-json' }, 1, /\/search\//);
    await expect(client().searchProperties('85031', 1)).rejects.toThrowError(/search\/property\/\?q=85031&page=1: body is not JSON; received: "<html>maintenance<\/html>"/);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
