import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState, type FormEvent } from 'react';
import type { PropertyFilters, PropertyListInput } from '../../shared/contract.js';
import { QUEUE_STATUSES } from '../../shared/schemas/queue.js';
import { SOURCES } from '../../shared/schemas/common.js';
import { useContractMutation, useContractQuery } from '../api/use-bridge.js';
import { ExportButton } from '../ui/csv.js';
import { ActionError, QueryState, dash, int, when } from '../ui/state.js';
import { SampleBadge, SampleOffer } from '../ui/sample-data.js';
import { FIGURE_COLUMNS, FigureCells, FigureFilterFields, csvRow, figureFilters } from './property/figures.js';
import { UnderwritingPanel } from './property/underwriting-panel.js';

const PAGE_SIZE = 100;
const ROW_HEIGHT = 34;

const COLUMNS = [
  { field: 'address', label: 'Address' },
  { field: 'zip', label: 'ZIP' },
  { field: 'price', label: 'List price' },
  ...FIGURE_COLUMNS,
  { field: 'bedrooms', label: 'Beds' },
  { field: 'bathrooms', label: 'Baths' },
  { field: 'square_feet', label: 'Sq ft' },
  { field: 'year_built', label: 'Built' },
  { field: 'quality_score', label: 'Quality' },
  { field: 'collected_at', label: 'Collected' },
] as const;
type SortField = (typeof COLUMNS)[number]['field'];

/** Filters as typed in the form (strings), turned into the contract's filters. */
function toFilters(form: FormData): PropertyFilters {
  const text = (k: string) => String(form.get(k) ?? '').trim();
  const num = (k: string) => (text(k) === '' ? undefined : Number(text(k)));
  const f: PropertyFilters = {};
  const zips = text('zip').split(/[\s,]+/).filter(Boolean);
  if (zips.length) f.zip = zips;
  if (text('source')) f.source = text('source') as PropertyFilters['source'];
  if (text('status')) f.status = text('status') as PropertyFilters['status'];
  for (const [k, v] of [['minBeds', num('minBeds')], ['minQuality', num('minQuality')], ['maxQuality', num('maxQuality')]] as const) {
    if (v !== undefined && Number.isFinite(v)) f[k] = v;
  }
  if (text('search')) f.search = text('search');
  return { ...f, ...figureFilters(form) };
}

export function PropertiesPage() {
  const [filters, setFilters] = useState<PropertyFilters>({});
  const [sort, setSort] = useState<{ field: SortField; direction: 'asc' | 'desc' }>({ field: 'collected_at', direction: 'desc' });
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string | null>(null);
  const input: PropertyListInput = { page, pageSize: PAGE_SIZE, sort, filters };
  const list = useContractQuery('properties.list', input, { keepPrevious: true });
  const items = list.data?.items ?? [];
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / PAGE_SIZE)) : 1;

  const scroller = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({ count: items.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });

  const onFilter = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setFilters(toFilters(new FormData(e.currentTarget)));
    setPage(1);
  };
  const sortBy = (field: SortField) => {
    setSort((s) => ({ field, direction: s.field === field && s.direction === 'desc' ? 'asc' : 'desc' }));
    setPage(1);
  };

  return (
    <>
      <h1>Properties</h1>
      <SampleOffer />
      <form className="filters" onSubmit={onFilter} aria-label="Filters">
        <label>Search <input name="search" placeholder="address or APN" /></label>
        <label>ZIP <input name="zip" placeholder="85031, 85033" size={12} /></label>
        <label>Source <select name="source" defaultValue=""><option value="">any</option>{SOURCES.map((s) => <option key={s}>{s}</option>)}</select></label>
        <label>Status <select name="status" defaultValue=""><option value="">any</option>{QUEUE_STATUSES.map((s) => <option key={s}>{s}</option>)}</select></label>
        <FigureFilterFields />
        <label>Beds ≥ <input name="minBeds" type="number" min={0} size={3} /></label>
        <label>Quality from <input name="minQuality" type="number" min={0} max={1} step={0.05} size={4} /></label>
        <label>to <input name="maxQuality" type="number" min={0} max={1} step={0.05} size={4} /></label>
        <button type="submit">Apply</button>
        <ExportButton name={`properties-page-${page}.csv`} rows={() => items.map(csvRow)} />
      </form>

      <QueryState query={list} empty={list.data?.total === 0 ? 'No properties match. Collect some from the Collection page, or loosen the filters.' : false}>
        <p className="muted" role="status">
          {int(list.data?.total ?? 0)} properties · page {page} of {pages}
          {list.isFetching && ' · updating…'}
        </p>
        <div className="grid with-figures" role="table" aria-label="Properties" aria-rowcount={items.length + 1}>
          <div role="row" className="grid-row grid-head">
            {COLUMNS.map((c) => (
              <span role="columnheader" key={c.field} aria-sort={sort.field === c.field ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
                <button type="button" className="link" onClick={() => sortBy(c.field)}>
                  {c.label}
                  {sort.field === c.field ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              </span>
            ))}
          </div>
          <div ref={scroller} className="grid-body" data-testid="property-rows">
            <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
              {rows.getVirtualItems().map((v) => {
                const p = items[v.index]!;
                return (
                  <div
                    role="row"
                    key={p.id}
                    tabIndex={0}
                    className={`grid-row${selected === p.id ? ' selected' : ''}`}
                    style={{ position: 'absolute', top: 0, transform: `translateY(${v.start}px)`, height: ROW_HEIGHT, width: '100%' }}
                    onClick={() => setSelected(p.id)}
                    onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && setSelected(p.id)}
                    aria-selected={selected === p.id}
                  >
                    <span role="cell">{p.sample && <SampleBadge />}{p.address ?? p.source_id}</span>
                    <span role="cell">{dash(p.zip)}</span>
                    <span role="cell">{p.price === null ? '—' : `$${int(p.price)}`}</span>
                    <FigureCells row={p} />
                    <span role="cell">{dash(p.bedrooms)}</span>
                    <span role="cell">{dash(p.bathrooms)}</span>
                    <span role="cell">{p.square_feet === null ? '—' : int(p.square_feet)}</span>
                    <span role="cell">{dash(p.year_built)}</span>
                    <span role="cell">{p.quality_score === null ? (p.status ?? 'new') : p.quality_score.toFixed(2)}</span>
                    <span role="cell">{when(p.collected_at)}</span>
                  </div>
                );
              })}
            </div>
          </div>
        </div>
        <nav className="pager" aria-label="Pages of properties">
          <button type="button" disabled={page <= 1} onClick={() => setPage((n) => n - 1)}>Previous</button>
          <button type="button" disabled={page >= pages} onClick={() => setPage((n) => n + 1)}>Next</button>
        </nav>
      </QueryState>
      {selected && <PropertyDetail id={selected} onClose={() => setSelected(null)} />}
    </>
  );
}

function PropertyDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const detail = useContractQuery('properties.get', { id });
  const reprocess = useContractMutation('processing.reprocess', ['properties.get', 'properties.list', 'queue.summary']);
  const d = detail.data;
  const p = d?.processed;
  return (
    <aside className="detail" aria-label="Property detail">
      <header className="detail-head">
        <h2>{p?.normalized.address.street ?? d?.source_id ?? id}{d?.data.sample === true && <SampleBadge />}</h2>
        <button type="button" className="secondary" onClick={onClose}>Close</button>
      </header>
      <QueryState query={detail}>
        {d && (
          <>
            <p>
              {d.source} · {d.source_id} · collected {when(d.collected_at)} · queue: <strong data-testid="detail-status">{d.queue?.status ?? 'not queued'}</strong>
            </p>
            <button type="button" onClick={() => reprocess.mutate({ ids: [id] })} disabled={reprocess.isPending}>
              Reprocess
            </button>
            {reprocess.data && <span role="status"> {reprocess.data.queued === 1 ? 'Queued for processing.' : 'Already queued.'}</span>}
            <ActionError error={reprocess.error} what="Reprocess" />
            {p ? (
              <>
                <h3>Quality {p.quality_score.toFixed(2)}</h3>
                <ul data-testid="quality-reasons">{p.quality_reasons.length ? p.quality_reasons.map((r) => <li key={r}>{r}</li>) : <li>No deductions.</li>}</ul>
                {p.quality_notes?.length ? <ul className="muted" data-testid="quality-notes">{p.quality_notes.map((r) => <li key={r}>{r}</li>)}</ul> : null}
                <h3>Enrichment <span className="muted">({p.processing_metadata.llm_model})</span></h3>
                <p data-testid="description">{p.llm_enrichment.description}</p>
                <ul>{p.llm_enrichment.key_features.map((f) => <li key={f}>{f}</li>)}</ul>
                {p.llm_enrichment.investment_summary && <p>{p.llm_enrichment.investment_summary}</p>}
                <UnderwritingPanel processed={p} />
                <h3>Normalised record</h3>
                <pre>{JSON.stringify(p.normalized, null, 2)}</pre>
              </>
            ) : (
              <p className="muted">Not processed yet.</p>
            )}
            <h3>Price history</h3>
            {d.price_history.length === 0 ? <p className="muted">No price changes recorded.</p> : (
              <table>
                <thead><tr><th>When</th><th>Price</th><th>Field</th></tr></thead>
                <tbody>{d.price_history.map((h, i) => <tr key={i}><td>{when(h.at)}</td><td>{dash(h.price)}</td><td>{h.field}</td></tr>)}</tbody>
              </table>
            )}
            <details>
              <summary>Raw payload</summary>
              <pre>{JSON.stringify(d.original ?? d.data, null, 2)}</pre>
            </details>
          </>
        )}
      </QueryState>
    </aside>
  );
}
