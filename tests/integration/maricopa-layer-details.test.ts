import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/shared/schemas/run.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { CountyLayerSimulator } from '../support/county-layer-simulator.js';
import { MaricopaSimulator } from '../support/maricopa-simulator.js';

// The assessor API's budget beside the county parcel layer (issue #22): a parcel the layer holds
// fresh is asked only for what the layer lacks, and the plan counts the calls the simulator sees.
let assessor: MaricopaSimulator;
let layer: CountyLayerSimulator;
let tc: TestCore;
const ZIP = '85035';

beforeAll(async () => {
  assessor = await new MaricopaSimulator({ seed: 11 }).start();
  layer = await new CountyLayerSimulator({ seed: 11, parcelsPerZip: { [ZIP]: 0 } }).start();
  tc = await openTestCore({
    env: {
      COUNTY_LAYER_URL: layer.layerUrl,
      MARICOPA_API_BASE_URL: assessor.baseUrl,
      MARICOPA_API_TOKEN: assessor.token,
      MARICOPA_RATE_LIMIT_PER_MINUTE: '6000',
    },
  });
});
afterAll(async () => {
  await tc?.close();
  await Promise.all([assessor?.stop(), layer?.stop()]);
});

type Payload = { ResidentialPropertyData: Record<string, string>; Valuations: Record<string, string>[] };

/** The layer's record of `apn` made to agree with the assessor's answer, as both come from the assessor's one roll. */
function agree(apn: string): void {
  layer.mutateParcel(apn, (a) => {
    const p = payloadOf(apn);
    a.LIVING_SPACE = Number(p.ResidentialPropertyData.LivableSpace);
    a.CONST_YEAR = Number(p.ResidentialPropertyData.ConstructionYear);
    a.TAX_YR_CUR = Number(p.Valuations[0]!.TaxYear);
    a.TAX_YR_PREV = Number(p.Valuations[1]!.TaxYear);
  });
}

function payloadOf(apn: string): Payload {
  let payload: Payload | undefined;
  assessor.mutateParcel(apn, (p) => (payload = p as unknown as Payload));
  return payload!;
}

async function countySync(): Promise<Run> {
  const { done } = await tc.core.collection.startCounty({ zips: [ZIP], cities: [] }, { trigger: 'manual' });
  return done;
}

/** One assessor sync of `apns`: its plan, its run, and the requests it made per endpoint. */
async function detailSync(apns: string[]): Promise<{ plan: string; run: Run; requests: Record<string, number> }> {
  assessor.requests.length = 0;
  const plans: string[] = [];
  const { done } = await tc.core.collection.startMaricopa({ zips: [], apns, queries: [], refresh: false }, { trigger: 'manual', onPlan: (p) => plans.push(p) });
  const run = await done;
  return { plan: plans[0]!, run, requests: assessor.requestsByEndpoint() };
}

/** The detail calls a plan announces. */
const announced = (plan: string) => Number(/(\d+) detail calls/.exec(plan)?.[1]);
const total = (requests: Record<string, number>) => Object.values(requests).reduce((s, n) => s + n, 0);

