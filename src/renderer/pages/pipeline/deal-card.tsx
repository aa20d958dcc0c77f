import { useEffect, useRef, useState, type FormEvent } from 'react';
import { DEAL_STATUSES, type DealStatus } from '../../../shared/schemas/analyst-layer.js';
import { DEAL_STATUS_LABELS, type PipelineCard } from '../../../shared/schemas/deal-pipeline.js';
import { dollars, percent } from '../../../shared/money-format.js';
import { BASIS_SHORT, VALUE_BASIS_LABELS } from '../../../shared/valuation/basis-labels.js';
import { valueRangeText } from '../../../shared/valuation/value-range-text.js';
import { SampleBadge } from '../../ui/sample-data.js';
import { when } from '../../ui/state.js';
import { counted } from '../../../shared/plural.js';

/** The share of sales the value's range (`value_low`–`value_high`) is made to hold: the appraisal's 80% range. */
const RANGE_LEVEL = 0.8;

const daysText = (n: number) => counted(n, 'day');

/**
 * The value as a card shows it, as the Properties list writes it (`valueRangeText`: the
 * estimate, "est." and its 80% range; its title the basis and day), the basis in short and its
 * day below. A legacy record's asking price stored as a value is no estimate: its figure alone.
 */
function ValueFigure({ c }: { c: PipelineCard }) {
  if (c.value === null) return <>—</>;
  const label = c.value_basis ? VALUE_BASIS_LABELS[c.value_basis] : 'basis unknown';
  const range = c.value_low !== null && c.value_high !== null ? `; ${Math.round(RANGE_LEVEL * 100)}% of real sales fall in such a range` : '';
  return (
    <>
      {c.value_basis === 'active_listing' ? dollars(c.value) : <span title={`an estimate: ${label}${c.value_date ? ` as of ${c.value_date}` : ''}${range}`}>{valueRangeText(c.value, c.value_low, c.value_high, RANGE_LEVEL)}</span>}
      <br />
      <span className="muted small">
        {c.value_basis ? BASIS_SHORT[c.value_basis] : 'basis unknown'}
        {c.value_date && ` · ${c.value_date}`}
      </span>
    </>
  );
}

/**
 * One deal on the Pipeline: its address (opens the property), the asking price, the value
 * (est.), the cap rate (est., from the estimated rent), its tags and days in status, and a
 * Move form (a select and a button, so the keyboard moves it and an arrow key alone does not).
 * `focused`: the card was just moved here, so its Move select takes the focus.
 */
export function DealCard({ c, onOpen, onMove, moving, focused }: { c: PipelineCard; onOpen: (id: string) => void; onMove: (c: PipelineCard, to: DealStatus) => void; moving: boolean; focused: boolean }) {
  const others = DEAL_STATUSES.filter((s) => s !== c.status);
  // The next stage is offered first (new → watching → offer → under contract → passed).
  const [to, setTo] = useState<DealStatus>(DEAL_STATUSES[DEAL_STATUSES.indexOf(c.status) + 1] ?? others[0]!);
  const select = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    if (focused) select.current?.focus();
  }, [focused]);
  const name = c.address ?? c.source_id;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    onMove(c, to);
  };
  return (
    <article className="deal-card" aria-label={name} data-testid="deal-card" data-id={c.id}>
      <h3 className="deal-address">
        <button type="button" className="link" data-open-id={c.id} onClick={() => onOpen(c.id)}>
          {name}
        </button>
        {c.sample && <SampleBadge />}
      </h3>
      <dl className="deal-figures">
        <dt>Asking</dt>
        <dd>{c.price === null ? 'not listed' : dollars(c.price)}</dd>
        <dt>Value</dt>
        <dd><ValueFigure c={c} /></dd>
        <dt>Cap rate</dt>
        <dd>
          {c.cap_rate === null ? '—' : (
            <>
              {percent(c.cap_rate)} <abbr className="est" title={`from the estimated rent${c.rent_detail ? `: ${c.rent_detail}` : ''}`}>est.</abbr>
            </>
          )}
        </dd>
        <dt>In status</dt>
        <dd data-testid="days-in-status" title={c.status_since ? `since ${when(c.status_since)}` : 'moved here before the console kept since when'}>
          {c.days_in_status === null ? '—' : daysText(c.days_in_status)}
        </dd>
      </dl>
      {c.tags.length > 0 && (
        <p className="deal-tags small">
          {c.tags.map((t) => <span key={t} className="tag">{t}</span>)}
        </p>
      )}
      <form className="deal-move" onSubmit={onSubmit} aria-label={`Move ${name}`}>
        <label>
          Move to{' '}
          <select ref={select} value={to} onChange={(e) => setTo(e.target.value as DealStatus)} aria-label={`Move ${name} to`}>
            {others.map((s) => <option key={s} value={s}>{DEAL_STATUS_LABELS[s]}</option>)}
          </select>
        </label>
        <button type="submit" className="secondary" disabled={moving}>Move</button>
      </form>
    </article>
  );
}
