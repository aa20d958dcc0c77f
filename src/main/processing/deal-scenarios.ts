import { ContractError } from '../../shared/contract.js';
import type { DealInputs } from '../../shared/deal/deal-inputs.js';
import type { AnalystLayer } from '../../shared/schemas/analyst-layer.js';
import { ScenarioError } from '../../shared/schemas/deal-scenario.js';
import type { Repositories } from '../db/repositories/index.js';
import type { Clock } from '../runtime/clock.js';
import { propertyKeysOrThrow } from './analyst-work.js';

/** What saving a scenario needs: the repositories and the clock. */
export interface ScenarioDeps {
  repos: Pick<Repositories, 'raw' | 'processed' | 'analystLayer'>;
  clock: Clock;
}

/**
 * Save a deal scenario of a property (issue #23) in its analyst layer: every input of the deal
 * model, kept across re-collection, merges, reprocessing and restore (processing never writes
 * the layer's scenarios). Nothing is recomputed: the renderer computes each scenario's figures
 * with the shared deal module.
 * Errors: ContractError NOT_FOUND for an unknown id; CONFLICT for a rename of no scenario, a
 * name taken, or one scenario too many (`withScenario`).
 */
export async function saveScenario(deps: ScenarioDeps, id: string, scenario: { name: string; inputs: DealInputs; rename_from?: string }): Promise<AnalystLayer> {
  const keys = await propertyKeysOrThrow(deps.repos, id);
  try {
    return await deps.repos.analystLayer.saveScenario(keys, scenario.name, scenario.inputs, deps.clock(), scenario.rename_from);
  } catch (error) {
    if (error instanceof ScenarioError) throw new ContractError('CONFLICT', `Scenario "${scenario.name}" of ${id}: ${error.message}.`);
    throw error;
  }
}

/** Delete a property's scenario by name. Errors: ContractError NOT_FOUND for an unknown id. */
export async function deleteScenario(deps: ScenarioDeps, id: string, name: string): Promise<AnalystLayer> {
  return deps.repos.analystLayer.deleteScenario(await propertyKeysOrThrow(deps.repos, id), name, deps.clock());
}
