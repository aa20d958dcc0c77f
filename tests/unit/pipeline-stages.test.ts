import { describe, expect, it } from 'vitest';
import { mapParcel } from '../../src/main/collectors/maricopa/mapping.js';
import { parcelPayloadSchema } from '../../src/main/collectors/maricopa/payload.js';
import { contentHash } from '../../src/main/db/content-hash.js';
import { financialSettings } from '../../src/main/processing/financials.js';
import { enrichmentInputOf } from '../../src/main/processing/pipeline/enrichment-input.js';
import { marketSalesOf, valuationMarketOf } from '../../src/main/processing/market-sales.js';
import { mergeRecords } from '../../src/main/processing/pipeline/merge-sources.js';
import { processedDocument, type ProcessedDocumentParts } from '../../src/main/processing/pipeline/processed-document.js';
import { qualityFactsOf } from '../../src/main/processing/pipeline/quality-facts.js';
import { reusableEnrichment } from '../../src/main/processing/pipeline/reused-enrichment.js';
import { valueAndUnderwrite } from '../../src/main/processing/pipeline/value-and-underwrite.js';
import { validate } from '../../src/main/processing/validate.js';
import type { ValuationRecord } from '../../src/main/processing/valuation-facts.js';
import { settingsSchema } from '../../src/shared/settings.js';
import { loadParcelFixtures } from '../support/fixtures.js';
import { mlsListing } from '../support/seed.js';

const TODAY = '2026-11-29';
const NOW = new Date('2026-11-29T18:00:00Z');
const settings = financialSettings(settingsSchema.parse({}));
const collected_at = new Date('2026-11-20T12:00:00Z');
/** A market with no sales: the value falls back to the full cash value. */
const EMPTY_MARKET = valuationMarketOf([], TODAY);

/** The real parcel 509-11-455 (15947 W Winchcomb Dr, Surprise) as the assessor sync stores it. */
function parcel(): ValuationRecord {
  const raw = mapParcel('509-11-455', parcelPayloadSchema.parse(loadParcelFixtures().get('509-11-455')));
  return { _id: 'maricopa_api:509-11-455', source: raw.source, data: raw.data, collected_at };
}

/** An active MLS listing of the same home, its living area 1,900 sq ft against the assessor's 1,647. */
function listing(): ValuationRecord {
  const input = mlsListing('9990001', { address: '15947 W Winchcomb Dr, Surprise, AZ 85379', bathrooms: 2.5, square_feet: 1900, lot_size: 5830, year_built: 2003, list_price: 360_000 });
  return { _id: 'phoenix_mls:9990001', source: input.source, data: input.data, collected_at };
}

describe('mergeSources: normalise and merge', () => {
  it('names the property by the assessor record, whichever record comes first, and merges each field from its preferred source', () => {
    const a = mergeRecords([listing(), parcel()]);
    const b = mergeRecords([parcel(), listing()]);
    expect(a).toEqual(b);
    expect(a.merged.property_id).toBe('maricopa_api:509-11-455');
    expect(a.merged.raw_ids).toEqual(['maricopa_api:509-11-455', 'phoenix_mls:9990001']);
    expect(a.records.map((r) => r._id)).toEqual(['maricopa_api:509-11-455', 'phoenix_mls:9990001']);
    // Bedrooms only the listing publishes; living area the assessor's; bathrooms the listing's (stated, not estimated).
    expect(a.merged.normalized.details).toMatchObject({ bedrooms: 3, bathrooms: 2.5, square_feet: 1647 });
    expect(a.merged.normalized.details.bathrooms_estimated).toBeUndefined();
    expect(a.merged.field_sources.details).toMatchObject({ bedrooms: 'phoenix_mls', bathrooms: 'phoenix_mls', square_feet: 'maricopa_api' });
  });

  it('keeps a property of one record as that record normalised', () => {
    const { merged, records } = mergeRecords([parcel()]);
    expect(merged.property_id).toBe('maricopa_api:509-11-455');
    expect(merged.raw_ids).toEqual(['maricopa_api:509-11-455']);
    expect(records).toHaveLength(1);
    expect(merged.normalized.details).toMatchObject({ bedrooms: null, bathrooms: 2.5, bathrooms_estimated: true });
  });
});

