import { MaricopaSimulator } from '../support/maricopa-simulator.js';
import { OpenAiSimulator } from '../support/openai-simulator.js';
import { callApi, serveConsole, simulatorEnv, waitFor, type ServedConsole } from './console.js';

/** A served console over the assessor and LLM simulators, with 10 parcels of ZIP 85035 synced and processed; `stop` ends all three. */
export interface AssessorConsole {
  served: ServedConsole;
  stop: () => Promise<void>;
}

/** Start the simulators and a console, sync 10 parcels of 85035 from the assessor simulator and process them. */
export async function processedAssessorConsole(): Promise<AssessorConsole> {
  const assessor = await new MaricopaSimulator({ latencyMs: 5 }).start();
  const llm = await new OpenAiSimulator({ latencyMs: 0 }).start();
  const served = await serveConsole(simulatorEnv(assessor, llm));
  const stop = async () => {
    await served.stop();
    await assessor.stop();
    await llm.stop();
  };
  const { runId } = await callApi<{ runId: string }>(served, 'collect.sync', { source: 'maricopa_api', zips: ['85035'], limit: 10 });
  await waitFor(async () => (await callApi<{ status: string }>(served, 'runs.get', { runId })).status === 'succeeded', 'the seeding sync');
  const processing = await callApi<{ runId: string }>(served, 'processing.run', {});
  await waitFor(async () => (await callApi<{ status: string }>(served, 'runs.get', { runId: processing.runId })).status !== 'running', 'the processing run', 120_000);
  return { served, stop };
}
