import { useMemo, useState } from 'react';
import { brrrr, BRRRR_FIELDS, type BrrrrInputs } from '../../../shared/deal/brrrr.js';
import { dealTextsOf, readDealTexts, readFields, sliderRange, textsOf, type FieldTexts } from '../../../shared/deal/deal-form.js';
import { DEAL_FIELDS, DEAL_MODES, type DealField, type DealFieldName, type DealInputs, type DealMode } from '../../../shared/deal/deal-inputs.js';
import { flip, FLIP_FIELDS } from '../../../shared/deal/flip.js';
import { dealMetrics } from '../../../shared/deal/metrics.js';
import { projectDeal, type Projection } from '../../../shared/deal/projection.js';
import type { DealScenario } from '../../../shared/schemas/deal-scenario.js';
import type { MarketTrendValue } from '../../../shared/underwriting/comparables.js';
import { STRATEGY_TERMS, TERM_FIELDS, termValuesOf, type StrategyTermName, type TermName, type UnderwritingOverrides } from '../../../shared/underwriting/overrides.js';
import { DealScenarios } from './deal-scenarios.js';
import { SaveTerms } from './saved-terms.js';
import { dollars, percent } from './figures.js';
import { counted } from '../../../shared/plural.js';

type Mode = DealMode;
type BrrrrName = keyof typeof BRRRR_FIELDS;
type FlipOnly = 'holdingMonths' | 'holdingCostsMonthly';
const FLIP_ONLY = { holdingMonths: FLIP_FIELDS.holdingMonths, holdingCostsMonthly: FLIP_FIELDS.holdingCostsMonthly } as const;

/** The deal's fields in the order an investor fills them in. */
const ORDER: DealFieldName[] = [
  'price', 'rehabBudget', 'closingCosts', 'afterRepairValue', 'downPaymentRate', 'interestRate', 'loanTermYears', 'pointsRate',
  'rentMonthly', 'vacancyRate', 'managementRate', 'maintenanceRate', 'capexRate', 'insuranceAnnual', 'hoaMonthly', 'propertyTaxAnnual',
  'otherExpensesMonthly', 'rentGrowthRate', 'expenseGrowthRate', 'appreciationRate', 'holdingYears', 'sellingCostRate',
];
const UNIT_SUFFIX: Record<DealField['unit'], string> = { dollars: '$', dollars_per_month: '$/month', dollars_per_year: '$/year', percent: '%', years: 'years', months: 'months' };

/** One field: its label with the unit shown, a slider and a number field on the same text, and its message (aria-invalid) when refused. */
function FieldInput({ name, field, text, start, error, onChange }: { name: string; field: DealField; text: string; start: number | null; error: string | undefined; onChange: (text: string) => void }) {
  const range = sliderRange(field, start);
  const id = `deal-${name}`;
  const numeric = Number(text);
  return (
    <div className="field deal-field">
      <label htmlFor={id}>{field.label} {UNIT_SUFFIX[field.unit]}</label>
      <input type="range" aria-label={`${field.label} slider`} data-testid={`${id}-slider`} min={range.min} max={range.max} step={range.step} value={Number.isFinite(numeric) ? Math.min(range.max, Math.max(range.min, numeric)) : range.min} onChange={(e) => onChange(e.target.value)} />
      <input id={id} name={id} type="number" step="any" value={text} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} onChange={(e) => onChange(e.target.value)} />
      {error && <span className="error" role="alert" id={`${id}-error`} data-testid={`${id}-error`}>{error}</span>}
    </div>
  );
}

/**
 * The deal model on a property's terms: every input of `DealInputs` as a slider and a number field,
 * in the units shown, computed in the renderer with the shared deal module (`src/shared/deal`) as
 * the user types or slides, no round trip. A value out of its range (`DEAL_FIELDS`) shows its
 * message beside the field and the figures keep their last accepted values: the model never runs
 * on a 150% down payment. Modes: a rental hold (cash flow, cap rate, CoC, DSCR, GRM, 1% rule,
 * break-even rent and occupancy, the year-by-year projection and IRR), BRRRR (refinance at the
 * ARV) and flip (ARV − costs → profit, ROI). `estimated` names what the figures rest on that is an
 * estimate (the rent, the value): each figure then says "est.". `scenarios`: the property's saved
 * scenarios (`DealScenarios`: save the fields under a name, load one back, compare them side by
 * side), absent where there is no property to save them on. `terms`: the property's saved what-if
 * terms (`SaveTerms`: "Save for this property" saves every input and the strategy); the fields
 * and the strategy start from them (`start` has them applied, `dealStartOf`).
 */
