import type { Registry } from 'prom-client';

const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/**
 * The series a PromQL expression reads: each metric name with the label names its matchers use.
 * Strings, ranges, subqueries, grouping clauses and function names are not metric names.
 */
export function seriesOf(expr: string): { name: string; labels: string[] }[] {
  const out: { name: string; labels: string[] }[] = [];
  const text = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  for (const [, name, matchers, call] of text.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?\s*(\()?/g)) {
    if (call || PROMQL_WORDS.has(name!) || /^\d/.test(name!)) continue;
    out.push({ name: name!, labels: [...(matchers ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1]!) });
  }
  return out;
}

/**
 * The metric names of a /metrics exposition (a histogram with its `_bucket`, `_sum` and `_count`),
 * each with its label names: those the registry declares and those its samples carry.
 */
export function exportedMetrics(exposition: string, registry: Registry): Map<string, Set<string>> {
  const exported = new Map<string, Set<string>>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const metric = registry.getSingleMetric(name!) as unknown as { labelNames?: string[] } | undefined;
    const labels = new Set(metric?.labelNames ?? []);
    for (const [, sampleLabels] of exposition.matchAll(new RegExp(`^${name}(?:_bucket|_sum|_count)?\\{([^}]*)\\}`, 'gm'))) {
      for (const [, l] of sampleLabels!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) labels.add(l!);
    }
    exported.set(name!, labels);
    if (type === 'histogram') {
      exported.set(`${name}_bucket`, new Set([...labels, 'le']));
      exported.set(`${name}_sum`, labels);
      exported.set(`${name}_count`, labels);
    }
  }
  return exported;
}

/** What is wrong with one query against `exported`: metrics not exported, label names they lack. */
export function queryProblems(expr: string, exported: Map<string, Set<string>>): string[] {
  const found = seriesOf(expr);
  if (found.length === 0) return [`"${expr}" reads no metric`];
  return found.flatMap(({ name, labels }) => {
    const known = exported.get(name);
    if (!known) return [`${name} is not exported`];
    return labels.filter((l) => !known.has(l)).map((l) => `${name} has no label ${l}`);
  });
}
