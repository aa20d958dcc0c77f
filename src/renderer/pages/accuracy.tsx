import { useState, type FormEvent } from 'react';
import { CartesianGrid, ReferenceArea, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useContractQuery } from '../api/use-bridge.js';
import { PROPERTY_TYPES } from '../../shared/schemas/processed-property.js';
import type { AccuracySection } from '../../shared/valuation/accuracy-study.js';
import { formatMeasureInterval, formatMeasureResult, formatMeasureValue } from '../../shared/valuation/ratio-format.js';
import { RATIO_MEASURE_KEYS, type RatioBreakdown, type RatioMeasure } from '../../shared/valuation/ratio-study.js';
import { zipCodeProblem } from '../../shared/zip-code.js';
import { ExportButton } from '../ui/csv.js';
import { QueryState, int, money, when } from '../ui/state.js';

type PropertyType = (typeof PROPERTY_TYPES)[number];

/** The figures the cards show first: level, uniformity, vertical equity, accuracy, coverage, calibration. */
const CARD_KEYS = ['median_ratio', 'cod', 'prd', 'within_10', 'coverage', 'range_held'] as const;

/**
 * The valuation's own accuracy: every market sale valued as of the day before it closed from the
 * other sales (leave-one-out), scored as the IAAO Standard on Ratio Studies does; the chart of
 * ratio against price; by ZIP, type and price quartile; and the values shown before a sale.
 */
