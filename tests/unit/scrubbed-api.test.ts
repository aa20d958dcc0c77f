import { describe, expect, it } from 'vitest';
import { scrubbedApi } from '../../src/main/core/scrubbed-api.js';
import { SecretScrubber } from '../../src/main/observability/secret-scrubber.js';
import { ContractError, type ContractApi } from '../../src/shared/contract.js';

const TOKEN = 'Tk9/aPx+31=zQ';

describe('scrubbedApi', () => {
  it("scrubs a thrown error's message, in the spellings an upstream echoes, and keeps a ContractError's code", async () => {
    const scrubber = new SecretScrubber([TOKEN]);
    const spellings = [encodeURIComponent(TOKEN), TOKEN.toLowerCase(), TOKEN.replace('+', '&#43;'), Buffer.from(`user:${TOKEN}`).toString('base64')];
    for (const spelling of spellings) {
      const api = scrubbedApi(scrubber, {
        'health.get': async () => {
          throw new ContractError('UNAVAILABLE', `assessor answered 401 for token=${spelling} (echoed)`);
        },
      } as unknown as ContractApi);
      const error = await api['health.get'](undefined as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ContractError);
      expect((error as ContractError).code).toBe('UNAVAILABLE');
      expect((error as Error).message, spelling).not.toContain(spelling);
      expect((error as Error).message).toContain('assessor answered 401');
    }
  });

  it('passes an error without a secret through unchanged', async () => {
    const plain = new ContractError('BAD_REQUEST', 'limit must be at most 500');
    const api = scrubbedApi(new SecretScrubber([TOKEN]), { 'health.get': async () => Promise.reject(plain) } as unknown as ContractApi);
    await expect(api['health.get'](undefined as never)).rejects.toBe(plain);
  });
});
