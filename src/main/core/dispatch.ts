import { randomUUID } from 'node:crypto';
import {
  ContractError,
  contract,
  describeZodError,
  isMethodName,
  parseMethodInput,
  type ContractApi,
  type ErrorCode,
  type MethodName,
} from '../../shared/contract.js';
import type { Logger } from '../observability/logger.js';

/** Keys that reach an object's prototype when assigned; no contract input has them. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Where `value` holds an own key that could reach a prototype (`values.__proto__`), or null.
 * Zod would drop such a key silently from a record and the call would report success.
 */
export function unsafeKeyPath(value: unknown, at = '', depth = 0): string | null {
  if (value === null || typeof value !== 'object' || depth > 20) return null;
  for (const key of Object.keys(value)) {
    const here = at ? `${at}.${key}` : key;
    if (UNSAFE_KEYS.has(key)) return here;
    const inner = unsafeKeyPath((value as Record<string, unknown>)[key], here, depth + 1);
    if (inner) return inner;
  }
  return null;
}

export type DispatchResult = { ok: true; value: unknown } | { ok: false; error: { code: ErrorCode; message: string } };

/**
 * One contract call as every shell makes it: the method must exist, the input must pass its
 * schema, the output must pass its schema, and errors come back as `{code, message}`. An
 * unexpected error is logged with an id and reported by that id only, never with its details.
 */
export async function dispatch(api: ContractApi, method: string, input: unknown, logger: Logger): Promise<DispatchResult> {
  try {
    if (!isMethodName(method)) throw new ContractError('NOT_FOUND', `Unknown method "${method}".`);
    const unsafe = unsafeKeyPath(input);
    if (unsafe) throw new ContractError('BAD_REQUEST', `Invalid input for ${method}: ${unsafe}: the key is not allowed.`);
    const parsed = parseMethodInput(method, input);
    const value = await (api[method] as (i: unknown) => Promise<unknown>)(parsed);
    const out = contract[method as MethodName].output.safeParse(value);
    if (!out.success) throw new Error(describeZodError(out.error, `Output of ${method} broke the contract`));
    return { ok: true, value: out.data };
  } catch (error) {
    if (error instanceof ContractError) return { ok: false, error: { code: error.code, message: error.message } };
    const id = randomUUID().slice(0, 8);
    logger.error({ err: error, method, errorId: id }, 'contract call failed');
    return { ok: false, error: { code: 'INTERNAL', message: `Internal error in ${method} (log id ${id}).` } };
  }
}