export function AccuracyPage() {
  const [scope, setScope] = useState<{ zip?: string; type?: PropertyType }>({});
  const [zip, setZip] = useState('');
  const [type, setType] = useState('');
  const zipProblem = zip === '' ? null : zipCodeProblem(zip);
  // A report values every sale: made when asked, kept until asked again.
  const report = useContractQuery('accuracy.report', scope, { staleTime: Infinity });
  const r = report.data;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (zipProblem) return;
    const next = { ...(zip && { zip }), ...(type && { type: type as PropertyType }) };
    if (JSON.stringify(next) === JSON.stringify(scope)) void report.refetch();
    else setScope(next);
  };
  return (
    <>
      <h1>Accuracy</h1>
      <p className="muted">
        How far this console&apos;s values have been from real sale prices. Each validated market sale in the database is valued
        as of the day before it closed, from the sales recorded by then and never from itself (leave-one-out), and scored as the
        IAAO Standard on Ratio Studies (2013) scores an assessment: a ratio is value ÷ price. Every figure is an estimate from
        these sales, with its 95% interval.
      </p>
      <form className="inline-form" onSubmit={submit} aria-label="Which sales">
        <label>
          ZIP <input value={zip} onChange={(e) => setZip(e.target.value.trim())} inputMode="numeric" maxLength={5} placeholder="all" aria-invalid={zipProblem !== null} />
        </label>
        <label>
          Type{' '}
          <select value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">all</option>
            {PROPERTY_TYPES.map((t) => <option key={t} value={t}>{t.replaceAll('_', ' ')}</option>)}
          </select>
        </label>
        <button type="submit" disabled={zipProblem !== null || report.isFetching}>{report.isFetching ? 'Scoring…' : 'Score the valuation'}</button>
        {zipProblem && <span role="alert" className="error">{zipProblem}</span>}
      </form>
      <QueryState query={report} empty={r && r.sales.study.sales === 0 ? 'No market sales in the database for these filters: import an ARMLS export of closed sales (Collection) first.' : false}>
        {r && (
          <>
            <p className="muted small" data-testid="accuracy-basis">
              {int(r.sales.study.sales)} sales{r.first_sale ? ` closed ${r.first_sale} to ${r.last_sale}` : ''}
              {r.scope.zip ? `, ZIP ${r.scope.zip}` : ''}{r.scope.type ? `, ${r.scope.type.replaceAll('_', ' ')}` : ''}; scored {when(r.generated_at)}. Basis: {r.sales.basis}.
            </p>
            <ul className="card-row" aria-label="The main figures">
              {CARD_KEYS.map((key) => <MeasureCard key={key} m={r.sales.study[key]} />)}
            </ul>
            <RatioChart section={r.sales} />
            <h2>Every measure</h2>
            <MeasureTable section={r.sales} label="Accuracy measures" />
            <h2>By ZIP</h2>
            <BreakdownTable groups={r.sales.by_zip} label="Accuracy by ZIP" />
            <h2>By property type</h2>
            <BreakdownTable groups={r.sales.by_type} label="Accuracy by property type" />
            <h2>By price quartile</h2>
            <p className="muted small">Where PRD and PRB see regressivity, these show which end is over- or under-valued (a median above 1.000: valued above its price).</p>
            <BreakdownTable groups={r.sales.by_price_quartile} label="Accuracy by price quartile" />
            <h2>By basis of the value</h2>
            <p className="muted small">Where each value came from: adjusted comparable sales, the market model, the assessor&apos;s full cash value × the measured ratio, or the area&apos;s sales.</p>
            <BreakdownTable groups={r.sales.by_basis} label="Accuracy by basis of the value" />
            {r.window && (
              <>
                <h2>From every other sale of the window</h2>
                <p className="muted small">{r.window.basis}: the model measured apart from how few sales were known early on.</p>
                <MeasureTable section={r.window} label="Accuracy measures, whole window" />
              </>
            )}
            <h2>What the console showed before a sale</h2>
            {r.shown_before_sale && r.shown_before_sale.study.valued > 0 ? (
              <>
                <p className="muted small">{r.shown_before_sale.basis}.</p>
                <MeasureTable section={r.shown_before_sale} label="Accuracy of the values shown before a sale" />
              </>
            ) : (
              <p className="muted">None of these sales had a value shown before it sold yet: the console keeps each home&apos;s value once a day as it values it, and scores it here once the home sells.</p>
            )}
            {r.rent && (
              <>
                <h2>Rent</h2>
                <p className="muted small">{r.rent.basis}.</p>
                <MeasureTable section={r.rent} label="Accuracy of rent estimates" />
              </>
            )}
            <h2>Each sale</h2>
            <ExportButton
              name="accuracy-sales.csv"
              rows={() => r.sales.rows.map((row) => ({ sale: row.id, address: row.address, zip: row.zip, type: row.property_type, closed: row.date, valued_as_of: row.as_of, price: row.price, value: row.value, low: row.low, high: row.high, basis: row.basis, ratio: row.ratio, range_held: row.held }))}
            />
          </>
        )}
      </QueryState>
    </>
  );
}

function MeasureCard({ m }: { m: RatioMeasure }) {
  return (
    <li className="card" data-testid={`accuracy-${m.key}`} title={m.basis}>
      <span className="card-value">{formatMeasureValue(m.value, m)}</span>
      <span className="card-label">{m.label}</span>
      {m.ci && <span className="muted small">95% CI {formatMeasureInterval(m)}</span>}
      {m.target && (
        <span className={`small ${m.pass === false ? 'error' : m.pass ? 'ok' : 'muted'}`}>
          target {m.target.label}{m.pass !== null ? `: ${formatMeasureResult(m)}` : ''}
        </span>
      )}
    </li>
  );
}

