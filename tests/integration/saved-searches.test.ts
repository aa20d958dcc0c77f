import { afterEach, describe, expect, it } from 'vitest';
import type { RawPropertyInput } from '../../src/shared/schemas/raw-property.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { manualClock } from '../support/clock.js';
import { until } from '../support/until.js';

let t: TestCore | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const listing = (mls: string, address: string, price: number): RawPropertyInput => ({
  source: 'phoenix_mls',
  source_id: mls,
  data: { mls_number: mls, address, list_price: price, bedrooms: 3, bathrooms: 2, square_feet: 1400 },
  original: { url: `https://example.test/mls/${mls}/` },
});

describe('saved searches', () => {
  it('alert on a new match and on a price drop after the save, never on what matched before', async () => {
    const clock = manualClock('2026-11-28T19:00:00Z');
    t = await openTestCore({ clock: clock.clock });
    const { api, repos } = t.core;
    const raised: number[] = [];
    t.core.events.on('alerts.raised', ({ count }) => raised.push(count));
    await repos.raw.upsertMany([listing('1001', '1 W ELM ST, PHOENIX, AZ 85031', 300_000), listing('2001', '2 W OAK ST, PHOENIX, AZ 85033', 310_000)]);

    const { search } = await api['searches.save']({ name: 'West 85031', filters: { zip: ['85031'], maxPrice: 320_000 }, alert: true });
    expect(search).toMatchObject({ name: 'West 85031', alert: true, matches: 1 });
    expect(await api['searches.check']({})).toEqual({ alerts: 0 });

    // A new listing in the ZIP, a cheaper price for the first one, one outside the search.
    await repos.raw.upsertMany([
      listing('1002', '3 W ASH ST, PHOENIX, AZ 85031', 250_000),
      listing('1001', '1 W ELM ST, PHOENIX, AZ 85031', 280_000),
      listing('2002', '4 W FIR ST, PHOENIX, AZ 85033', 200_000),
      listing('1003', '5 W YEW ST, PHOENIX, AZ 85031', 900_000),
    ]);
    expect(await api['searches.check']({})).toEqual({ alerts: 2 });
    expect(raised).toEqual([2]);
    const today = await api['searches.alerts']({});
    expect(today.unseen).toBe(2);
    expect(today.items.map((a) => [a.kind, a.property_id, a.price, a.previous_price, a.day])).toEqual(
      expect.arrayContaining([
        ['new_match', 'phoenix_mls:1002', 250_000, null, '2026-11-28'],
        ['price_drop', 'phoenix_mls:1001', 280_000, 300_000, '2026-11-28'],
      ]),
    );
    expect(today.items[0]).toMatchObject({ search_name: 'West 85031', seen: false });
    // The next check starts from these matches: nothing new.
    expect(await api['searches.check']({})).toEqual({ alerts: 0 });
    expect((await api['searches.list']({})).items).toMatchObject([{ name: 'West 85031', matches: 2 }]);

    expect(await api['searches.markSeen']({})).toEqual({ marked: 2 });
    expect((await api['searches.alerts']({})).unseen).toBe(0);
    expect((await api['searches.alerts']({ day: '2026-11-27' })).items).toEqual([]);

    // A search saved without alerts raises none.
    await api['searches.save']({ name: 'Quiet', filters: { zip: ['85033'] }, alert: false });
    await repos.raw.upsert(listing('2003', '6 W ELM ST, PHOENIX, AZ 85033', 199_000));
    expect(await api['searches.check']({})).toEqual({ alerts: 0 });

    expect(await api['searches.delete']({ id: search.id })).toEqual({ deleted: true });
    expect((await api['searches.list']({})).items.map((s) => s.name)).toEqual(['Quiet']);
    expect((await api['searches.alerts']({})).items).toEqual([]);
  });

  it('are checked when a run ends', async () => {
    t = await openTestCore();
    const { api, repos } = t.core;
    await api['searches.save']({ name: 'All 85031', filters: { zip: ['85031'] }, alert: true });
    await repos.raw.upsert(listing('1001', '1 W ELM ST, PHOENIX, AZ 85031', 300_000));
    // A processing run (nothing queued by a bare upsert is needed): its end triggers the check.
    await t.core.processing.run({ trigger: 'manual' });
    await until(async () => (await api['searches.alerts']({})).unseen === 1, 10_000, 'the alert of the new match');
  });
});
