import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { DEAL_STATUSES, tagSchema } from '../../shared/schemas/analyst-layer.js';
import { DEAL_STATUS_LABELS } from '../../shared/schemas/deal-pipeline.js';
import type { PropertyFilters, PropertyListInput } from '../../shared/contract.js';
import { QUEUE_STATUSES } from '../../shared/schemas/queue.js';
import { SOURCES } from '../../shared/schemas/common.js';
import { useBridge, useContractQuery } from '../api/use-bridge.js';
import { downloadCsv } from '../ui/csv.js';
import { usePropertyFilters } from '../ui/filters.js';
import { ActionError, QueryState, int } from '../ui/state.js';
import { COLUMNS, visibleColumns, type ListRow } from './property/columns.js';
import { ColumnChooser, useColumnChoice } from './property/column-choice.js';
import { PropertyGrid } from './property/property-grid.js';
import { csvRow } from '../../shared/property-csv.js';
import { FigureFilterFields, figureFilters } from './property/figures.js';
import { PropertyPanel, useOpenProperty } from './property/property-panel.js';
import { SavedSearches } from './saved-searches.js';
import { SampleOffer } from '../ui/sample-data.js';
import { counted } from '../../shared/plural.js';

const PAGE_SIZE = 100;
/** Rows fetched per request when exporting every matching row. */
const EXPORT_PAGE = 500;

type SortField = PropertyListInput['sort']['field'];

/** Filters as typed in the form (strings), turned into the contract's filters. */
function toFilters(form: FormData): PropertyFilters {
  const text = (k: string) => String(form.get(k) ?? '').trim();
  const num = (k: string) => (text(k) === '' ? undefined : Number(text(k)));
  const f: PropertyFilters = {};
  const zips = text('zip').split(/[\s,]+/).filter(Boolean);
  if (zips.length) f.zip = zips;
  if (text('source')) f.source = text('source') as PropertyFilters['source'];
  if (text('status')) f.status = text('status') as PropertyFilters['status'];
  for (const [k, v] of [['minPrice', num('minPrice')], ['maxPrice', num('maxPrice')], ['minBeds', num('minBeds')], ['minQuality', num('minQuality')], ['maxQuality', num('maxQuality')]] as const) {
    if (v !== undefined && Number.isFinite(v)) f[k] = v;
  }
  if (text('search')) f.search = text('search');
  if (form.get('priceDropped') === 'on') f.priceDropped = true;
  if (text('tag')) f.tag = text('tag');
  if (text('dealStatus')) f.dealStatus = text('dealStatus') as PropertyFilters['dealStatus'];
  return { ...f, ...figureFilters(form) };
}

/**
 * The analyst's lists (issue #23): the properties carrying a tag, or in a deal status, as the
 * analyst set them under "Your work"; filtered by the server (`properties.list`'s `tag` and
 * `dealStatus`, on the row's summary).
 */
function AnalystFilterFields({ filters, tagError }: { filters: PropertyFilters; tagError: string | null }) {
  return (
    <>
      <div className="field">
        <label htmlFor="filter-tag">Tag</label>
        <input id="filter-tag" name="tag" placeholder="any tag" size={10} maxLength={40} defaultValue={filters.tag ?? ''} aria-invalid={tagError ? true : undefined} aria-describedby={tagError ? 'filter-tag-error' : undefined} />
        {tagError && <span id="filter-tag-error" className="error small" role="alert">{tagError}</span>}
      </div>
      {/* Labelled by its own words only: a label wrapping the select would also be named by every option's text. */}
      <div className="field">
        <label htmlFor="filter-deal-status">Deal status</label>
        <select id="filter-deal-status" name="dealStatus" defaultValue={filters.dealStatus ?? ''}>
          <option value="">any</option>
          {DEAL_STATUSES.map((s) => <option key={s} value={s}>{DEAL_STATUS_LABELS[s]}</option>)}
        </select>
      </div>
    </>
  );
}

