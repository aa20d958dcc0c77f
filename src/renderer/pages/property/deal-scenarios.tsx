import { useMemo, useState } from 'react';
import type { DealInputs } from '../../../shared/deal/deal-inputs.js';
import { scenarioFigures, type ScenarioFigures } from '../../../shared/deal/scenario-figures.js';
import { STANDARD_SCENARIO_NAMES, scenarioNameSchema, type DealScenario } from '../../../shared/schemas/deal-scenario.js';
import type { MarketTrendValue } from '../../../shared/underwriting/comparables.js';
import { useContractMutation } from '../../api/use-bridge.js';
import { ActionError } from '../../ui/state.js';
import { dollars, percent } from './figures.js';
import { useRecommendationRules } from './recommendation-rules.js';
import { counted } from '../../../shared/plural.js';

const when = (d: Date) => new Date(d).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });

/** The first of base, bull, bear not saved yet, else "" (the analyst names it). */
const nextName = (saved: readonly DealScenario[]) => STANDARD_SCENARIO_NAMES.find((n) => !saved.some((s) => s.name.toLowerCase() === n)) ?? '';

/**
 * The property's deal scenarios (issue #23): the fields above saved under a name (base, bull,
 * bear or the analyst's own; saved again under a name it replaces that one), kept in the
 * analyst's layer with when; each can be loaded back into the fields, renamed or deleted; and
 * all of them compared side by side (`ScenarioComparison`). `current`: the fields' inputs when
 * every one is accepted, else null (nothing is saved out of range). `estimated`: what the
 * property's figures rest on that is an estimate (the rent, the value), or null.
 */