describe('assessor details beside the county layer (real HTTP, real database)', () => {
  it('asks the API only for what the layer lacks, skips parcels that need nothing more, and its plan counts the calls it makes', async () => {
    const apns = assessor.apnsOfZip(ZIP).slice(0, 7);
    // Six parcels in the layer; the seventh only in the API.
    for (const apn of apns.slice(0, 6)) {
      layer.addParcel(apn, ZIP);
      agree(apn);
    }
    expect((await countySync()).status).toBe('succeeded');

    // Never fetched: one /parcel call each gives both the residential details and the history.
    const first = await detailSync(apns);
    expect(first.run.status).toBe('succeeded');
    expect(first.requests).toEqual({ '/parcel': 7 });
    expect(first.plan).toMatch(/^7 parcels: 0 cached, 7 detail calls, /);

    // Fetched, and the layer fresh: nothing more for the six; the seventh comes from the cache.
    const second = await detailSync(apns);
    expect(second.requests).toEqual({});
    expect(second.plan).toMatch(/^7 parcels: 6 from the layer need nothing more, 1 cached, 0 detail calls, /);
    expect(second.run.message).toContain('6 from the layer needed nothing more');
    expect(second.run.total).toBe(1);

    // The county records an addition on A, a new tax year on B, both on C.
    const [a, b, c] = apns as [string, string, string];
    const addition = (apn: string) => {
      const r = payloadOf(apn).ResidentialPropertyData;
      r.LivableSpace = String(Number(r.LivableSpace) + 320);
      r.BathFixtures = String(Number(r.BathFixtures) + 3);
    };
    const newYear = (apn: string) => {
      const v = payloadOf(apn).Valuations;
      v.unshift({ ...v[0]!, TaxYear: '2025', FullCashValue: String(Number(v[0]!.FullCashValue) + 15_000) });
    };
    addition(a);
    newYear(b);
    addition(c);
    newYear(c);
    for (const apn of [a, b, c]) agree(apn);
    const before = await tc.core.repos.raw.get(`maricopa_api:${a}`);
    expect((await countySync()).counters).toMatchObject({ updated: 3 });

    const third = await detailSync(apns);
    expect(third.run.status).toBe('succeeded');
    expect(third.requests).toEqual({ '/parcel': 1, '/parcel/residential-details': 1, '/parcel/valuations': 1 });
    expect(third.plan).toMatch(/^7 parcels: 3 from the layer need nothing more, 1 cached, 3 detail calls \(1 \/parcel, 1 \/residential-details, 1 \/valuations\), /);
    expect(announced(third.plan)).toBe(total(third.requests));
    expect(assessor.parcelRequests().sort()).toEqual(
      [`/parcel/${c.replace(/-/g, '')}`, `/parcel/${a.replace(/-/g, '')}/residential-details`, `/parcel/${b.replace(/-/g, '')}/valuations`].sort(),
    );
    // The parts land in the assessor's record, the rest of it kept.
    const afterA = await tc.core.repos.raw.get(`maricopa_api:${a}`);
    expect(afterA?.data.square_feet).toBe(Number(before?.data.square_feet) + 320);
    expect(afterA?.data.bath_fixtures).toBe(Number(before?.data.bath_fixtures) + 3);
    expect(afterA?.data.address).toBe(before?.data.address);
    expect(afterA?.data.valuation_year).toBe(before?.data.valuation_year);
    expect((await tc.core.repos.raw.get(`maricopa_api:${b}`))?.data).toMatchObject({ valuation_year: 2025, full_cash_value: Number(payloadOf(b).Valuations[0]!.FullCashValue) });
    expect((await tc.core.repos.raw.get(`maricopa_api:${c}`))?.data).toMatchObject({ valuation_year: 2025, square_feet: Number(payloadOf(c).ResidentialPropertyData.LivableSpace) });
    expect(third.run.counters).toMatchObject({ fetched: 3, updated: 3, from_layer: 3 });

    // Now they agree again: nothing to ask.
    const fourth = await detailSync(apns);
    expect(fourth.requests).toEqual({});
    expect(fourth.plan).toMatch(/^7 parcels: 6 from the layer need nothing more, 1 cached, 0 detail calls, /);
  });

  it('fetches every parcel whole on a refresh, the layer notwithstanding, and counts it so', async () => {
    const apns = assessor.apnsOfZip(ZIP).slice(0, 7);
    assessor.requests.length = 0;
    const plans: string[] = [];
    const { done } = await tc.core.collection.startMaricopa({ zips: [], apns, queries: [], refresh: true }, { trigger: 'manual', onPlan: (p) => plans.push(p) });
    expect((await done).status).toBe('succeeded');
    expect(assessor.requestsByEndpoint()).toEqual({ '/parcel': 7 });
    expect(announced(plans[0]!)).toBe(7);
  });
});
