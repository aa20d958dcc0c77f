import { z } from 'zod';
import { dealInputsSchema } from '../deal/deal-inputs.js';
import { dateSchema } from './common.js';

/** The names a property's scenarios start from (issue #23): the expected case, an upside and a downside. */
export const STANDARD_SCENARIO_NAMES = ['base', 'bull', 'bear'] as const;

/** At most this many scenarios a property (base, bull, bear and a few of the analyst's own). */
export const MAX_SCENARIOS = 12;

/** A scenario's name: 1–40 characters, trimmed, letters, digits, spaces and - _ / & # ( ) + . only. */
export const scenarioNameSchema = z
  .string({ error: 'a scenario name is text' })
  .trim()
  .min(1, 'a scenario name is 1–40 characters')
  .max(40, 'a scenario name is 1–40 characters')
  .regex(/^[\p{L}\p{N} _\-/&#()+.]+$/u, 'a scenario name holds letters, digits, spaces and - _ / & # ( ) + . only');

/**
 * One named set of the deal model's inputs (`DealInputs`: every input, in the model's units,
 * dollars and fractions, each checked against `DEAL_FIELDS` with its message in the units the
 * what-if shows, "Down payment must be from 0% to 100% (got 150%)"), as the analyst saved it
 * for a property, and when.
 */
export const dealScenarioSchema = z.object({
  name: scenarioNameSchema,
  inputs: dealInputsSchema,
  set_at: dateSchema,
  by: z.literal('analyst'),
});
export type DealScenario = z.infer<typeof dealScenarioSchema>;

/**
 * What `properties.saveScenario` takes: the property, the scenario's name and its full inputs;
 * `rename_from`: the name it was saved under before (a rename keeps its place in the order).
 */
export const saveScenarioInputSchema = z.strictObject({
  id: z.string().min(1).max(200),
  name: scenarioNameSchema,
  inputs: dealInputsSchema,
  rename_from: scenarioNameSchema.optional(),
});
export type SaveScenarioInput = z.infer<typeof saveScenarioInputSchema>;

/**
 * `scenarios` with `scenario` saved in it: in place of the one named `renameFrom` (or the one of
 * its own name) when there is one, else added last. Names are compared without regard to case
 * ("Bull" replaces "bull"). Pure.
 * Errors: `ScenarioError` when `renameFrom` names no scenario, when renaming onto another
 * scenario's name, or when a new scenario would pass `MAX_SCENARIOS`.
 */
export function withScenario(scenarios: readonly DealScenario[], scenario: DealScenario, renameFrom?: string): DealScenario[] {
  const same = (a: string, b: string) => a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');
  const target = renameFrom ?? scenario.name;
  const at = scenarios.findIndex((s) => same(s.name, target));
  if (renameFrom !== undefined && at < 0) throw new ScenarioError(`no scenario named "${renameFrom}" to rename`);
  if (renameFrom !== undefined && !same(renameFrom, scenario.name) && scenarios.some((s) => same(s.name, scenario.name))) {
    throw new ScenarioError(`a scenario named "${scenario.name}" exists already: delete it or choose another name`);
  }
  if (at >= 0) return scenarios.map((s, i) => (i === at ? scenario : s));
  if (scenarios.length >= MAX_SCENARIOS) throw new ScenarioError(`at most ${MAX_SCENARIOS} scenarios a property: delete one first`);
  return [...scenarios, scenario];
}

/** A scenario change refused for what it would do to the property's list (a rename of none, a duplicate name, too many). */
export class ScenarioError extends Error {}
