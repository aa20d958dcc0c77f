import { cashFlowText, coverage, rentText, RENT_BASIS_LABELS, TAX_BASIS_LABELS } from '../../../shared/format/figures.js';
import { useMemo } from 'react';
import type { UnderwritingOverrides } from '../../../shared/underwriting/overrides.js';
import type { ProcessedProperty } from '../../../shared/schemas/processed-property.js';
import type { StoredUnderwriting } from '../../../shared/schemas/underwriting.js';
import { RULES, underwrite, type Underwriting, type UnderwritingInputs } from '../../../shared/underwriting/underwrite.js';
import { dollars, percent } from './figures.js';
import { ValueSection } from './value-section.js';
import { DealModelSection } from './deal-model-section.js';
import { useRecommendationRules } from './recommendation-rules.js';

/**
 * The detail's value (`value-section.tsx`: the estimate with its range, the asking price apart,
 * the model and the adjusted comparables), then the underwriting as stored (rent, expenses,
 * financing, recommendation: the pipeline's `underwrite`, `src/shared/underwriting/underwrite.ts`,
 * with the analyst's saved terms applied), then the deal model, the what-if: every input as a
 * slider and a field, "Save for this property" keeping them all (`DealModelSection`). It starts
 * again from the saved terms whenever they change.
 */
export function UnderwritingPanel({ processed }: { processed: ProcessedProperty }) {
  const { valuation, underwriting } = processed;
  if (!valuation || !underwriting) {
    return <p className="muted">Processed before values had a basis: reprocess to see the value evidence and the underwriting.</p>;
  }
  const saved = processed.underwriting_overrides ?? null;
  return (
    <section aria-label="Value and underwriting">
      <ValueSection valuation={valuation} pricing={processed.normalized.pricing} />
      <StoredFigures underwriting={underwriting} saved={saved} pricing={processed.normalized.pricing} />
      <DealModelSection key={`deal-${processed.raw_id}-${JSON.stringify(saved)}`} underwriting={underwriting} pricing={processed.normalized.pricing} saved={saved} />
    </section>
  );
}

/**
 * What the purchase price is, in words: the analyst's saved what-if price, the asking price, or
 * (a property not listed) whatever the stored underwriting bought at.
 */
export function purchasePriceNote(price: number | null, saved: boolean, pricing: Pick<ProcessedProperty['normalized']['pricing'], 'list_price' | 'value'>): string {
  if (saved) return 'the what-if price saved for this property';
  if (price === null) return pricing.list_price === null ? 'not listed: no asking price to buy at; try a price in the deal model below' : 'none';
  if (price === pricing.list_price) return 'the asking price, not the value';
  if (pricing.list_price === null && price === pricing.value) return 'not listed: the estimated value, for want of an asking price; try a price in the deal model below';
  return 'as stored by the last processing';
}

/** The stored underwriting's figures, by the thresholds in force (Settings), saying when saved terms are in them. */
function StoredFigures({ underwriting, saved, pricing }: { underwriting: StoredUnderwriting; saved: UnderwritingOverrides | null; pricing: ProcessedProperty['normalized']['pricing'] }) {
  const inputs = underwriting.inputs;
  // The thresholds in force; the call is not shown until they are read (`RULES` only fills the figures meanwhile).
  const rules = useRecommendationRules();
  const u = useMemo(() => underwrite(inputs, rules ?? RULES), [inputs, rules]);
  return (
    <>
      <h3>Underwriting {saved && <span className="muted">(with your saved terms)</span>}</h3>
      <Figures inputs={inputs} u={u} called={rules !== null} priceNote={purchasePriceNote(inputs.price, saved?.price !== undefined, pricing)} />
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
