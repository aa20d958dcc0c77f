import { describe, expect, it } from 'vitest';
import { ContractError, METHOD_NAMES, contract, parseMethodInput } from '../../src/shared/contract.js';

describe('contract', () => {
  it('names every method', () => {
    expect(METHOD_NAMES).toEqual(['health.get', 'stats.overview', 'properties.list', 'properties.get', 'properties.report', 'properties.setTerms', 'properties.correct', 'properties.clearCorrections', 'properties.setNotes', 'properties.setTags', 'properties.setStatus', 'properties.pipeline', 'properties.saveScenario', 'properties.deleteScenario', 'properties.setComparableIncluded', 'accuracy.report', 'runs.list', 'collect.sync', 'collect.import', 'processing.run', 'processing.reprocess', 'runs.cancel', 'runs.resume', 'queue.summary', 'queue.items', 'review.resolve', 'review.approveMany', 'runs.get', 'searches.list', 'searches.save', 'searches.delete', 'searches.alerts', 'searches.markSeen', 'searches.check', 'batches.list', 'costs.summary', 'settings.get', 'settings.update', 'settings.test', 'schedule.list', 'schedule.setEnabled', 'schedule.runNow', 'sample.status', 'sample.load', 'sample.remove']);
    for (const m of METHOD_NAMES) expect(contract[m].description.length).toBeGreaterThan(10);
  });

  it('fills defaults for an omitted input', () => {
    expect(parseMethodInput('properties.list', undefined)).toEqual({
      page: 1,
      pageSize: 50,
      sort: { field: 'collected_at', direction: 'desc' },
      filters: {},
    });
    expect(parseMethodInput('runs.list', {})).toEqual({ limit: 20 });
    expect(parseMethodInput('health.get', undefined)).toEqual({});
    expect(parseMethodInput('accuracy.report', undefined)).toEqual({});
  });

  it('rejects bad input with the field and reason', () => {
    const attempt = () => parseMethodInput('properties.list', { page: 0, filters: { zip: ['850'] } });
    expect(attempt).toThrowError(ContractError);
    expect(attempt).toThrowError(/Invalid input for properties.list: page: .*>=1.*; filters.zip.0: "850" is not a 5-digit ZIP code\./);
    expect(() => parseMethodInput('health.get', { extra: true })).toThrowError(/Unrecognized key.*extra/);
    expect(() => parseMethodInput('properties.get', {})).toThrowError(/id: /);
    expect(() => parseMethodInput('accuracy.report', { zip: '8525' })).toThrowError(/zip: "8525" is not a 5-digit ZIP code\./);
    expect(() => parseMethodInput('accuracy.report', { type: 'Condo!' })).toThrowError(/type: expected a property type/);
    expect(() => parseMethodInput('review.approveMany', {})).toThrowError(/give either ids or all: true/);
    expect(() => parseMethodInput('review.approveMany', { ids: ['a'], all: true })).toThrowError(/give either ids or all: true/);
    expect(parseMethodInput('searches.save', { name: ' West ', filters: { zip: ['85031'] } })).toEqual({ name: 'West', filters: { zip: ['85031'] }, alert: true });
  });
});