export function DealModel({ start, estimated, scenarios, terms }: { start: DealInputs; estimated: string | null; scenarios?: { propertyId: string; saved: DealScenario[]; trend: MarketTrendValue }; terms?: { propertyId: string; saved: UnderwritingOverrides | null } }) {
  const saved = terms?.saved ?? null;
  const [initial] = useState(() => ({ deal: dealTextsOf(start), brrrr: textsOf(BRRRR_FIELDS, brrrrStart(start, saved)), flip: textsOf(FLIP_ONLY, flipStart(saved)) }));
  const [mode, setMode] = useState<Mode>(saved?.mode ?? 'rental');
  const [texts, setTexts] = useState<FieldTexts<DealFieldName>>(initial.deal);
  const [brrrrTexts, setBrrrrTexts] = useState<FieldTexts<BrrrrName>>(initial.brrrr);
  const [flipTexts, setFlipTexts] = useState<FieldTexts<FlipOnly>>(initial.flip);
  const deal = readDealTexts(texts);
  const extraBrrrr = readFields(BRRRR_FIELDS, brrrrTexts);
  const extraFlip = readFields(FLIP_ONLY, flipTexts);
  const [lastGood, setLastGood] = useState<DealInputs>(start);
  if (deal.inputs && JSON.stringify(deal.inputs) !== JSON.stringify(lastGood)) setLastGood(deal.inputs);
  const inputs = deal.inputs ?? lastGood;
  const refused = Object.keys(deal.errors).length + Object.keys(mode === 'brrrr' ? extraBrrrr.errors : mode === 'flip' ? extraFlip.errors : {}).length;
  const est = estimated ? <abbr className="est" title={`an estimate: rests on ${estimated}`}> est.</abbr> : null;
  return (
    <section aria-label="Deal model" data-testid="deal-model">
      <h3>Deal model</h3>
      <div className="fields" role="radiogroup" aria-label="Strategy">
        {DEAL_MODES.map((m) => (
          <label key={m}><input type="radio" name="deal-mode" value={m} checked={mode === m} onChange={() => setMode(m)} /> {m === 'rental' ? 'Rental hold' : m === 'brrrr' ? 'BRRRR' : 'Flip'}</label>
        ))}
      </div>
      <form className="fields deal-fields" aria-label="Deal inputs" onSubmit={(e) => e.preventDefault()}>
        {ORDER.map((name) => (
          <FieldInput key={name} name={name} field={DEAL_FIELDS[name]} text={texts[name]} start={start[name]} error={deal.errors[name]} onChange={(t) => setTexts((v) => ({ ...v, [name]: t }))} />
        ))}
        {mode === 'brrrr' && (Object.keys(BRRRR_FIELDS) as BrrrrName[]).map((name) => (
          <FieldInput key={name} name={name} field={BRRRR_FIELDS[name]} text={brrrrTexts[name]} start={null} error={extraBrrrr.errors[name]} onChange={(t) => setBrrrrTexts((v) => ({ ...v, [name]: t }))} />
        ))}
        {mode === 'flip' && (Object.keys(FLIP_ONLY) as FlipOnly[]).map((name) => (
          <FieldInput key={name} name={name} field={FLIP_ONLY[name]} text={flipTexts[name]} start={null} error={extraFlip.errors[name]} onChange={(t) => setFlipTexts((v) => ({ ...v, [name]: t }))} />
        ))}
      </form>
      {refused > 0 && <p className="error" data-testid="deal-refused">{refused === 1 ? 'One field is' : `${refused} fields are`} out of range: the figures below are for the last accepted values.</p>}
      {mode === 'rental' && <RentalFigures inputs={inputs} est={est} />}
      {mode === 'brrrr' && <BrrrrFigures inputs={{ ...inputs, afterRepairValue: inputs.afterRepairValue ?? inputs.price, ...(extraBrrrr.values ?? brrrrStart(start, saved)) } as BrrrrInputs} est={est} />}
      {mode === 'flip' && <FlipFigures inputs={inputs} extra={extraFlip.values as Record<FlipOnly, number> | null} est={est} />}
      {terms && (
        <SaveTerms
          propertyId={terms.propertyId}
          saved={saved}
          values={deal.inputs && extraBrrrr.values && extraFlip.values ? { ...termValuesOf(deal.inputs), ...strategyValuesOf(extraBrrrr.values, extraFlip.values) } : null}
          edited={editedTerms(initial, { deal: texts, brrrr: brrrrTexts, flip: flipTexts })}
          mode={mode}
        />
      )}
      {scenarios && <DealScenarios {...scenarios} current={deal.inputs} estimated={estimated} onLoad={(i) => setTexts(dealTextsOf(i))} />}
    </section>
  );
}

