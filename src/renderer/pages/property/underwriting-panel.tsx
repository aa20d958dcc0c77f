import { cashFlowText, coverage, rentText, RENT_BASIS_LABELS, TAX_BASIS_LABELS } from '../../../shared/format/figures.js';
import { useMemo, useState } from 'react';
import type { UnderwritingOverrides } from '../../../shared/underwriting/overrides.js';
import { useContractMutation } from '../../api/use-bridge.js';
import { ActionError } from '../../ui/state.js';
import type { ProcessedProperty } from '../../../shared/schemas/processed-property.js';
import type { StoredUnderwriting } from '../../../shared/schemas/underwriting.js';
import { RULES, underwrite, type Underwriting, type UnderwritingInputs } from '../../../shared/underwriting/underwrite.js';
import { dollars, percent } from './figures.js';
import { ValueSection } from './value-section.js';
import { DealModelSection } from './deal-model-section.js';
import { useRecommendationRules } from './recommendation-rules.js';

/**
 * The detail's value (`value-section.tsx`: the estimate with its range, the asking price apart,
 * the model and the adjusted comparables), then the underwriting: rent, expenses, financing,
 * recommendation and the what-if. The underwriting buys at the asking price, or the analyst's
 * what-if price; editing price, rent, rate or down payment recomputes everything at once with
 * the same `underwrite` the pipeline ran (`src/shared/underwriting/underwrite.ts`).
 */
export function UnderwritingPanel({ processed }: { processed: ProcessedProperty }) {
  const { valuation, underwriting } = processed;
  if (!valuation || !underwriting) {
    return <p className="muted">Processed before values had a basis: reprocess to see the value evidence and the underwriting.</p>;
  }
  return (
    <section aria-label="Value and underwriting">
      <ValueSection valuation={valuation} pricing={processed.normalized.pricing} />
      <WhatIf key={processed.raw_id} id={processed.raw_id} underwriting={underwriting} saved={processed.underwriting_overrides ?? null} pricing={processed.normalized.pricing} />
      <DealModelSection key={`deal-${processed.raw_id}`} underwriting={underwriting} pricing={processed.normalized.pricing} />
    </section>
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

/**
 * What the purchase price is, in words: the what-if price being typed, the analyst's saved price,
 * the asking price, or (a property not listed) whatever the stored underwriting bought at.
 */
export function purchasePriceNote(price: number | null, typed: boolean, saved: boolean, pricing: Pick<ProcessedProperty['normalized']['pricing'], 'list_price' | 'value'>): string {
  if (typed) return 'the what-if price';
  if (saved) return 'the what-if price saved for this property';
  if (price === null) return pricing.list_price === null ? 'not listed: no asking price to buy at; type a what-if price' : 'none';
  if (price === pricing.list_price) return 'the asking price, not the value';
  if (pricing.list_price === null && price === pricing.value) return 'not listed: the estimated value, for want of an asking price; type a what-if price';
  return 'as stored by the last processing';
}

function WhatIf({ id, underwriting, saved, pricing }: { id: string; underwriting: StoredUnderwriting; saved: UnderwritingOverrides | null; pricing: ProcessedProperty['normalized']['pricing'] }) {
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
  // The thresholds in force; the call is not shown until they are read (`RULES` only fills the figures meanwhile).
  const rules = useRecommendationRules();
  const u = useMemo(() => underwrite(inputs, rules ?? RULES), [inputs, rules]);
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
        {field('price', 'Purchase price $', 1000)}
        {field('rent', 'Rent $/month', 25)}
        {field('ratePercent', 'Interest %', 0.125)}
        {field('downPercent', 'Down payment %', 1)}
        <button type="button" className="secondary" disabled={!edited} onClick={() => setValues(initial)}>Reset</button>
        <button type="button" disabled={!edited || save.isPending} onClick={() => save.mutate({ id, terms: termsOf(base, values, saved) })}>Save for this property</button>
        {saved && <button type="button" className="secondary" disabled={save.isPending} onClick={() => save.mutate({ id, terms: null })}>Clear saved terms</button>}
      </form>
      {saved && <p className="muted" data-testid="saved-terms">Saved terms for this property: {Object.keys(saved).map((k) => k.replace(/_/g, ' ')).join(', ')}.</p>}
      <ActionError error={save.error} what="Saving the terms" />
      <Figures inputs={inputs} u={u} called={rules !== null} priceNote={purchasePriceNote(inputs.price, values.price !== initial.price, saved?.price !== undefined, pricing)} />
    </>
  );
}

function Figures({ inputs, u, called, priceNote }: { inputs: UnderwritingInputs; u: Underwriting; called: boolean; priceNote: string }) {
  const a = inputs.assumptions;
  const e = u.expenses;
  return (
    <>
      <dl className="facts" data-testid="underwriting">
        <dt>Purchase price</dt><dd data-testid="purchase-price">{dollars(inputs.price)} <span className="muted">({priceNote})</span></dd>
        <dt>Rent</dt><dd>{rentText(inputs.rent)} <span className="muted">({inputs.rent.basis ? RENT_BASIS_LABELS[inputs.rent.basis] : 'none'}: {inputs.rent.detail})</span></dd>
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
        <dt>Cash flow</dt><dd data-testid="whatif-cash-flow">{cashFlowText(u.cash_flow_monthly, u.cash_flow_annual)}</dd>
        <dt>Cash-on-cash</dt><dd data-testid="whatif-coc">{percent(u.cash_on_cash, 2)}</dd>
        <dt>DSCR</dt><dd>{coverage(u.dscr)}</dd>
        <dt>GRM</dt><dd>{u.gross_rent_multiplier ?? '—'}</dd>
        <dt>1% rule</dt><dd>{u.one_percent_rule === null ? '—' : u.one_percent_rule ? 'met' : 'not met'}</dd>
        <dt>Recommendation</dt><dd>{called ? <><strong data-testid="whatif-recommendation">{u.recommendation}</strong> <span className="muted">(by the thresholds in Settings)</span></> : <span className="muted">reading the thresholds…</span>}</dd>
      </dl>
      {called && <ul className="reasons" data-testid="recommendation-reasons">{u.reasons.map((r) => <li key={r}>{r}</li>)}</ul>}
    </>
  );
}