describe('valueAndUnderwrite', () => {
  it('values the merged property by the model (never its asking price) and underwrites at the asking price', () => {
    const sources = mergeRecords([parcel(), listing()]);
    const { financials, facts } = valueAndUnderwrite({ _id: 'phoenix_mls:9990001' }, sources, EMPTY_MARKET, TODAY, settings, null);
    // No sales in the market: the assessor's full cash value, unadjusted and said so.
    expect(financials.valuation.value).toMatchObject({ value: 345_000, basis: 'assessor_full_cash_value' });
    expect(sources.merged.normalized.pricing).toMatchObject({ value: 345_000, value_basis: 'assessor_full_cash_value', price_per_sqft: Math.round((345_000 / 1647) * 100) / 100 });
    expect(financials.underwriting.inputs).toMatchObject({ price: 360_000, price_basis: 'asking_price', value: 345_000 });
    // The assessor's 2015 sale, pooled from the records.
    expect(facts.sales).toEqual([{ date: '2015-02-01', price: 153_000, source: 'maricopa_api' }]);
  });

  it("applies the analyst's saved terms over the underwriting, not the value", () => {
    const plain = valueAndUnderwrite({ _id: 'phoenix_mls:9990001' }, mergeRecords([parcel(), listing()]), EMPTY_MARKET, TODAY, settings, null).financials;
    const { financials } = valueAndUnderwrite({ _id: 'phoenix_mls:9990001' }, mergeRecords([parcel(), listing()]), EMPTY_MARKET, TODAY, settings, { price: 300_000, rent_monthly: 2_400 });
    expect(financials.valuation).toEqual(plain.valuation);
    expect(financials.underwriting.inputs).toMatchObject({ price: 300_000, price_basis: 'what_if', rent: { monthly: 2_400, basis: 'what_if' } });
    // A lower price alone, the rent as estimated: a higher cap rate.
    const cheaper = valueAndUnderwrite({ _id: 'phoenix_mls:9990001' }, mergeRecords([parcel(), listing()]), EMPTY_MARKET, TODAY, settings, { price: 300_000 }).financials;
    expect(cheaper.underwriting.result.cap_rate).toBeGreaterThan(plain.underwriting.result.cap_rate!);
  });
});

describe('qualityFactsOf', () => {
  it('reads the sources, the estimate of the bathrooms shown, coordinates, sales and disagreements', () => {
    const merged = mergeRecords([parcel(), listing()]);
    const both = qualityFactsOf(merged, valueAndUnderwrite({ _id: 'maricopa_api:509-11-455' }, merged, EMPTY_MARKET, TODAY, settings, null).facts);
    expect(both).toMatchObject({ sources: ['maricopa_api', 'phoenix_mls'], bathrooms_estimated: false, has_coordinates: false, sales_on_record: 1 });
    expect(both.disagreements).toHaveLength(1);
    expect(both.disagreements![0]).toMatch(/1,?647.*1,?900|1,?900.*1,?647/);

    const alone = mergeRecords([parcel()]);
    const assessor = qualityFactsOf(alone, valueAndUnderwrite({ _id: 'maricopa_api:509-11-455' }, alone, EMPTY_MARKET, TODAY, settings, null).facts);
    expect(assessor).toEqual({ sources: ['maricopa_api'], bathrooms_estimated: true, has_coordinates: false, sales_on_record: 1, disagreements: [] });
  });
});

describe('enrichmentInputOf', () => {
  it("gives the processed record's facts and listing text, and the merged bathroom flag", () => {
    const sources = mergeRecords([parcel(), listing()]);
    const { financials } = valueAndUnderwrite({ _id: 'phoenix_mls:9990001' }, sources, EMPTY_MARKET, TODAY, settings, null);
    const fromListing = enrichmentInputOf(listing(), sources, financials);
    expect(fromListing).toMatchObject({ normalized: sources.merged.normalized, financials, facts: ['Private pool', '2-car garage'], listingText: 'Charming block home with a sparkling pool and mature citrus trees.' });
    // The assessor's record of the same property: its own facts, no text, and its bathrooms not called estimated (the listing states them).
    const fromParcel = enrichmentInputOf(parcel(), sources, financials);
    expect(fromParcel.facts).toEqual(['2-car garage', 'Refrigerated air', 'Concrete Tile roof']);
    expect(fromParcel.listingText).toBeNull();
    const alone = mergeRecords([parcel()]);
    const own = valueAndUnderwrite({ _id: 'maricopa_api:509-11-455' }, alone, EMPTY_MARKET, TODAY, settings, null).financials;
    expect(enrichmentInputOf(parcel(), alone, own).facts).toContain('bathrooms estimated');
  });
});