/** The filter form, filled from the filters in force (shared with the Map page). */
export function FilterForm({ children }: { children?: ReactNode }) {
  const { filters, setFilters, revision } = usePropertyFilters();
  const [tagError, setTagError] = useState<string | null>(null);
  const onFilter = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    // The tag checked as the contract checks it, and said beside the field: nothing applied until it can be a tag.
    const tag = String(form.get('tag') ?? '').trim();
    const problem = tag === '' ? null : (tagSchema.safeParse(tag).error?.issues[0]?.message ?? null);
    setTagError(problem);
    if (problem === null) setFilters(toFilters(form));
  };
  return (
    <form key={revision} className="filters" onSubmit={onFilter} aria-label="Filters">
      <label>Search <input name="search" placeholder="address or APN" defaultValue={filters.search ?? ''} /></label>
      <label>ZIP <input name="zip" placeholder="85031, 85033" size={12} defaultValue={filters.zip?.join(', ') ?? ''} /></label>
      <label>Source <select name="source" defaultValue={filters.source ?? ''}><option value="">any</option>{SOURCES.map((s) => <option key={s}>{s}</option>)}</select></label>
      <label>Queue status <select name="status" defaultValue={filters.status ?? ''}><option value="">any</option>{QUEUE_STATUSES.map((s) => <option key={s}>{s}</option>)}</select></label>
      <label>Asking price from <input name="minPrice" type="number" min={0} step={1000} size={8} defaultValue={filters.minPrice ?? ''} /></label>
      <label>to <input name="maxPrice" type="number" min={0} step={1000} size={8} defaultValue={filters.maxPrice ?? ''} /></label>
      <FigureFilterFields filters={filters} />
      <label>Beds ≥ <input name="minBeds" type="number" min={0} size={3} defaultValue={filters.minBeds ?? ''} /></label>
      <label>Quality from <input name="minQuality" type="number" min={0} max={1} step={0.05} size={4} defaultValue={filters.minQuality ?? ''} /></label>
      <label>to <input name="maxQuality" type="number" min={0} max={1} step={0.05} size={4} defaultValue={filters.maxQuality ?? ''} /></label>
      <label className="check"><input type="checkbox" name="priceDropped" defaultChecked={filters.priceDropped === true} /> Price dropped</label>
      <AnalystFilterFields filters={filters} tagError={tagError} />
      <button type="submit">Apply</button>
      {children}
    </form>
  );
}

export function PropertiesPage() {
  const bridge = useBridge();
  const { filters } = usePropertyFilters();
  const { openId, open, close } = useOpenProperty('properties');
  const [sort, setSort] = useState<{ field: SortField; direction: 'asc' | 'desc' }>({ field: 'collected_at', direction: 'desc' });
  const [page, setPage] = useState(1);
  const [exporting, setExporting] = useState<{ busy: boolean; error: Error | null }>({ busy: false, error: null });
  const input: PropertyListInput = { page, pageSize: PAGE_SIZE, sort, filters };
  const list = useContractQuery('properties.list', input, { keepPrevious: true });
  const items = (list.data?.items ?? []) as ListRow[];
  const columns = visibleColumns(items);
  const choice = useColumnChoice();
  const shownColumns = columns.filter((c) => choice.shown.has(c.key));
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / PAGE_SIZE)) : 1;

  // New filters: back to page 1, and the open property closes once the new list lacks it.
  const checkOpen = useRef(false);
  const lastFilters = useRef(filters);
  useEffect(() => {
    if (lastFilters.current === filters) return;
    lastFilters.current = filters;
    setPage(1);
    checkOpen.current = true;
  }, [filters]);
  useEffect(() => {
    if (!checkOpen.current || !list.data || list.isPlaceholderData) return;
    checkOpen.current = false;
    if (openId && !items.some((r) => r.id === openId)) close();
  }, [list.data, list.isPlaceholderData, openId, items, close]);

  const sortBy = (field: SortField) => {
    setSort((s) => ({ field, direction: s.field === field && s.direction === 'desc' ? 'asc' : 'desc' }));
    setPage(1);
  };
  const exportAll = async () => {
    setExporting({ busy: true, error: null });
    try {
      const all: ListRow[] = [];
      for (let n = 1; ; n += 1) {
        const res = await bridge['properties.list']({ page: n, pageSize: EXPORT_PAGE, sort, filters });
        all.push(...(res.items as ListRow[]));
        if (all.length >= res.total || res.items.length === 0) break;
      }
      const cols = visibleColumns(all);
      downloadCsv('properties.csv', all.map((r) => csvRow(r, cols)));
      setExporting({ busy: false, error: null });
    } catch (error) {
      setExporting({ busy: false, error: error as Error });
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>Properties</h1>
      <SampleOffer />
      <FilterForm>
        <button type="button" className="secondary" onClick={() => void exportAll()} disabled={exporting.busy}>
          {exporting.busy ? 'Exporting…' : `Export all ${list.data ? int(list.data.total) : ''} (CSV)`}
        </button>
      </FilterForm>
      <ActionError error={exporting.error} what="Export" />
      <SavedSearches />

      <QueryState query={list} empty={list.data?.total === 0 ? 'No properties match. Collect some from the Collection page, or loosen the filters.' : false}>
        <div className="list-head">
          <p className="muted" role="status">
            {counted(list.data?.total ?? 0, 'property', 'properties', int)} · page {page} of {pages}
            {list.isFetching && ' · updating…'}
          </p>
          <ColumnChooser columns={COLUMNS} available={new Set(columns.map((c) => c.key))} choice={choice} />
        </div>
        <PropertyGrid items={items} columns={shownColumns} sort={sort} onSort={sortBy} openId={openId} onOpen={open} />
        <nav className="pager" aria-label="Pages of properties">
          <button type="button" disabled={page <= 1} onClick={() => setPage((n) => n - 1)}>Previous</button>
          <button type="button" disabled={page >= pages} onClick={() => setPage((n) => n + 1)}>Next</button>
        </nav>
      </QueryState>
      {openId && <PropertyPanel id={openId} onClose={close} />}
    </>
  );
}
