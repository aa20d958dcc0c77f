import { money } from '../../shared/money-format.js';

/**
 * Props for the Y axis of a cost chart with a budget line: the axis always reaches the budget
 * (10% above it, or above the highest bar or point), so the line stays in view however little
 * or much was spent; ticks in dollars, with cents below $1. Pair with
 * `<ReferenceLine ifOverflow="extendDomain" …>`.
 */
export function budgetAxis(budgetUsd: number) {
  return {
    domain: [0, (dataMax: number) => Math.max(dataMax, budgetUsd * 1.1)] as [number, (dataMax: number) => number],
    tickFormatter: (v: number) => money(v),
    width: 76,
  };
}