/** BRRRR's own inputs to start from: the saved ones, else 75% of the ARV refinanced at the deal's rate over 30 years, no closing or holding costs. */
const brrrrStart = (start: DealInputs, saved: UnderwritingOverrides | null) => ({
  refinanceLtv: saved?.refinance_ltv ?? 0.75,
  refinanceRate: saved?.refinance_rate ?? start.interestRate,
  refinanceTermYears: saved?.refinance_term_years ?? 30,
  refinanceClosingCosts: saved?.refinance_closing_costs ?? 0,
  holdingCosts: saved?.refinance_holding_costs ?? 0,
});

/** The flip's own inputs to start from: the saved ones, else six months with no holding costs. */
const flipStart = (saved: UnderwritingOverrides | null) => ({ holdingMonths: saved?.flip_holding_months ?? 6, holdingCostsMonthly: saved?.flip_holding_costs_monthly ?? 0 });

const TERM_OF_FIELD = Object.fromEntries(Object.entries(TERM_FIELDS).map(([term, field]) => [field, term])) as Record<DealFieldName, TermName>;
const STRATEGY_ENTRIES = Object.entries(STRATEGY_TERMS) as [StrategyTermName, (typeof STRATEGY_TERMS)[StrategyTermName]][];

/** BRRRR's and the flip's own inputs by their terms' names. */
function strategyValuesOf(b: Record<BrrrrName, number | null>, f: Record<FlipOnly, number | null>): Record<StrategyTermName, number | null> {
  return Object.fromEntries(STRATEGY_ENTRIES.map(([term, s]) => [term, s.mode === 'brrrr' ? b[s.name as BrrrrName] : f[s.name as FlipOnly]])) as Record<StrategyTermName, number | null>;
}

type FormTexts = { deal: FieldTexts<DealFieldName>; brrrr: FieldTexts<BrrrrName>; flip: FieldTexts<FlipOnly> };

/** The terms whose field's text is not what it started as: what the analyst moved. */
function editedTerms(initial: FormTexts, now: FormTexts): Set<string> {
  const edited = new Set<string>();
  for (const name of Object.keys(now.deal) as DealFieldName[]) if (now.deal[name] !== initial.deal[name]) edited.add(TERM_OF_FIELD[name]);
  for (const [term, s] of STRATEGY_ENTRIES) {
    const [was, is] = s.mode === 'brrrr' ? [initial.brrrr[s.name as BrrrrName], now.brrrr[s.name as BrrrrName]] : [initial.flip[s.name as FlipOnly], now.flip[s.name as FlipOnly]];
    if (was !== is) edited.add(term);
  }
  return edited;
}

type Est = React.ReactNode;

function RentalFigures({ inputs, est }: { inputs: DealInputs; est: Est }) {
  const m = useMemo(() => dealMetrics(inputs), [inputs]);
  const projection = useMemo(() => projectDeal(inputs), [inputs]);
  return (
    <>
      <dl className="facts" data-testid="deal-figures">
        <dt>Loan</dt><dd data-testid="deal-loan">{dollars(m.purchase.loanAmount)}: {dollars(m.monthlyPrincipalInterest)} a month (P&amp;I)</dd>
        <dt>Cash invested</dt><dd>{dollars(m.purchase.cashInvested)} (down payment, closing costs, points, rehab)</dd>
        <dt>NOI</dt><dd>{dollars(m.year1.netOperatingIncome)} a year{est}</dd>
        <dt>Cash flow</dt><dd data-testid="deal-cash-flow">{dollars(m.cashFlowMonthly)} a month ({dollars(m.cashFlowAnnual)} a year){est}</dd>
        <dt>Cap rate</dt><dd data-testid="deal-cap">{percent(m.capRate, 2)}{est}</dd>
        <dt>Cash-on-cash</dt><dd data-testid="deal-coc">{m.cashOnCash === null ? '— (no cash invested)' : percent(m.cashOnCash, 2)}{est}</dd>
        <dt>DSCR</dt><dd>{m.dscr === null ? '— (no loan)' : m.dscr.toFixed(2)}{est}</dd>
        <dt>GRM</dt><dd>{m.grossRentMultiplier.toFixed(2)}{est}</dd>
        <dt>1% rule</dt><dd>{percent(m.onePercentRatio, 2)} of the price a month: {m.meetsOnePercentRule ? 'met' : 'not met'}{est}</dd>
        <dt>Break-even rent</dt><dd>{m.breakEvenRentMonthly === null ? '—' : `${dollars(m.breakEvenRentMonthly)} a month`}</dd>
        <dt>Break-even occupancy</dt><dd>{percent(m.breakEvenOccupancy, 1)}{est}</dd>
      </dl>
      <ProjectionTable projection={projection} est={est} />
    </>
  );
}