export function DealScenarios({ propertyId, saved, current, trend, estimated, onLoad }: { propertyId: string; saved: DealScenario[]; current: DealInputs | null; trend: MarketTrendValue; estimated: string | null; onLoad: (inputs: DealInputs) => void }) {
  const save = useContractMutation('properties.saveScenario', ['properties.get']);
  const remove = useContractMutation('properties.deleteScenario', ['properties.get']);
  const [name, setName] = useState(() => nextName(saved));
  const [renaming, setRenaming] = useState<{ from: string; to: string } | null>(null);
  const nameError = name.trim() === '' ? null : (scenarioNameSchema.safeParse(name).error?.issues[0]?.message ?? null);
  const renameError = renaming && (scenarioNameSchema.safeParse(renaming.to).error?.issues[0]?.message ?? null);
  const busy = save.isPending || remove.isPending;
  const saveAs = () => {
    if (!current) return;
    save.mutate({ id: propertyId, name: name.trim(), inputs: current }, { onSuccess: (r) => setName(nextName(r.analyst.scenarios ?? [])) });
  };
  const rename = (s: DealScenario) => renaming && save.mutate({ id: propertyId, name: renaming.to.trim(), inputs: s.inputs, rename_from: s.name }, { onSuccess: () => setRenaming(null) });
  return (
    <section aria-label="Scenarios" data-testid="deal-scenarios">
      <h4>Scenarios</h4>
      <form className="fields" aria-label="Save a scenario" onSubmit={(e) => { e.preventDefault(); saveAs(); }}>
        <label htmlFor="scenario-name">Scenario name</label>
        <input id="scenario-name" name="scenario-name" list="scenario-names" value={name} maxLength={40} aria-invalid={nameError ? true : undefined} aria-describedby={nameError ? 'scenario-name-error' : undefined} onChange={(e) => setName(e.target.value)} />
        <datalist id="scenario-names">{STANDARD_SCENARIO_NAMES.map((n) => <option key={n} value={n} />)}</datalist>
        <button type="submit" disabled={!current || name.trim() === '' || nameError !== null || busy}>Save these inputs as a scenario</button>
        {nameError && <span className="error" role="alert" id="scenario-name-error">{nameError}</span>}
        {!current && <span className="muted">A field is out of range: nothing to save until it is accepted.</span>}
      </form>
      <ActionError error={save.error ?? remove.error} what="Saving the scenario" />
      {saved.length === 0 ? (
        <p className="muted" data-testid="scenarios-none">No scenario saved for this property yet: set the fields above, name it (base, bull, bear or your own) and save it.</p>
      ) : (
        <>
          <ScenarioComparison saved={saved} trend={trend} estimated={estimated} />
          <ul className="scenario-actions" aria-label="Saved scenarios">
            {saved.map((s) => (
              <li key={s.name} data-testid={`scenario-${s.name}`}>
                {renaming?.from === s.name ? (
                  <form className="fields" aria-label={`Rename ${s.name}`} onSubmit={(e) => { e.preventDefault(); if (!renameError) rename(s); }}>
                    <label htmlFor="scenario-rename">New name for {s.name}</label>
                    <input id="scenario-rename" value={renaming.to} maxLength={40} aria-invalid={renameError ? true : undefined} onChange={(e) => setRenaming({ from: s.name, to: e.target.value })} />
                    <button type="submit" disabled={busy || renameError !== null}>Rename</button>
                    <button type="button" className="secondary" onClick={() => setRenaming(null)}>Cancel</button>
                    {renameError && <span className="error" role="alert">{renameError}</span>}
                  </form>
                ) : (
                  <>
                    <strong>{s.name}</strong> <span className="muted">saved {when(s.set_at)}</span>{' '}
                    <button type="button" className="secondary" onClick={() => onLoad(s.inputs)}>Load into the fields</button>{' '}
                    <button type="button" className="secondary" disabled={busy} onClick={() => setRenaming({ from: s.name, to: s.name })}>Rename</button>{' '}
                    <button type="button" className="secondary" disabled={busy} onClick={() => remove.mutate({ id: propertyId, name: s.name })}>Delete</button>
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/**
 * The saved scenarios side by side: for each, the first year's monthly cash flow, cap rate,
 * cash-on-cash and DSCR, the IRR and total return over its holding period, and its call by the
 * thresholds in force (Settings), all computed here with the shared deal module
 * (`scenarioFigures`). The year-1 figures say "est." when the property's rent or value is an
 * estimate; the IRR and total return always do (they rest on the scenario's growth, appreciation
 * and sale).
 */
export function ScenarioComparison({ saved, trend, estimated }: { saved: DealScenario[]; trend: MarketTrendValue; estimated: string | null }) {
  const rules = useRecommendationRules();
  const figures = useMemo(() => (rules ? saved.map((s) => ({ s, f: scenarioFigures(s.inputs, rules, trend) })) : null), [saved, rules, trend]);
  if (!figures) return <p className="muted">Reading the buy/watch/pass thresholds…</p>;
  const est = estimated ? <abbr className="est" title={`an estimate: rests on ${estimated}`}> est.</abbr> : null;
  const projected = <abbr className="est" title="an estimate: projected from the scenario's rent and expense growth, appreciation and sale"> est.</abbr>;
  const row = (label: string, testId: string, cell: (f: ScenarioFigures) => React.ReactNode) => (
    <tr data-testid={`scenario-row-${testId}`}>
      <th scope="row">{label}</th>
      {figures.map(({ s, f }) => <td key={s.name}>{cell(f)}</td>)}
    </tr>
  );
  return (
    <div className="table-scroll">
      <table data-testid="scenario-comparison" aria-label="Scenarios side by side">
        <caption>Scenarios side by side: year 1, then over each one's hold; the call by the thresholds in Settings</caption>
        <thead>
          <tr><th scope="col">Figure</th>{figures.map(({ s }) => <th scope="col" key={s.name}>{s.name}</th>)}</tr>
        </thead>
        <tbody>
          {row('Cash flow a month', 'cash-flow', (f) => <>{dollars(f.cashFlowMonthly)}{est}</>)}
          {row('Cap rate', 'cap-rate', (f) => <>{percent(f.capRate, 2)}{est}</>)}
          {row('Cash-on-cash', 'cash-on-cash', (f) => <>{f.cashOnCash === null ? '— (no cash invested)' : percent(f.cashOnCash, 2)}{est}</>)}
          {row('DSCR', 'dscr', (f) => <>{f.dscr === null ? '— (no loan)' : f.dscr.toFixed(2)}{est}</>)}
          {row('IRR', 'irr', (f) => <>{f.irr === null ? `undefined: ${f.irrUndefined ?? 'no rate solves the cash flows'}` : percent(f.irr, 2)}{projected}</>)}
          {row('Total return', 'total-return', (f) => <>{dollars(f.totalReturn)}{f.totalReturnRate === null ? '' : ` (${percent(f.totalReturnRate, 1)})`} over {counted(f.holdingYears, 'year')}{projected}</>)}
          {row('Call', 'call', (f) => <span title={f.reasons.join('\n')}>{f.recommendation}</span>)}
        </tbody>
      </table>
    </div>
  );
}
