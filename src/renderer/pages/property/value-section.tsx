import type { NormalizedProperty } from '../../../shared/schemas/processed-property.js';
import type { Valuation } from '../../../shared/schemas/underwriting.js';
import { WIDENING_STEPS } from '../../../shared/underwriting/comparables.js';
import { VALUE_BASIS_LABELS, isLegacyBasis } from '../../../shared/valuation/basis-labels.js';
import { listToValue, listToValueWords } from '../../../shared/valuation/list-to-value.js';
import type { Appraisal, MarketModel } from '../../../shared/valuation/types.js';
import { VALUE_IS_ESTIMATE } from '../../../shared/format/figures.js';
import { ComparablesSection } from './comparables-section.js';
import { dollars, percent } from './figures.js';
import { money, perSqft } from '../../../shared/money-format.js';

type Pricing = NormalizedProperty['pricing'];

const CONFIDENCE_MEANING = { high: 'its range within ±10% of the value', medium: 'its range within ±20%', low: 'its range wider than ±20%' } as const;

/**
 * The property page's Value section: the automated valuation's estimate with its 80% range,
 * confidence, basis and date; the asking price apart, as the price, with list ÷ value; how the
 * value was reached (the evidence, the ZIP's trend, the fitted market model) and the comparables
 * (`comparables-section.tsx`: adjustments in dollars, similarity, why chosen, a map, and on the
 * property page a way to exclude one from the value). A record valued before the
 * automated valuation (no `valuation.appraisal`) shows its stored value and comparables, and
 * asks to be reprocessed.
 */
export function ValueSection({ valuation, pricing }: { valuation: Valuation; pricing: Pricing }) {
  const a = valuation.appraisal;
  return (
    <>
      <h3>Value</h3>
      {a ? <AppraisalSummary a={a} /> : <LegacyValue valuation={valuation} pricing={pricing} />}
      <AskingPrice listPrice={pricing.list_price} value={a?.value ?? null} />
      <ZipTrend valuation={valuation} />
      {a ? (
        <>
          {a.model && <ModelTable model={a.model} />}
          <ComparablesSection appraisal={a} />
        </>
      ) : (
        <LegacyComparables valuation={valuation} />
      )}
    </>
  );
}

function AppraisalSummary({ a }: { a: Appraisal }) {
  if (a.value === null) {
    return (
      <>
        <p data-testid="value">No value: nothing in the sales on record can say what this home would sell for.</p>
        <ul data-testid="value-evidence">{a.evidence.map((e) => <li key={e}>{e}</li>)}</ul>
      </>
    );
  }
  return (
    <>
      <p data-testid="value">
        <strong>{dollars(a.value)}</strong> <span className="muted">{VALUE_IS_ESTIMATE}</span>
        {a.low !== null && a.high !== null && (
          <>
            {' '}· {Math.round(a.range_level * 100)}% range <strong data-testid="value-range">{dollars(a.low)}–{dollars(a.high)}</strong>
          </>
        )}
        {a.confidence && (
          <>
            {' '}· <span title={CONFIDENCE_MEANING[a.confidence]}>{a.confidence} confidence</span>
          </>
        )}
        {a.basis && <> · {VALUE_BASIS_LABELS[a.basis]}</>}
        {a.date && <> as of {a.date}</>}
      </p>
      <p className="muted small">
        The range is where {Math.round(a.range_level * 100)}% of real sales fell against values like this one (the 10th to 90th percentile of what they missed by).
      </p>
      <ul data-testid="value-evidence">{a.evidence.map((e) => <li key={e}>{e}</li>)}</ul>
    </>
  );
}

/** The asking price, said to be the price and never the value, with list ÷ value when both are known. */
function AskingPrice({ listPrice, value }: { listPrice: number | null; value: number | null }) {
  if (listPrice === null) return <p data-testid="asking-price">Not listed: no asking price.</p>;
  const ratio = listToValue(listPrice, value);
  return (
    <p data-testid="asking-price">
      Asking price <strong>{dollars(listPrice)}</strong> <span className="muted">(the price, not the value)</span>
      {ratio !== null && (
        <>
          {' '}· list ÷ value <strong data-testid="list-to-value">{ratio.toFixed(2)}</strong>: listed {listToValueWords(ratio)}
        </>
      )}
    </p>
  );
}

