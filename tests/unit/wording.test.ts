import { describe, expect, it } from 'vitest';
import { alertGroupText, groupAlerts } from '../../src/shared/alert-groups.js';
import type { SearchAlert } from '../../src/shared/contract.js';
import { perSqft } from '../../src/shared/money-format.js';
import { counted } from '../../src/shared/plural.js';
import { SETTING_DEFS } from '../../src/shared/settings.js';
import { fractionInputToPercent, percentToFractionInput, settingsByTopic } from '../../src/shared/settings-topics.js';

describe('counted: English plural rules (Intl.PluralRules), issue #23 "1 bedrooms"', () => {
  it.each([
    [1, 'bedroom', undefined, '1 bedroom'],
    [3, 'bedroom', undefined, '3 bedrooms'],
    [0, 'row', undefined, '0 rows'],
    [1.5, 'bathroom', undefined, '1.5 bathrooms'],
    [2.5, 'bathroom', undefined, '2.5 bathrooms'],
    [1, 'new match', 'new matches', '1 new match'],
    [400, 'new match', 'new matches', '400 new matches'],
    [1, 'sample property', 'sample properties', '1 sample property'],
  ])('%d %s', (n, one, many, text) => {
    expect(counted(n, one, many)).toBe(text);
  });

  it('writes the number with the given format', () => {
    expect(counted(1234, 'record', 'records', (n) => n.toLocaleString('en-US'))).toBe('1,234 records');
  });
});

describe('perSqft: dollars per sq ft to the cent with the unit (issue #23 "$205.4")', () => {
  it.each([
    [205.4, '$205.40/sq ft'],
    [1205, '$1,205.00/sq ft'],
    [198.25, '$198.25/sq ft'],
  ])('%d', (n, text) => expect(perSqft(n)).toBe(text));
});

describe('groupAlerts: one line per saved search and kind (issue #23: 400 alerts one by one)', () => {
  const alert = (i: number, search: string, kind: SearchAlert['kind'], seen = false): SearchAlert => ({
    id: `a${i}`,
    search_id: search,
    search_name: `Search ${search}`,
    property_id: `p${i}`,
    address: null,
    kind,
    price: 300_000,
    previous_price: kind === 'price_drop' ? 310_000 : null,
    at: new Date(Date.UTC(2026, 11, 7, 12, 0, 60 - i)),
    day: '2026-12-07',
    seen,
  });

  it('groups by search and kind in the order of their newest alert, counting the unseen', () => {
    const items = [
      alert(0, 'b', 'price_drop'),
      ...Array.from({ length: 398 }, (_, i) => alert(i + 1, 'a', 'new_match', i % 2 === 0)),
      alert(399, 'b', 'new_match', true),
    ];
    const groups = groupAlerts(items);
    expect(groups.map((g) => ({ key: g.key, n: g.alerts.length, unseen: g.unseen, text: alertGroupText(g) }))).toEqual([
      { key: 'b|price_drop', n: 1, unseen: 1, text: '1 price drop' },
      { key: 'a|new_match', n: 398, unseen: 199, text: '398 new matches' },
      { key: 'b|new_match', n: 1, unseen: 0, text: '1 new match' },
    ]);
    expect(groups[1]!.latest).toEqual(items[1]!.at);
    expect(groups.flatMap((g) => g.alerts)).toHaveLength(400);
  });
});

describe('Settings topics and percent rates (issue #23: 66 names in a flat list, rates as fractions)', () => {
  it('puts every setting in a named topic, once', () => {
    const envs = Object.values(SETTING_DEFS).map((d) => d.env);
    const grouped = settingsByTopic(envs.map((env) => ({ env })));
    expect(grouped.map((g) => g.topic.id)).not.toContain('other');
    expect(grouped.flatMap((g) => g.items.map((i) => i.env)).sort()).toEqual([...envs].sort());
  });

  it.each([
    ['0.07', '7'],
    ['0.006', '0.6'],
    ['0.065', '6.5'],
    ['', ''],
  ])('shows the fraction %s as %s percent', (fraction, percent) => expect(fractionInputToPercent(fraction)).toBe(percent));

  it.each([
    ['interestRate', '6.5', { input: '0.065' }],
    ['interestRate', '7 %', { input: '0.07' }],
    ['downPaymentRate', '150', { error: 'must be at most 100%' }],
    ['vacancyRate', '-3', { error: 'must be at least 0%' }],
    ['vacancyRate', 'seven', { error: 'must be a number, in percent (7 for 7%)' }],
  ] as const)('%s typed as %s', (key, typed, result) => expect(percentToFractionInput(key, typed)).toEqual(result));
});
