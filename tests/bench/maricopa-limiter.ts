import { MaricopaClient } from '../../src/main/collectors/maricopa/client.js';
import { MaricopaSimulator } from '../support/maricopa-simulator.js';
import { maxInAnyWindow } from '../support/sliding-window.js';

/**
 * The assessor client's rate limit against the simulator, with the window scaled down so the
 * run takes seconds: achieved rate ÷ allowed rate (goal ≥ 0.97) and the most requests the
 * server saw in any sliding window ÷ the limit (must be ≤ 1.00).
 */
export async function benchMaricopaLimiter(): Promise<void> {
  const max = 120;
  const windowMs = 5_000;
  const requests = 3 * max;
  const sim = await new MaricopaSimulator({ seed: 11, latencyMs: 40 }).start();
  const client = new MaricopaClient({ baseUrl: sim.baseUrl, token: sim.token, rateLimit: { max, windowMs }, timeoutMs: 10_000 });
  try {
    const apns = ['85031', '85033', '85035', '85037', '85039', '85041', '85043'].flatMap((zip) => sim.apnsOfZip(zip)).slice(0, requests);
    if (apns.length < requests) throw new Error('not enough simulated parcels');
    await Promise.all(apns.map((apn) => client.getParcel(apn)));
    const arrivals = sim.requests.filter((r) => r.path.startsWith('/parcel/')).map((r) => r.at).sort((a, b) => a - b);
    const span = arrivals.at(-1)! - arrivals[0]!;
    const allowed = max / windowMs;
    console.log(`assessor rate limit (${max} per ${windowMs / 1000} s, ${requests} requests, 40 ms latency):`);
    console.log(`  achieved ÷ allowed rate   : ${((arrivals.length - 1) / span / allowed).toFixed(3)} (goal ≥ 0.97)`);
    console.log(`  most in any window ÷ limit: ${(maxInAnyWindow(arrivals, windowMs) / max).toFixed(3)} (must be ≤ 1.00)`);
  } finally {
    await client.stop();
    await sim.stop();
  }
}