function MeasureTable({ section, label }: { section: AccuracySection; label: string }) {
  const { study } = section;
  return (
    <>
      <p className="muted small">
        {int(study.valued)} of {int(study.sales)} sales valued; {int(study.with_range)} with an 80% range.
      </p>
      <table aria-label={label}>
        <thead>
          <tr><th>Measure</th><th>Value</th><th>95% interval</th><th>Target</th><th>Result</th><th>How it is computed</th></tr>
        </thead>
        <tbody>
          {RATIO_MEASURE_KEYS.map((key) => {
            const m = study[key];
            return (
              <tr key={key}>
                <td>{m.label}</td>
                <td>{formatMeasureValue(m.value, m)}</td>
                <td>{formatMeasureInterval(m) || '—'}{m.ci && <span className="muted small"> ({m.ci.method})</span>}</td>
                <td>{m.target ? <span title={m.target.source}>{m.target.label}</span> : '—'}</td>
                <td className={m.pass === false ? 'error' : m.pass ? 'ok' : undefined}>{formatMeasureResult(m) || '—'}</td>
                <td className="small">{m.basis}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

function BreakdownTable({ groups, label }: { groups: readonly RatioBreakdown[]; label: string }) {
  return (
    <table aria-label={label}>
      <thead>
        <tr><th>Group</th><th>Sales</th><th>Valued</th><th>Median ratio</th><th>COD</th><th>PRD</th><th>Within ±10%</th><th>Median error</th><th>80% range held</th></tr>
      </thead>
      <tbody>
        {groups.map(({ key, label: name, study }) => (
          <tr key={key}>
            <td>{name}</td>
            <td>{int(study.sales)}</td>
            {(['coverage', 'median_ratio', 'cod', 'prd', 'within_10', 'median_abs_error', 'range_held'] as const).map((k) => (
              <td key={k} className={study[k].pass === false ? 'error' : undefined}>{formatMeasureValue(study[k].value, study[k])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Dollars as an axis tick: `$250k`, `$1.5M`. */
function tickDollars(v: number): string {
  return v >= 1_000_000 ? `$${(v / 1_000_000).toFixed(v % 1_000_000 === 0 ? 0 : 1)}M` : `$${Math.round(v / 1000)}k`;
}

const PRICE_TICKS = [100_000, 150_000, 200_000, 300_000, 500_000, 750_000, 1_000_000, 1_500_000, 2_000_000, 3_000_000, 5_000_000, 10_000_000];

/** Ratio (value ÷ price) against sale price (log scale), with the 1.00 line and the ±10% band. */
function RatioChart({ section }: { section: AccuracySection }) {
  const points = section.rows.flatMap((row) => (row.ratio === null ? [] : [{ price: row.price, ratio: row.ratio }]));
  const prices = points.map((p) => p.price);
  const [lowest, highest] = [Math.min(...prices), Math.max(...prices)];
  const xTicks = PRICE_TICKS.filter((t) => t >= lowest && t <= highest);
  const top = Math.max(1.5, Math.ceil(Math.max(...points.map((p) => p.ratio)) * 2) / 2);
  const yTicks = Array.from({ length: top * 2 + 1 }, (_, i) => i / 2);
  return (
    <figure className="chart" aria-label="Ratio against sale price">
      <figcaption>Value ÷ sale price against sale price, each sale valued the day before it closed (1.00: valued at its price; the band: within ±10%)</figcaption>
      <ResponsiveContainer width="100%" height={300}>
        <ScatterChart margin={{ top: 8, right: 40, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" dataKey="price" name="Sale price" scale="log" domain={[lowest, highest]} ticks={xTicks} tickFormatter={tickDollars} />
          <YAxis type="number" dataKey="ratio" name="Value ÷ price" domain={[0, top]} ticks={yTicks} tickFormatter={(v: number) => v.toFixed(2)} />
          <ReferenceArea y1={0.9} y2={1.1} fill="#1f7a3a" fillOpacity={0.12} ifOverflow="extendDomain" />
          <ReferenceLine y={1} stroke="#1f7a3a" label={{ value: '1.00', position: 'right', fill: '#1f7a3a' }} />
          <Tooltip formatter={(v, name) => (name === 'Sale price' ? money(Number(v)) : Number(v).toFixed(3))} labelFormatter={() => ''} />
          <Scatter data={points} fill="#2f6fde" isAnimationActive={false} />
        </ScatterChart>
      </ResponsiveContainer>
      <p className="muted small">{int(points.length)} valued sales; sales the model could not value are not drawn (see Valued).</p>
    </figure>
  );
}