describe('processedDocument and reusableEnrichment', () => {
  function parts(overrides: ProcessedDocumentParts['overrides'], cached: boolean): ProcessedDocumentParts {
    const sources = mergeRecords([parcel(), listing()]);
    const { financials, facts } = valueAndUnderwrite({ _id: 'phoenix_mls:9990001' }, sources, EMPTY_MARKET, TODAY, settings, overrides);
    const qualityFacts = qualityFactsOf(sources, facts);
    const prose = { description: 'Single-family home at 15947 W Winchcomb Dr with 3 bedrooms and 2.5 bathrooms on a 5,830 sq ft lot, built in 2003.', key_features: ['Private pool'], investment_summary: 'A listing priced at the value.' };
    const validation = validate({ normalized: sources.merged.normalized, field_sources: sources.merged.field_sources, ...financials, facts: qualityFacts, prose }, NOW);
    const inputHash = contentHash(enrichmentInputOf(listing(), sources, financials));
    return {
      merged: sources.merged,
      financials,
      overrides,
      prose,
      validation,
      qualityFacts,
      enrichment: { model: 'gpt-5-mini', promptVersion: 'v7', tokens: cached ? 0 : 1_234, costUsd: cached ? 0 : 0.0021, cached, inputHash, enrichedAt: NOW },
      processedAt: NOW,
      processingTimeMs: 42,
    };
  }

  it('builds the seed document: the figures beside the prose, the score, the sources and how the prose was made', () => {
    const p = parts(null, false);
    const doc = processedDocument(p);
    const u = p.financials.underwriting;
    expect(doc).toMatchObject({ raw_id: 'maricopa_api:509-11-455', raw_ids: ['maricopa_api:509-11-455', 'phoenix_mls:9990001'], processed_at: NOW, normalized: p.merged.normalized });
    expect(doc.llm_enrichment).toEqual({
      ...p.prose,
      investment_analysis: {
        rental_estimate: u.inputs.rent.monthly,
        cap_rate: u.result.cap_rate,
        market_trend: 'insufficient_data',
        recommendation: u.result.recommendation,
        net_operating_income: u.result.net_operating_income,
        recommendation_reason: u.result.reasons.join('; '),
      },
    });
    expect(u.inputs.rent.monthly).toBeGreaterThan(0);
    expect(doc).toMatchObject({ quality_score: p.validation.score, quality_reasons: p.validation.reasons, quality_notes: p.validation.notes, quality_facts: p.qualityFacts });
    expect(doc.quality_reasons.join(' | ')).toMatch(/disagree|1,?900/);
    expect(doc).not.toHaveProperty('underwriting_overrides');
    expect(doc.processing_metadata).toEqual({ llm_model: 'gpt-5-mini', tokens_used: 1_234, processing_time_ms: 42, prompt_version: 'v7', cost_usd: 0.0021, input_hash: p.enrichment.inputHash, enriched_at: NOW });
  });

  it("keeps the analyst's terms on the document and marks a reused enrichment", () => {
    const doc = processedDocument(parts({ price: 300_000 }, true));
    expect(doc.underwriting_overrides).toEqual({ price: 300_000 });
    expect(doc.underwriting?.inputs.price).toBe(300_000);
    expect(doc.processing_metadata).toMatchObject({ enrichment_cached: true, tokens_used: 0, cost_usd: 0 });
  });

  it('reuses the stored prose for the same input, model and prompt within 90 days, never otherwise', () => {
    const p = parts(null, false);
    const stored = { _id: p.merged.property_id, ...processedDocument(p) };
    const provider = { model: 'gpt-5-mini', promptVersion: 'v7' };
    const day = 86_400_000;
    expect(reusableEnrichment(stored, provider, p.enrichment.inputHash, new Date(NOW.getTime() + 90 * day))).toEqual({ output: p.prose, enrichedAt: NOW });
    expect(reusableEnrichment(stored, provider, p.enrichment.inputHash, new Date(NOW.getTime() + 91 * day))).toBeNull();
    expect(reusableEnrichment(stored, provider, contentHash({ other: true }), NOW)).toBeNull();
    expect(reusableEnrichment(stored, { ...provider, promptVersion: 'v8' }, p.enrichment.inputHash, NOW)).toBeNull();
    expect(reusableEnrichment(stored, { ...provider, model: 'rules' }, p.enrichment.inputHash, NOW)).toBeNull();
    expect(reusableEnrichment(null, provider, p.enrichment.inputHash, NOW)).toBeNull();
  });
});

describe('the market of the stored records', () => {
  it('counts a sale recorded by the assessor and by ARMLS once, and keeps different sales of one parcel', () => {
    const p = parcel();
    const summary = { address: '15947 W Winchcomb Dr', zip: '85379' };
    const armls = { _id: 'armls_export:6100001', source: 'armls_export', data: { ...p.data, sales: [{ date: '2015-02-06', price: 153_000 }, { date: '2024-05-06', price: 410_000 }] }, summary };
    const { sales } = marketSalesOf([{ ...p, summary }, armls], TODAY);
    expect(sales.map((s) => [s.date, s.price, s.sources])).toEqual([
      ['2015-02-06', 153_000, ['armls_export', 'maricopa_api']],
      ['2024-05-06', 410_000, ['armls_export']],
    ]);
  });
});
