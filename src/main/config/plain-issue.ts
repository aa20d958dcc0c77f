import type { z } from 'zod';

const NOUNS: Record<string, string> = { number: 'a number', int: 'a whole number', string: 'text', boolean: 'true or false', array: 'a list', object: 'a JSON object' };

/**
 * A validation issue in plain words for the analyst ("must be at least 0", "must be a whole
 * number") instead of the validator's own text ("Too small: expected number to be >=0").
 * Messages written for a rule (a custom or a format message, such as "each ZIP code must be 5
 * digits") are kept as they are.
 */
export function plainIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small': {
      const n = Number(issue.minimum);
      if (issue.origin === 'string') return n <= 1 ? 'must not be empty' : `must be at least ${n} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return n <= 1 ? 'must not be empty' : `must have at least ${n} items`;
      return issue.inclusive ? `must be at least ${n}` : `must be more than ${n}`;
    }
    case 'too_big': {
      const n = Number(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${n} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at most ${n} items`;
      return issue.inclusive ? `must be at most ${n}` : `must be less than ${n}`;
    }
    case 'invalid_type':
      if (issue.expected === 'int') return 'must be a whole number';
      return `must be ${NOUNS[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `has unknown fields: ${issue.keys.join(', ')}`;
    case 'invalid_format':
      // zod's own wording starts "Invalid"; a rule's own message is kept.
      if (!issue.message.startsWith('Invalid')) return issue.message;
      return issue.format === 'url' ? 'must be a URL such as https://example.com' : `must be ${issue.format === 'regex' ? 'in the expected format' : `a valid ${issue.format}`}`;
    default:
      return issue.message;
  }
}