function ZipTrend({ valuation }: { valuation: Valuation }) {
  const t = valuation.zip_trend;
  return (
    <p>
      ZIP market trend: <strong>{t.trend.replace('_', ' ')}</strong> — {t.recent_sales} sales in the last 6 months
      {t.recent_median_ppsf !== null && ` (median ${perSqft(t.recent_median_ppsf)})`}, {t.previous_sales} in the 6 before
      {t.previous_median_ppsf !== null && ` (median ${perSqft(t.previous_median_ppsf)})`}
      {t.change !== null && `, ${t.change >= 0 ? '+' : ''}${percent(t.change)}`}.
    </p>
  );
}

/** The market model the adjustments come from: which market, how many sales, what each coefficient means, the monthly trend. */
function ModelTable({ model }: { model: MarketModel }) {
  return (
    <>
      <h4>Market model</h4>
      <p data-testid="market-model">
        {model.market}: a regression of log price on the homes' features, fitted on {model.sales} validated sales
        {model.r2 !== null && <>, explaining {percent(model.r2, 0)} of the variance of log price</>}; the market's trend{' '}
        {model.monthly_trend >= 0 ? '+' : ''}
        {percent(model.monthly_trend, 2)} a month, from its own sales.
      </p>
      {model.coefficients.length > 0 && (
        <table aria-label="Market model coefficients">
          <thead><tr><th>Factor</th><th>Coefficient</th><th>What it means</th></tr></thead>
          <tbody>
            {model.coefficients.map((c) => (
              <tr key={c.name}><td>{c.name}</td><td>{c.value.toFixed(4)}</td><td>{c.meaning}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** A value stored before the automated valuation: its basis, date and evidence, as stored. */
function LegacyValue({ valuation, pricing }: { valuation: Valuation; pricing: Pricing }) {
  const v = valuation.value;
  const basis = pricing.value_basis ?? null;
  return (
    <>
      <p data-testid="value">
        <strong>{dollars(v.value)}</strong>
        {v.basis && <> · {VALUE_BASIS_LABELS[v.basis]}{v.date && <> of {v.date}</>}</>}
        {v.estimated && v.value !== null && <span className="muted"> (an estimate)</span>}
      </p>
      {basis !== null && isLegacyBasis(basis) && <p className="muted">Valued before the automated valuation, with no range: reprocess for an estimate with its range and adjusted comparables.</p>}
      <ul data-testid="value-evidence">{v.evidence.map((e) => <li key={e}>{e}</li>)}</ul>
    </>
  );
}

/** The comparables a record valued before the automated valuation was searched with. */
function LegacyComparables({ valuation }: { valuation: Valuation }) {
  const c = valuation.comparables;
  if (!c) return <><h4>Comparable sales</h4><p className="muted">{valuation.comparables_note ?? 'Not searched.'}</p></>;
  const step = WIDENING_STEPS.find((s) => s.step === c.step);
  return (
    <>
      <h4>Comparable sales</h4>
      <p className="muted">
        Step {c.step}{step && `: within ${step.radiusMiles} mi, sold in the last ${step.months} months, living area ±${step.areaTolerance * 100}%, built ±${step.yearTolerance} years`}.
        {c.estimate !== null ? ` Estimate ${dollars(c.estimate)} (median ${c.median_price_per_sqft === null ? '—' : perSqft(c.median_price_per_sqft)} × living area).` : ' Fewer than 3 found: no estimate.'}
      </p>
      {c.comparables.length > 0 && (
        <table data-testid="comparables">
          <thead><tr><th>Address</th><th>Distance</th><th>Sold</th><th>Price</th><th>$/sq ft</th><th>Sq ft</th><th>Built</th></tr></thead>
          <tbody>
            {c.comparables.map((x) => (
              <tr key={`${x.parcel_number ?? x.address}|${x.date}`}>
                <td>{x.address ?? x.parcel_number ?? '—'}</td><td>{x.distance_miles} mi</td><td>{x.date}</td><td>{dollars(x.price)}</td>
                <td>{money(x.price_per_sqft)}</td><td>{x.square_feet}</td><td>{x.year_built ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
