import { useMemo, useState } from 'react';
import type { UnderwritingOverrides } from '../../../shared/underwriting/overrides.js';
import { useContractMutation } from '../../api/use-bridge.js';
import { ActionError } from '../../ui/state.js';
import type { ProcessedProperty } from '../../../shared/schemas/processed-property.js';
import type { StoredUnderwriting, Valuation } from '../../../shared/schemas/underwriting.js';
import { WIDENING_STEPS } from '../../../shared/underwriting/comparables.js';
import { underwrite, type Underwriting, type UnderwritingInputs } from '../../../shared/underwriting/underwrite.js';
import { VALUE_BASIS_LABELS } from '../../../shared/underwriting/value.js';
import { dollars, percent } from './figures.js';

const RENT_BASIS_LABELS: Record<string, string> = { zip_bedrooms: 'ZIP × bedrooms rent', rent_per_sqft: 'rent per sq ft', what_if: 'what-if' };
const TAX_BASIS_LABELS: Record<string, string> = { tax_area_rate: 'LPV × ratio × tax area rate', listing_taxes: 'taxes stated by the listing', effective_rate: 'effective rate of value' };

/**
 * The detail's value evidence, comparables, rent, expenses, financing, recommendation and the
 * what-if: editing price, rent, rate or down payment recomputes everything at once with the
 * same `underwrite` the pipeline ran (`src/shared/underwriting/underwrite.ts`).
 */
export function UnderwritingPanel({ processed }: { processed: ProcessedProperty }) {
  const { valuation, underwriting } = processed;
  if (!valuation || !underwriting) {
    return <p className="muted">Processed before values had a basis: reprocess to see the value evidence and the underwriting.</p>;
  }
  return (
    <section aria-label="Value and underwriting">
      <ValueEvidence valuation={valuation} />
      <ComparablesTable valuation={valuation} />
      <WhatIf key={processed.raw_id} id={processed.raw_id} underwriting={underwriting} saved={processed.underwriting_overrides ?? null} />
    </section>
  );
}

function ValueEvidence({ valuation }: { valuation: Valuation }) {
  const v = valuation.value;
  const t = valuation.zip_trend;
  return (
    <>
      <h3>Value</h3>
      <p data-testid="value">
        <strong>{dollars(v.value)}</strong>
        {v.basis && <> · {VALUE_BASIS_LABELS[v.basis]}{v.date && <> of {v.date}</>}</>}
        {v.estimated && v.value !== null && <span className="muted"> (an estimate)</span>}
      </p>
      <ul data-testid="value-evidence">{v.evidence.map((e) => <li key={e}>{e}</li>)}</ul>
      <p>
        ZIP market trend: <strong>{t.trend.replace('_', ' ')}</strong> — {t.recent_sales} sales in the last 6 months
        {t.recent_median_ppsf !== null && ` (median $${t.recent_median_ppsf}/sq ft)`}, {t.previous_sales} in the 6 before
        {t.previous_median_ppsf !== null && ` (median $${t.previous_median_ppsf}/sq ft)`}
        {t.change !== null && `, ${t.change >= 0 ? '+' : ''}${percent(t.change)}`}.
      </p>
    </>
  );
}

