import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { phoenixDay } from '../../src/shared/phoenix-time.js';
import type { Appraisal } from '../../src/shared/valuation/types.js';
import { loadValuationMarket } from '../../src/main/processing/market-sales.js';
import { mergeSources } from '../../src/main/processing/pipeline/merge-sources.js';
import { subjectFeatures } from '../../src/main/processing/subject-features.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { restoredCopy } from '../support/restored-copy.js';

/**
 * Comparables the analyst can steer (issue #23): a comparable excluded on the property page is
 * kept in the analyst's layer and the property is revalued by the pipeline without it, to what
 * the pure model gives without it; the exclusion survives a re-import, a reprocess and a backup
 * restored into another database; included
 * again, the value is back. Real FerretDB, the real ARMLS export of 142 closed sales.
 */
const EXPORT = path.resolve(import.meta.dirname, '../../../shared/fixtures/armls-export/closed-sales-85251-2025.csv');

let t: TestCore | undefined;
/** What else a test opened (a restored database and its core), closed after it, last first. */
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await t?.close();
  t = undefined;
});

async function importExport(core: TestCore['core']) {
  const { done } = await core.collection.startArmlsImport({ file: EXPORT }, { trigger: 'manual' });
  const run = await done;
  expect(run.status, run.message ?? '').toBe('succeeded');
}

/** The run's end, polled (the API starts it and answers at once). */
async function settled(core: TestCore['core'], runId: string) {
  for (let i = 0; i < 600; i += 1) {
    const run = await core.repos.runs.get(runId);
    if (run && run.status !== 'running') return run;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${runId} did not finish`);
}

/** What the pure model gives the property as of today, leaving out `excluded`: its records' features, the database's market. */
async function modelValue(core: TestCore['core'], id: string, excluded: string[]): Promise<Appraisal> {
  const today = phoenixDay(core.clock());
  const market = await loadValuationMarket(core.repos.raw, today);
  const { records, merged } = await mergeSources((await core.repos.raw.get(id))!, core.repos.raw);
  const features = subjectFeatures(records);
  return market.model.appraise({ ...features, zip: features.zip ?? merged.normalized.address.zip }, today, { excludedSaleIds: excluded });
}

const appraisalOf = async (core: TestCore['core'], id: string) => (await core.repos.processed.getByRawId(id))!.valuation!.appraisal!;

describe('a comparable the analyst excludes', () => {
  it('revalues the property to what the model gives without it, through a re-import and a reprocess, and included again restores the value', async () => {
    t = await openTestCore();
    const { core } = t;
    const { api } = core;
    await importExport(core);
    await core.processing.run({ trigger: 'manual', batchSize: 1000 });

    // A home valued from comparable sales whose leading comparable moves the model's value.
    const docs = await core.db.collection<{ raw_id: string; valuation?: { appraisal?: Appraisal } }>('processed_properties').find({ 'valuation.appraisal.basis': 'comparable_sales' }).toArray();
    let chosen: { id: string; saleId: string; base: Appraisal; without: Appraisal } | null = null;
    for (const doc of docs.slice(0, 40)) {
      const lead = [...doc.valuation!.appraisal!.comparables].sort((a, b) => b.weight - a.weight)[0]!;
      const without = await modelValue(core, doc.raw_id, [lead.sale_id]);
      if (without.value !== doc.valuation!.appraisal!.value) {
        chosen = { id: doc.raw_id, saleId: lead.sale_id, base: doc.valuation!.appraisal!, without };
        break;
      }
    }
    expect(chosen, 'a property whose leading comparable moves its value').not.toBeNull();
    const { id, saleId, base, without } = chosen!;
    // The pipeline's value is the pure model's.
    expect(base.value).toBe((await modelValue(core, id, [])).value);

    const excluded = await api['properties.setComparableIncluded']({ id, sale_id: saleId, included: false });
    expect(excluded.analyst.excluded_comparables?.map((c) => c.sale_id)).toEqual([saleId]);
    expect(excluded.runId).not.toBeNull();
    expect((await settled(core, excluded.runId!)).status).toBe('succeeded');

    const revalued = await appraisalOf(core, id);
    expect({ value: revalued.value, low: revalued.low, high: revalued.high, basis: revalued.basis }).toEqual({ value: without.value, low: without.low, high: without.high, basis: without.basis });
    // Still listed, marked excluded, with no weight; the others are the model's comparables without it.
    expect(revalued.comparables.filter((c) => c.sale_id === saleId)).toMatchObject([{ included: false, weight: 0 }]);
    expect(revalued.comparables.filter((c) => c.included).map((c) => c.sale_id)).toEqual(without.comparables.map((c) => c.sale_id));
    expect(revalued.evidence.join(' ')).toContain('excluded by the analyst');
    expect((await api['properties.get']({ id })).processed?.normalized.pricing.value).toBe(without.value);

    // The same export imported again and everything reprocessed: the exclusion holds.
    await importExport(core);
    await core.processing.reprocess({ status: 'all' });
    await core.processing.run({ trigger: 'manual', batchSize: 1000 });
    expect((await appraisalOf(core, id)).value).toBe(without.value);
    expect((await appraisalOf(core, id)).comparables.find((c) => c.sale_id === saleId)?.included).toBe(false);

    // Backed up and restored elsewhere, everything processed there again: the exclusion holds there too.
    const copy = (await restoredCopy(t!, closers)).core;
    await copy.processing.reprocess({ status: 'all' });
    expect((await copy.processing.run({ trigger: 'manual', batchSize: 1000 })).counters.completed).toBeGreaterThan(100);
    expect((await appraisalOf(copy, id)).value).toBe(without.value);
    expect((await copy.repos.analystLayer.find([id]))?.excluded_comparables?.map((c) => c.sale_id)).toEqual([saleId]);

    // Included again: the value and range are the model's with it.
    const included = await api['properties.setComparableIncluded']({ id, sale_id: saleId, included: true });
    expect(included.analyst.excluded_comparables).toEqual([]);
    expect((await settled(core, included.runId!)).status).toBe('succeeded');
    const restored = await appraisalOf(core, id);
    expect({ value: restored.value, low: restored.low, high: restored.high }).toEqual({ value: base.value, low: base.low, high: base.high });
    expect(restored.comparables.every((c) => c.included)).toBe(true);
  });

  it('refuses a sale that is not among the property’s comparables, saying which', async () => {
    t = await openTestCore();
    await importExport(t.core);
    await t.core.processing.run({ trigger: 'manual', batchSize: 1000 });
    const doc = (await t.core.db.collection<{ raw_id: string }>('processed_properties').findOne({}))!;
    await expect(t.core.api['properties.setComparableIncluded']({ id: doc.raw_id, sale_id: 'no-such-sale|2025-01-01|1', included: false })).rejects.toThrow(/No comparable sale "no-such-sale\|2025-01-01\|1" in the value of/);
    expect(await t.core.repos.analystLayer.find([doc.raw_id])).toBeNull();
  });
});
