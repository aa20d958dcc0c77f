import type { z } from 'zod';
import { contract, type MethodName } from '../../src/shared/contract.js';
import { call, contractError, leaks, stillAnswers, type ProbeCase } from './harness.js';

/**
 * Inputs of the wrong type for every contract method, generated from the contract itself: the
 * whole input replaced by values of other types, each top-level field given values of other
 * types, and an unknown field. Only inputs the method's own schema refuses are sent (so no case
 * starts a sync or changes a setting); `serve` must refuse each with 400 BAD_REQUEST, naming the
 * method, with nothing secret in the answer.
 */

/** Values of every JSON type, and some that look like tricks. */
const WRONG_VALUES: unknown[] = [12345, -1, 'not-a-value', '', true, null, [], {}, [1, 'a'], { $ne: null }, 'x'.repeat(10_000)];

/** The object shape under a method's input schema (through optional, default and pipe), or null. */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | null {
  let current = schema as unknown as { def: { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType> } };
  for (let depth = 0; depth < 10; depth += 1) {
    const def = current.def;
    if (def.type === 'object') return def.shape ?? null;
    const next = def.innerType ?? def.in;
    if (!next) return null;
    current = next as never;
  }
  return null;
}

/** The label of a value in a case name. */
function label(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 24 ? `${text.slice(0, 12)}… (${text.length} characters)` : text;
}

/** Refused inputs for `method`: [what, input], each one its schema refuses. */
function refusedInputs(method: MethodName): [string, unknown][] {
  const schema = contract[method].input as z.ZodType;
  const inputs: [string, unknown][] = WRONG_VALUES.slice(0, 8).map((value) => [`the input ${label(value)}`, value]);
  const shape = objectShape(schema);
  if (shape) {
    for (const key of Object.keys(shape)) {
      // Two wrong values a field: the first two of other types that its schema refuses.
      let taken = 0;
      for (const value of WRONG_VALUES) {
        if (taken === 2) break;
        if (shape[key]!.safeParse(value).success) continue;
        inputs.push([`${key} = ${label(value)}`, { [key]: value }]);
        taken += 1;
      }
    }
    inputs.push(['an unknown field', { probeUnknownField: 1 }]);
  }
  return inputs.filter(([, input]) => !schema.safeParse(input).success);
}

/** Every contract case. */
export const contractCases: ProbeCase[] = (Object.keys(contract) as MethodName[]).flatMap((method) =>
  refusedInputs(method).map(([what, input]) => ({
    group: 'contract: wrong types',
    name: `${method} with ${what}`,
    // The whole-input values beyond the first three are the same check on every method: a sample suffices for a quick run.
    slow: /^the input (true|null|\[\]|\{\}|"")/.test(what),
    async run(ctx) {
      const answer = await call(ctx, method, input);
      if (answer.status !== 400) return `status ${answer.status}, not 400: ${JSON.stringify(answer.body.slice(0, 160))}`;
      const wrong = contractError(answer, 'BAD_REQUEST');
      if (wrong) return wrong;
      const message = (JSON.parse(answer.body) as { error: { message: string } }).error.message;
      if (!message.includes(method)) return `the message does not name ${method}: ${message}`;
      if (what === 'an unknown field' && !message.includes('probeUnknownField')) return `the message does not name the unknown field: ${message}`;
      if (message.length > 4000) return `the message is ${message.length} characters long`;
      return leaks(answer.text, ctx) ?? (await stillAnswers(ctx));
    },
  })),
);
