import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../src/shared/contract.js';
import type { DealInputs } from '../../src/shared/deal/deal-inputs.js';
import { armlsCsv, armlsFixture } from '../support/armls.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { writeCondoParcel } from '../support/fixtures.js';
import { restoredCopy } from '../support/restored-copy.js';

/**
 * Deal scenarios (issue #23): base / bull / bear saved for a property, each every input of the
 * deal model, are the analyst's: a re-import at another price, the listing's merge with its
 * parcel, a reprocess of everything and a backup restored into another database keep them as
 * saved. Real FerretDB, the real ARMLS export row of the condo 4600 N 68th St #371 and its parcel.
 */
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function core(): Promise<TestCore> {
  const t = await openTestCore();
  closers.push(() => t.close());
  return t;
}

function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-scenarios-'));
  closers.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The real export row re-listed (Active) at `listPrice` dollars, as a re-collection would bring it. */
async function importListing(t: TestCore, listPrice: number) {
  const { header, row } = armlsFixture();
  const active = row.map((v, i) => (header[i] === 'Status' ? 'A' : header[i] === 'List Price' ? `${listPrice}.00` : v));
  const file = path.join(tmpDir(), 'export.csv');
  fs.writeFileSync(file, armlsCsv(header, [active]));
  const run = await (await t.core.collection.startArmlsImport({ file }, { trigger: 'manual' })).done;
  expect(run.status, run.message ?? '').toBe('succeeded');
}

async function importParcel(t: TestCore) {
  const run = await (await t.core.collection.startAssessorImport({ path: writeCondoParcel(tmpDir()) }, { trigger: 'manual' })).done;
  expect(run.status, run.message ?? '').toBe('succeeded');
}

const listing = 'armls_export:6181273';
const parcel = 'maricopa_api:173-35-524';

/** The condo at its asking price and rent (the figures), then the analyst's bull and bear cases, every input set. */
const base: DealInputs = {
  price: 215_000, rehabBudget: 8_000, closingCosts: 6_450, afterRepairValue: 225_000, loanTermYears: 30, interestRate: 0.0675, downPaymentRate: 0.25,
  pointsRate: 0.005, rentMonthly: 1_400, vacancyRate: 0.05, managementRate: 0.08, maintenanceRate: 0.05, capexRate: 0.05, insuranceAnnual: 900,
  hoaMonthly: 320, propertyTaxAnnual: 1_290, otherExpensesMonthly: 0, rentGrowthRate: 0.03, expenseGrowthRate: 0.03, appreciationRate: 0.03,
  holdingYears: 5, sellingCostRate: 0.08,
};
const bull: DealInputs = { ...base, rentMonthly: 1_550, rentGrowthRate: 0.045, appreciationRate: 0.05, holdingYears: 7, sellingCostRate: 0.06 };
const bear: DealInputs = { ...base, rehabBudget: 15_000, rentMonthly: 1_300, vacancyRate: 0.1, rentGrowthRate: 0.01, expenseGrowthRate: 0.04, appreciationRate: -0.02, holdingYears: 3, interestRate: 0.075, pointsRate: 0.01 };

/** The scenarios as `properties.get` shows them for `id`: name and inputs, in the order saved, each the analyst's with when. */
async function scenariosOf(t: TestCore, id: string) {
  const layer = (await t.core.api['properties.get']({ id })).analyst;
  for (const s of layer?.scenarios ?? []) {
    expect(s.by).toBe('analyst');
    expect(s.set_at).toBeInstanceOf(Date);
  }
  return (layer?.scenarios ?? []).map((s) => [s.name, s.inputs]);
}

const saved = [['base', base], ['bull', bull], ['bear', bear]];

describe("a property's deal scenarios", () => {
  it('survive a re-import at a lower price, the merge with its parcel, a reprocess of everything and a backup restored elsewhere', async () => {
    const t = await core();
    const { api } = t.core;
    await importListing(t, 229_000);
    await t.core.processing.run({ trigger: 'manual' });
    // Saved as the analyst would: a first bull, then saved again under its name (it replaces), and a rename.
    await api['properties.saveScenario']({ id: listing, name: 'base', inputs: base });
    await api['properties.saveScenario']({ id: listing, name: 'bull', inputs: { ...bull, rentMonthly: 1_500 } });
    await api['properties.saveScenario']({ id: listing, name: 'downside', inputs: bear });
    await api['properties.saveScenario']({ id: listing, name: 'bull', inputs: bull });
    await api['properties.saveScenario']({ id: listing, name: 'bear', inputs: bear, rename_from: 'downside' });
    await api['properties.saveScenario']({ id: listing, name: 'spare', inputs: base });
    await api['properties.deleteScenario']({ id: listing, name: 'spare' });
    expect(await scenariosOf(t, listing)).toEqual(saved);

    await importListing(t, 199_000);
    await t.core.processing.run({ trigger: 'manual' });
    expect((await t.core.repos.processed.getByRawId(listing))?.normalized.pricing.list_price).toBe(199_000);
    expect(await scenariosOf(t, listing)).toEqual(saved);

    // Its parcel arrives: one property named by the parcel, found by either id with its scenarios.
    await importParcel(t);
    await t.core.processing.run({ trigger: 'manual' });
    expect((await t.core.repos.processed.getByRawId(listing))?._id).toBe(parcel);
    expect(await scenariosOf(t, parcel)).toEqual(saved);
    expect(await scenariosOf(t, listing)).toEqual(saved);

    await api['processing.reprocess']({ status: 'all' });
    await t.core.processing.run({ trigger: 'manual' });
    expect(await scenariosOf(t, parcel)).toEqual(saved);

    const restored = await restoredCopy(t, closers);
    await restored.core.api['processing.reprocess']({ status: 'all' });
    await restored.core.processing.run({ trigger: 'manual' });
    expect(await scenariosOf(restored, parcel)).toEqual(saved);
    expect(await scenariosOf(restored, listing)).toEqual(saved);
  });

  it('are refused for an unknown property, a rename of none and a name taken, nothing changed', async () => {
    const t = await core();
    const { api } = t.core;
    await importListing(t, 229_000);
    await api['properties.saveScenario']({ id: listing, name: 'base', inputs: base });
    await api['properties.saveScenario']({ id: listing, name: 'bull', inputs: bull });
    await expect(api['properties.saveScenario']({ id: 'armls_export:0', name: 'base', inputs: base })).rejects.toThrow(new ContractError('NOT_FOUND', 'No property with id "armls_export:0".'));
    await expect(api['properties.saveScenario']({ id: listing, name: 'bear', inputs: bear, rename_from: 'downside' })).rejects.toThrow('Scenario "bear" of armls_export:6181273: no scenario named "downside" to rename.');
    await expect(api['properties.saveScenario']({ id: listing, name: 'BULL', inputs: bear, rename_from: 'base' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await scenariosOf(t, listing)).toEqual([['base', base], ['bull', bull]]);
  });
});
