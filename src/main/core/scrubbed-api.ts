import { ContractError, type ContractApi, type MethodName } from '../../shared/contract.js';
import type { SecretScrubber } from '../observability/secret-scrubber.js';

/**
 * `api` with every answer scrubbed of secrets: the one place where what the shells return
 * (Electron IPC, HTTP, tests' direct calls) loses any secret, whatever stored or produced it.
 * A call that throws throws the same error with its message scrubbed (an upstream's answer
 * quoted in an error may echo a key in any spelling: `SecretScrubber`).
 */
export function scrubbedApi(scrubber: SecretScrubber, api: ContractApi): ContractApi {
  const scrubbed: Partial<Record<MethodName, (input: never) => Promise<unknown>>> = {};
  for (const method of Object.keys(api) as MethodName[]) {
    const call = api[method] as (input: never) => Promise<unknown>;
    scrubbed[method] = async (input) => {
      try {
        return scrubber.scrubDeep(await call(input));
      } catch (error) {
        throw scrubbedError(scrubber, error);
      }
    };
  }
  return scrubbed as ContractApi;
}

/** `error` with its message scrubbed: a ContractError keeps its code; any other Error is scrubbed in place. */
function scrubbedError(scrubber: SecretScrubber, error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const message = scrubber.scrub(error.message);
  if (message === error.message) return error;
  if (error instanceof ContractError) return new ContractError(error.code, message);
  error.message = message;
  if (error.stack) error.stack = scrubber.scrub(error.stack);
  return error;
}