function ComparablesTable({ valuation }: { valuation: Valuation }) {
  const c = valuation.comparables;
  if (!c) return <><h3>Comparable sales</h3><p className="muted">{valuation.comparables_note ?? 'Not searched.'}</p></>;
  const step = WIDENING_STEPS.find((s) => s.step === c.step);
  return (
    <>
      <h3>Comparable sales</h3>
      <p className="muted">
        Step {c.step}{step && `: within ${step.radiusMiles} mi, sold in the last ${step.months} months, living area ±${step.areaTolerance * 100}%, built ±${step.yearTolerance} years`}.
        {c.estimate !== null ? ` Estimate ${dollars(c.estimate)} (median $${c.median_price_per_sqft}/sq ft × living area).` : ' Fewer than 3 found: no estimate.'}
      </p>
      {c.comparables.length > 0 && (
        <table data-testid="comparables">
          <thead><tr><th>Address</th><th>Distance</th><th>Sold</th><th>Price</th><th>$/sq ft</th><th>Sq ft</th><th>Built</th></tr></thead>
          <tbody>
            {c.comparables.map((x) => (
              <tr key={`${x.parcel_number ?? x.address}|${x.date}`}>
                <td>{x.address ?? x.parcel_number ?? '—'}</td><td>{x.distance_miles} mi</td><td>{x.date}</td><td>{dollars(x.price)}</td>
                <td>${x.price_per_sqft}</td><td>{x.square_feet}</td><td>{x.year_built ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

interface WhatIfValues {
  price: string;
  rent: string;
  ratePercent: string;
  downPercent: string;
}

const numberOr = (text: string, fallback: number | null) => (text.trim() === '' || !Number.isFinite(Number(text)) ? fallback : Number(text));

/**
 * The terms to save: each field that differs from the stored figures or was saved before
 * (rates typed as percents, saved as fractions).
 */
function termsOf(base: UnderwritingInputs, v: WhatIfValues, saved: UnderwritingOverrides | null): UnderwritingOverrides {
  const edited = whatIfInputs(base, v);
  const terms: UnderwritingOverrides = {};
  if (edited.price !== null && (edited.price !== base.price || saved?.price !== undefined)) terms.price = edited.price;
  if (edited.rent.monthly !== null && (edited.rent.monthly !== base.rent.monthly || saved?.rent_monthly !== undefined)) terms.rent_monthly = edited.rent.monthly;
  if (edited.assumptions.interestRate !== base.assumptions.interestRate || saved?.interest_rate !== undefined) terms.interest_rate = edited.assumptions.interestRate;
  if (edited.assumptions.downPaymentRate !== base.assumptions.downPaymentRate || saved?.down_payment_rate !== undefined) terms.down_payment_rate = edited.assumptions.downPaymentRate;
  return terms;
}

/** The stored inputs with the analyst's edits (rates typed as percents). */
export function whatIfInputs(base: UnderwritingInputs, v: WhatIfValues): UnderwritingInputs {
  const rent = numberOr(v.rent, base.rent.monthly);
  return {
    ...base,
    price: numberOr(v.price, base.price),
    rent: rent === base.rent.monthly ? base.rent : { monthly: rent, basis: 'what_if', detail: 'typed by the analyst' },
    assumptions: {
      ...base.assumptions,
      interestRate: numberOr(v.ratePercent, base.assumptions.interestRate * 100)! / 100,
      downPaymentRate: numberOr(v.downPercent, base.assumptions.downPaymentRate * 100)! / 100,
    },
  };
}

function WhatIf({ id, underwriting, saved }: { id: string; underwriting: StoredUnderwriting; saved: UnderwritingOverrides | null }) {
  const save = useContractMutation('properties.setTerms', ['properties.get', 'properties.list']);
  const base = underwriting.inputs;
  const initial: WhatIfValues = {
    price: base.price === null ? '' : String(base.price),
    rent: base.rent.monthly === null ? '' : String(base.rent.monthly),
    ratePercent: String(Math.round(base.assumptions.interestRate * 10_000) / 100),
    downPercent: String(Math.round(base.assumptions.downPaymentRate * 10_000) / 100),
  };
  const [values, setValues] = useState<WhatIfValues>(initial);
  const inputs = useMemo(() => whatIfInputs(base, values), [base, values]);
  const u = useMemo(() => underwrite(inputs), [inputs]);
  const edited = JSON.stringify(values) !== JSON.stringify(initial);
  const field = (key: keyof WhatIfValues, label: string, step: number) => (
    <label>
      {label} <input name={`whatif-${key}`} type="number" step={step} value={values[key]} onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))} />
    </label>
  );
  return (
    <>
      <h3>Underwriting {edited && <span className="muted">(what-if)</span>}</h3>
      <form className="fields" aria-label="What-if" onSubmit={(e) => e.preventDefault()}>
        {field('price', 'Price $', 1000)}
        {field('rent', 'Rent $/month', 25)}
        {field('ratePercent', 'Interest %', 0.125)}
        {field('downPercent', 'Down payment %', 1)}
        <button type="button" className="secondary" disabled={!edited} onClick={() => setValues(initial)}>Reset</button>
        <button type="button" disabled={!edited || save.isPending} onClick={() => save.mutate({ id, terms: termsOf(base, values, saved) })}>Save for this property</button>
        {saved && <button type="button" className="secondary" disabled={save.isPending} onClick={() => save.mutate({ id, terms: null })}>Clear saved terms</button>}
      </form>
      {saved && <p className="muted" data-testid="saved-terms">Saved terms for this property: {Object.keys(saved).map((k) => k.replace(/_/g, ' ')).join(', ')}.</p>}
      <ActionError error={save.error} what="Saving the terms" />
      <Figures inputs={inputs} u={u} />
    </>
  );
}

function Figures({ inputs, u }: { inputs: UnderwritingInputs; u: Underwriting }) {
  const a = inputs.assumptions;
  const e = u.expenses;
  return (
    <>
      <dl className="facts" data-testid="underwriting">
        <dt>Purchase price</dt><dd>{dollars(inputs.price)} <span className="muted">(the value above, with its basis and date, unless the what-if changes it)</span></dd>
        <dt>Rent</dt><dd>{inputs.rent.monthly === null ? '—' : `${dollars(inputs.rent.monthly)} a month`} <span className="muted">({inputs.rent.basis ? RENT_BASIS_LABELS[inputs.rent.basis] : 'none'}: {inputs.rent.detail})</span></dd>
        <dt>Gross rent</dt><dd>{dollars(u.gross_rent_annual)} a year; vacancy {percent(a.vacancyRate)} → {dollars(u.effective_gross_income)} collected</dd>
        <dt>Property tax</dt><dd>{e ? dollars(e.property_tax) : '—'} <span className="muted">({inputs.tax.basis ? TAX_BASIS_LABELS[inputs.tax.basis] : 'none'}: {inputs.tax.detail})</span></dd>
        <dt>Insurance</dt><dd>{e ? dollars(e.insurance) : '—'} <span className="muted">(a year, from the insurance setting INSURANCE_ANNUAL_USD)</span></dd>
        <dt>HOA</dt><dd>{e ? dollars(e.hoa) : '—'}{inputs.hoa_monthly === null && <span className="muted"> (none known)</span>}</dd>
        <dt>Land lease</dt><dd>{e ? dollars(e.land_lease) : '—'}{inputs.land_lease_monthly === null && <span className="muted"> (none known)</span>}</dd>
        {e?.other_fees !== undefined && (
          <>
            <dt>Other fees</dt><dd>{dollars(e.other_fees)}{!inputs.other_fees_monthly && <span className="muted"> (none known)</span>} <span className="muted">(recurring fees besides HOA dues, and a special assessment still being paid)</span></dd>
          </>
        )}
        <dt>Maintenance</dt><dd>{e ? dollars(e.maintenance) : '—'} <span className="muted">({percent(a.maintenanceRate)} of gross rent)</span></dd>
        <dt>Management</dt><dd>{e ? dollars(e.management) : '—'} <span className="muted">({percent(a.managementRate)} of collected rent)</span></dd>
        <dt>Operating expenses</dt><dd>{e ? dollars(e.total) : '—'} a year</dd>
        <dt>NOI</dt><dd>{dollars(u.net_operating_income)} a year</dd>
        <dt>Cap rate</dt><dd data-testid="whatif-cap">{percent(u.cap_rate, 2)}</dd>
        <dt>Loan</dt><dd>{dollars(u.loan_amount)} at {percent(a.interestRate, 2)} over {a.termYears} years: {dollars(u.monthly_principal_interest)} a month (P&amp;I)</dd>
        <dt>Cash invested</dt><dd>{dollars(u.cash_invested)} ({dollars(u.down_payment)} down + {dollars(u.closing_costs)} closing, {percent(a.closingCostRate)})</dd>
        <dt>Cash flow</dt><dd data-testid="whatif-cash-flow">{dollars(u.cash_flow_monthly)} a month ({dollars(u.cash_flow_annual)} a year)</dd>
        <dt>Cash-on-cash</dt><dd data-testid="whatif-coc">{percent(u.cash_on_cash, 2)}</dd>
        <dt>DSCR</dt><dd>{u.dscr === null ? '—' : u.dscr.toFixed(2)}</dd>
        <dt>GRM</dt><dd>{u.gross_rent_multiplier ?? '—'}</dd>
        <dt>1% rule</dt><dd>{u.one_percent_rule === null ? '—' : u.one_percent_rule ? 'met' : 'not met'}</dd>
        <dt>Recommendation</dt><dd><strong data-testid="whatif-recommendation">{u.recommendation}</strong></dd>
      </dl>
      <ul className="reasons" data-testid="recommendation-reasons">{u.reasons.map((r) => <li key={r}>{r}</li>)}</ul>
    </>
  );
}
