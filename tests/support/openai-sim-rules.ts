/**
 * What OpenAI's Chat Completions endpoint refuses, with the exact bodies it answers, as recorded
 * in `../shared/LLM-SERVERS.md` (§1, §2, §4; audit of 2026-11-29). Used by the simulator.
 */

export interface ApiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface Refusal {
  status: number;
  body: unknown;
}

/** How a model treats the parameters the project sends. */
export interface ModelRule {
  /** A reasoning model: the efforts it accepts and what it does with a temperature. */
  reasoning?: { efforts: string[]; temperature: 'default-only' | 'refused' };
  /** A fine-tuned model: the strict schema may not carry value constraints. */
  fineTuned: boolean;
}

/**
 * By model name: gpt-5, gpt-5-mini, gpt-5-nano, o1 and o3 accept only the default temperature;
 * o3-mini and o4-mini refuse any; gpt-5 models accept efforts minimal to high, the o-series low to
 * high (§2.2).
 */
export function modelRule(model: string): ModelRule {
  const fineTuned = model.startsWith('ft:');
  const base = model.replace(/^ft:/, '');
  if (/^gpt-5(?!-chat)(?!\.)/.test(base)) return { fineTuned, reasoning: { efforts: ['minimal', 'low', 'medium', 'high'], temperature: 'default-only' } };
  if (/^o[34]-mini/.test(base)) return { fineTuned, reasoning: { efforts: ['low', 'medium', 'high'], temperature: 'refused' } };
  if (/^o\d/.test(base)) return { fineTuned, reasoning: { efforts: ['low', 'medium', 'high'], temperature: 'default-only' } };
  return { fineTuned };
}

/**
 * Reasoning tokens a reasoning model spends on one enrichment, by effort (OpenAI's default is
 * `medium`). Measured on gpt-5-mini at medium for a task of this size: 960 to 1,408 (§2.2).
 */
export const REASONING_SPENT: Record<string, number> = { minimal: 64, low: 384, medium: 1152, high: 3072 };

const invalid = (message: string, param: string | null, code: string | null): Refusal => ({
  status: 400,
  body: { error: { message, type: 'invalid_request_error', param, code } } satisfies ApiErrorBody,
});

/** §4 item 1, 2 and 3, and `reasoning_effort` where the model does not take it. */
export function parameterRefusal(rule: ModelRule, body: { temperature?: number; max_tokens?: number; reasoning_effort?: string }): Refusal | null {
  const r = rule.reasoning;
  if (r && body.temperature !== undefined) {
    if (r.temperature === 'refused') return invalid("Unsupported parameter: 'temperature' is not supported with this model.", 'temperature', 'unsupported_parameter');
    if (body.temperature !== 1) {
      return invalid(`Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`, 'temperature', 'unsupported_value');
    }
  }
  if (r && body.max_tokens !== undefined) {
    return invalid("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'max_tokens', 'unsupported_parameter');
  }
  if (body.reasoning_effort !== undefined) {
    // Wording by analogy with the temperature refusals (not captured from a live call).
    if (!r) return invalid("Unsupported parameter: 'reasoning_effort' is not supported with this model.", 'reasoning_effort', 'unsupported_parameter');
    if (!r.efforts.includes(body.reasoning_effort)) {
      const list = r.efforts.map((e) => `'${e}'`);
      return invalid(
        `Unsupported value: 'reasoning_effort' does not support '${body.reasoning_effort}' with this model. Supported values are: ${list.slice(0, -1).join(', ')}, and ${list.at(-1)}.`,
        'reasoning_effort',
        'unsupported_value',
      );
    }
  }
  return null;
}

/** The model a name asks for does not exist (or the key may not use it). */
export function modelNotFound(model: string): Refusal {
  return { status: 404, body: { error: { message: `The model \`${model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' } } };
}

/** A 429 that waiting does not cure: the account is out of credit. */
export const INSUFFICIENT_QUOTA: Refusal = {
  status: 429,
  body: {
    error: {
      message: 'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
      type: 'insufficient_quota',
      param: null,
      code: 'insufficient_quota',
    },
  },
};

type Schema = Record<string, unknown>;

/** Refused in every strict schema (the guide's "Composition" list). */
const COMPOSITION = ['allOf', 'not', 'dependentRequired', 'dependentSchemas', 'if', 'then', 'else'];
/** Refused in a fine-tuned model's strict schema ("For fine-tuned models, we additionally do not support ..."). */
const FINE_TUNED_REFUSED = ['minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum', 'multipleOf', 'patternProperties', 'minItems', 'maxItems'];

/** Python's repr of a tuple of strings, as OpenAI's messages print the context. */
function context(path: string[]): string {
  if (path.length === 0) return '()';
  if (path.length === 1) return `('${path[0]}',)`;
  return `(${path.map((p) => `'${p}'`).join(', ')})`;
}

function nodeProblem(schema: Schema, fineTuned: boolean, path: string[]): string | null {
  for (const keyword of Object.keys(schema)) {
    if (COMPOSITION.includes(keyword) || (fineTuned && FINE_TUNED_REFUSED.includes(keyword))) return `In context=${context(path)}, '${keyword}' is not permitted.`;
  }
  const type = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (type.includes('object')) {
    if (schema.additionalProperties !== false) return `In context=${context(path)}, 'additionalProperties' is required to be supplied and to be false.`;
    const keys = Object.keys((schema.properties as Schema | undefined) ?? {});
    const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
    const missing = keys.find((k) => !required.includes(k));
    if (missing !== undefined) return `In context=${context(path)}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`;
    for (const [name, child] of Object.entries((schema.properties as Record<string, Schema> | undefined) ?? {})) {
      const problem = nodeProblem(child, fineTuned, [...path, 'properties', name]);
      if (problem) return problem;
    }
  }
  if (schema.items && typeof schema.items === 'object') {
    const problem = nodeProblem(schema.items as Schema, fineTuned, [...path, 'items']);
    if (problem) return problem;
  }
  for (const [i, child] of ((schema.anyOf as Schema[] | undefined) ?? []).entries()) {
    const problem = nodeProblem(child, fineTuned, [...path, 'anyOf', String(i)]);
    if (problem) return problem;
  }
  return null;
}

/**
 * §2.1 and §4 items 5 to 7: a strict `json_schema` response format OpenAI refuses, as its 400.
 * The root must be an object; every object needs `additionalProperties: false` and every key
 * required; composition keywords are refused, and value constraints for fine-tuned models.
 */
export function schemaRefusal(format: unknown, fineTuned: boolean): Refusal | null {
  const f = format as { type?: string; json_schema?: { name?: string; strict?: boolean; schema?: Schema } } | undefined;
  if (f?.type !== 'json_schema' || !f.json_schema) return null;
  const { name = '', strict, schema = {} } = f.json_schema;
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
    return invalid("Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.", 'response_format.json_schema.name', 'invalid_value');
  }
  if (!strict) return null;
  const refuse = (detail: string) => invalid(`Invalid schema for response_format '${name}': ${detail}`, 'response_format', null);
  if (schema.type !== 'object') return refuse(`schema must be a JSON Schema of 'type: "object"', got 'type: "${String(schema.type ?? 'None')}"'.`);
  const problem = nodeProblem(schema, fineTuned, []);
  return problem ? refuse(problem) : null;
}