/** The year-by-year projection: equity, loan balance, cash flow, total return; the IRR or why it is undefined. */
function ProjectionTable({ projection, est }: { projection: Projection; est: Est }) {
  return (
    <>
      <table data-testid="deal-projection">
        <caption>Projection over {counted(projection.years.length, 'year')}{est}</caption>
        <thead><tr><th scope="col">Year</th><th scope="col">Cash flow</th><th scope="col">Value</th><th scope="col">Loan balance</th><th scope="col">Equity</th><th scope="col">Total return</th></tr></thead>
        <tbody>
          {projection.years.map((y) => (
            <tr key={y.year}><th scope="row">{y.year}</th><td>{dollars(y.cashFlow)}</td><td>{dollars(y.propertyValue)}</td><td>{dollars(y.loanBalance)}</td><td>{dollars(y.equity)}</td><td>{dollars(y.totalReturn)}{y.totalReturnRate === null ? '' : ` (${percent(y.totalReturnRate, 1)})`}</td></tr>
          ))}
        </tbody>
      </table>
      <p data-testid="deal-irr">IRR over the hold (sale at {dollars(projection.sale.price)} less {dollars(projection.sale.sellingCosts)} selling costs): {projection.irr === null ? `undefined: ${projection.irrUndefined ?? 'no rate solves the cash flows'}` : percent(projection.irr, 2)}{est}</p>
    </>
  );
}

function BrrrrFigures({ inputs, est }: { inputs: BrrrrInputs; est: Est }) {
  const b = useMemo(() => brrrr(inputs), [inputs]);
  const a = b.afterRefinance;
  return (
    <>
      <dl className="facts" data-testid="deal-figures">
        <dt>Cash in before the refinance</dt><dd>{dollars(b.cashInBeforeRefinance)}</dd>
        <dt>Refinance loan</dt><dd>{dollars(b.refinanceLoan)} (ARV {dollars(inputs.afterRepairValue)} × {percent(inputs.refinanceLtv, 0)})</dd>
        <dt>Cash out</dt><dd>{dollars(b.cashOut)}</dd>
        <dt>Cash left in the deal</dt><dd data-testid="deal-cash-left">{dollars(b.cashLeftInDeal)}</dd>
        <dt>Cash flow after the refinance</dt><dd data-testid="deal-cash-flow">{dollars(a.cashFlowMonthly)} a month{est}</dd>
        <dt>Cash-on-cash</dt><dd>{a.cashOnCash === null ? (b.cashOnCashUnbounded ? 'unbounded: no cash left in the deal' : '—') : percent(a.cashOnCash, 2)}{est}</dd>
        <dt>DSCR</dt><dd>{a.dscr === null ? '— (no loan)' : a.dscr.toFixed(2)}{est}</dd>
      </dl>
      <ProjectionTable projection={b.projection} est={est} />
    </>
  );
}

function FlipFigures({ inputs, extra, est }: { inputs: DealInputs; extra: Record<FlipOnly, number> | null; est: Est }) {
  const arv = inputs.afterRepairValue ?? inputs.price;
  const f = useMemo(() => (extra ? flip({ price: inputs.price, rehabBudget: inputs.rehabBudget, closingCosts: inputs.closingCosts, afterRepairValue: arv, sellingCostRate: inputs.sellingCostRate, downPaymentRate: inputs.downPaymentRate, interestRate: inputs.interestRate, pointsRate: inputs.pointsRate, ...extra }) : null), [inputs, extra, arv]);
  if (!f) return null;
  return (
    <dl className="facts" data-testid="deal-figures">
      <dt>After-repair value</dt><dd>{dollars(arv)}{inputs.afterRepairValue === null && <span className="muted"> (none typed: the price)</span>}</dd>
      <dt>Holding costs</dt><dd>{dollars(f.holdingCosts)} (loan interest {dollars(f.loanInterest)})</dd>
      <dt>Selling costs</dt><dd>{dollars(f.sellingCosts)}</dd>
      <dt>Cash invested</dt><dd>{dollars(f.cashInvested)}</dd>
      <dt>Profit</dt><dd data-testid="deal-profit">{dollars(f.profit)}{est}</dd>
      <dt>ROI</dt><dd>{percent(f.roi, 1)} ({percent(f.annualizedRoi, 1)} a year){est}</dd>
    </dl>
  );
}
