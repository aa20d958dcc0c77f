import type { ContractApi, MethodName } from '../../shared/contract.js';
import type { SecretScrubber } from '../observability/secret-scrubber.js';

/**
 * `api` with every answer scrubbed of secrets: the one place where what the shells return
 * (Electron IPC, HTTP, tests' direct calls) loses any secret, whatever stored or produced it.
 */
export function scrubbedApi(scrubber: SecretScrubber, api: ContractApi): ContractApi {
  const scrubbed: Partial<Record<MethodName, (input: never) => Promise<unknown>>> = {};
  for (const method of Object.keys(api) as MethodName[]) {
    const call = api[method] as (input: never) => Promise<unknown>;
    scrubbed[method] = async (input) => scrubber.scrubDeep(await call(input));
  }
  return scrubbed as ContractApi;
}
