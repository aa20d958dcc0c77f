import { describe, expect, it } from 'vitest';
import { parseMethodInput } from '../../src/shared/contract.js';
import { analystLayerSchema } from '../../src/shared/schemas/analyst-layer.js';
import { MAX_SCENARIOS, ScenarioError, dealScenarioSchema, scenarioNameSchema, withScenario, type DealScenario } from '../../src/shared/schemas/deal-scenario.js';
import { combineLayers, emptyLayer } from '../../src/main/db/repositories/analyst-layer.js';
import { rentalExample } from '../support/deal-examples.js';

/**
 * The deal model's saved scenarios (issue #23): each is every input of the deal model (rehab,
 * closing costs, points, growth, the hold, selling costs as well as price, rent and loan), checked
 * in the units the what-if shows; names base / bull / bear or the analyst's own.
 */
const at = new Date('2026-12-07T12:00:00Z');
const scenario = (name: string, over: Partial<DealScenario['inputs']> = {}, when = at): DealScenario => ({ name, inputs: { ...rentalExample, ...over }, set_at: when, by: 'analyst' });

describe('the scenario schema', () => {
  it('takes every deal-model input, the new ones included', () => {
    const bull = scenario('bull', { rehabBudget: 25_000, closingCosts: 7_500, pointsRate: 0.015, rentGrowthRate: 0.05, expenseGrowthRate: 0.025, appreciationRate: 0.06, holdingYears: 7, sellingCostRate: 0.06, afterRepairValue: 260_000 });
    expect(dealScenarioSchema.parse(bull)).toEqual(bull);
    const input = parseMethodInput('properties.saveScenario', { id: 'maricopa_api:509-11-455', name: ' bull ', inputs: bull.inputs });
    expect(input).toEqual({ id: 'maricopa_api:509-11-455', name: 'bull', inputs: bull.inputs });
  });

  it.each([
    [{ downPaymentRate: 1.5 }, 'inputs.downPaymentRate: Down payment must be from 0% to 100% (got 150%)'],
    [{ sellingCostRate: 0.25 }, 'inputs.sellingCostRate: Selling costs must be from 0% to 20% (got 25%)'],
    [{ holdingYears: 7.5 }, 'inputs.holdingYears: Holding period must be from 1 year to 50 years, whole (got 7.5 years)'],
    [{ pointsRate: 0.2 }, 'inputs.pointsRate: Points must be from 0% to 10% (got 20%)'],
    [{ rehabBudget: -1 }, 'inputs.rehabBudget: Rehab budget must be from $0 to $1,000,000,000 (got -$1)'],
  ])('refuses %j in the units shown: %s', (over, message) => {
    expect(() => parseMethodInput('properties.saveScenario', { id: 'x', name: 'bear', inputs: { ...rentalExample, ...over } })).toThrow(message);
  });

  it('refuses a scenario missing an input (the old terms alone are not a scenario), or with one it does not know', () => {
    const { rentGrowthRate: _, ...missing } = rentalExample;
    expect(() => parseMethodInput('properties.saveScenario', { id: 'x', name: 'base', inputs: missing })).toThrow('inputs.rentGrowthRate: Rent growth must be a number');
    expect(() => parseMethodInput('properties.saveScenario', { id: 'x', name: 'base', inputs: { ...rentalExample, down_payment_rate: 0.2 } })).toThrow(/inputs: Unrecognized key: "down_payment_rate"/);
  });

  it.each([
    ['', 'a scenario name is 1–40 characters'],
    ['x'.repeat(41), 'a scenario name is 1–40 characters'],
    ['bull <script>', 'a scenario name holds letters'],
  ])('refuses the name %j', (name, message) => {
    expect(scenarioNameSchema.safeParse(name).error?.issues[0]?.message).toContain(message);
  });

  it('is part of the stored layer, which reads layers written before scenarios existed', () => {
    const layer = { ...emptyLayer('apn:509-11-455', ['apn:509-11-455'], at), scenarios: [scenario('base')] };
    expect(analystLayerSchema.parse(layer).scenarios).toHaveLength(1);
    const { scenarios: _, ...before } = layer;
    expect(analystLayerSchema.parse(before).scenarios).toBeUndefined();
  });
});

describe('saving a scenario in a list', () => {
  const base = scenario('base');
  const bull = scenario('bull', { rentMonthly: 2200 });
  it('adds a new name last and replaces one of the same name (case aside) in its place', () => {
    expect(withScenario([base], bull).map((s) => s.name)).toEqual(['base', 'bull']);
    const again = scenario('Base', { price: 190_000 });
    expect(withScenario([base, bull], again)).toEqual([again, bull]);
  });
  it('renames in place, and refuses a rename of none or onto a name taken', () => {
    expect(withScenario([base, bull], scenario('optimistic'), 'bull').map((s) => s.name)).toEqual(['base', 'optimistic']);
    expect(() => withScenario([base], scenario('x'), 'bear')).toThrow(new ScenarioError('no scenario named "bear" to rename'));
    expect(() => withScenario([base, bull], scenario('bull'), 'base')).toThrow('a scenario named "bull" exists already');
  });
  it(`keeps at most ${MAX_SCENARIOS}`, () => {
    const full = Array.from({ length: MAX_SCENARIOS }, (_, n) => scenario(`s${n}`));
    expect(() => withScenario(full, scenario('one more'))).toThrow(`at most ${MAX_SCENARIOS} scenarios`);
    expect(withScenario(full, scenario('s3', { price: 1 }))[3]!.inputs.price).toBe(1);
  });
});

describe('two layers of one property read as one', () => {
  it('keep every scenario once, the newest of each name', () => {
    const listingLayer = { ...emptyLayer('addr:a', ['addr:a'], new Date('2026-12-01')), scenarios: [scenario('base', {}, new Date('2026-12-01')), scenario('bull', { rentMonthly: 2100 }, new Date('2026-12-05'))] };
    const parcelLayer = { ...emptyLayer('apn:1', ['apn:1'], new Date('2026-12-02')), scenarios: [scenario('bull', { rentMonthly: 2300 }, new Date('2026-12-03')), scenario('bear', { rentMonthly: 1700 }, new Date('2026-12-03'))] };
    const one = combineLayers([parcelLayer, listingLayer]);
    expect(one.scenarios!.map((s) => [s.name, s.inputs.rentMonthly])).toEqual([['base', 2000], ['bull', 2100], ['bear', 1700]]);
  });
});
