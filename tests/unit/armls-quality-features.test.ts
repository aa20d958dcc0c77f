import { describe, expect, it } from 'vitest';
import { mapArmlsRow, parseFeatures } from '../../src/main/collectors/armls/mapping.js';
import { qualityFeatures } from '../../src/main/collectors/armls/quality-features.js';
import { armlsFixture } from '../support/armls.js';

const { header, row } = armlsFixture();
const real = (changes: Record<string, string> = {}) => mapArmlsRow({ ...Object.fromEntries(header.map((h, i) => [h, row[i]!])), ...changes }).data;

describe('ARMLS condition and quality facts', () => {
  it('reads the real condo row: kitchen and baths updated 2013, no view, laminate counters, no staffed building', () => {
    expect(real()).toMatchObject({ remodeled_year: 2013, view: false, premium_finishes: false, amenity_building: false });
  });

  it('reads the latest update year, a view, premium counters and an amenity building from the triples', () => {
    const f = parseFeatures('Items Updated|Kitchen Yr Updated|2019;Items Updated|Bath(s) Yr Updated|2023;View|Mountain(s)|Yes;Kitchen Features|Non-laminate Counter|Yes;Community Features|Concierge|Yes');
    expect(qualityFeatures(f)).toEqual({ remodeled_year: 2023, view: true, premium_finishes: true, amenity_building: true });
    // A year that is not four digits is no year; a row without Features knows nothing.
    expect(qualityFeatures(parseFeatures('Items Updated|Kitchen Yr Updated|recent')).remodeled_year).toBeNull();
    expect(qualityFeatures(new Map())).toEqual({ remodeled_year: null, view: null, premium_finishes: null, amenity_building: null });
  });

  it('keeps the listing that led to a sale: list day, first and last asking price, under-contract day', () => {
    expect(real()).toMatchObject({ list_date: '2021-01-14', original_list_price: 229_000, last_list_price: 229_000, under_contract_date: '2021-02-05', list_price: null });
    // An active listing has an asking price and no last asking price of a sale.
    expect(real({ Status: 'A', 'Sold Price': '', 'Close of Escrow Date': '' })).toMatchObject({ list_price: 229_000, last_list_price: null });
  });
});
