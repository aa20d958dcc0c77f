import type { ReactNode } from 'react';
import { PROPERTY_SORT_FIELDS } from '../../../shared/contract.js';
import type { ListRow } from '../../../shared/property-csv.js';
import { dollars, percent } from '../../../shared/money-format.js';
import { BASIS_SHORT, STORED_VALUE_BASES, VALUE_BASIS_LABELS, type StoredValueBasis } from '../../../shared/valuation/basis-labels.js';
import { listToValueWords } from '../../../shared/valuation/list-to-value.js';
import { STALE_AFTER_MONTHS, valueAgeMark } from '../../../shared/valuation/value-age.js';
import { compactDollars } from '../../../shared/valuation/value-range-text.js';
import { phoenixDay } from '../../../shared/phoenix-time.js';
import type { UnderwritingOverrides } from '../../../shared/underwriting/overrides.js';
import type { DealStatus } from '../../../shared/schemas/analyst-layer.js';
import { DEAL_STATUS_LABELS } from '../../../shared/schemas/deal-pipeline.js';
import { ownTermsText } from '../../../shared/underwriting/terms-text.js';
import { SampleBadge } from '../../ui/sample-data.js';
import { dash, int, when } from '../../ui/state.js';

type SortField = (typeof PROPERTY_SORT_FIELDS)[number];

export type { ListRow } from '../../../shared/property-csv.js';

export interface Column {
  key: string;
  label: string;
  /**
   * The cell may wrap between its parts (the address; the value, its range, its basis and date):
   * every other cell is one line, as wide as its text, so no figure is ever cut off.
   */
  wraps?: boolean;
  render: (r: ListRow) => ReactNode;
  /** The value exported to CSV. */
  value: (r: ListRow) => unknown;
  /** Shown only when some row carries the field (deal figures from the valuation). */
  optional?: boolean;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const basisOf = (r: ListRow): StoredValueBasis | null => ((STORED_VALUE_BASES as readonly unknown[]).includes(r.value_basis) ? (r.value_basis as StoredValueBasis) : null);
/** The share of sales the summary's range (`value_low`–`value_high`) is made to hold: the appraisal's 80% range. */
const RANGE_LEVEL = 0.8;
const isEstimated = (r: ListRow, field: string) => Array.isArray(r.estimated) && r.estimated.includes(field);

/**
 * A figure that is always an estimate (the rent, and the cap rate and cash-on-cash computed
 * from it): "est." after it, its title saying what it was estimated from.
 */
function estimate(text: string, how: string): ReactNode {
  return text === '—' ? (
    text
  ) : (
    <>
      {text}{' '}
      <abbr className="est" title={how}>
        est.
      </abbr>
    </>
  );
}

/** Whole dollars with their sign before the dollar sign ("-$1,234", "+$5,000" with `plus`). */
const signedDollars = (n: number, plus = false) => (n < 0 ? `-${dollars(-n)}` : `${plus && n > 0 ? '+' : ''}${dollars(n)}`);

const rentHow = (r: ListRow) => `estimated rent${typeof r.rent_detail === 'string' ? `: ${r.rent_detail}` : ''}`;

/** The analyst's saved what-if terms the row's deal figures were computed with, or null (`summary.own_terms`). */
const ownTerms = (r: ListRow): UnderwritingOverrides | null => (r.own_terms && typeof r.own_terms === 'object' ? (r.own_terms as UnderwritingOverrides) : null);

/** How a deal figure was reached: from the rent, and with the analyst's terms when they were saved. */
const dealHow = (r: ListRow, what = '') => {
  const terms = ownTerms(r);
  return `${what}from the ${rentHow(r)}${terms ? `, with your saved terms: ${ownTermsText(terms)}` : ''}`;
};

/**
 * The "your terms" mark beside a deal figure computed with the analyst's saved what-if terms
 * (issue #23: a cap rate from saved terms of $290,000 and 30% down sat unmarked beside the
 * asking price), its title naming them. `which` are the terms the figure depends on (the cap
 * rate: the price and the rent, not the loan); none given, every term.
 */
function ownTermsMark(r: ListRow, which?: readonly (keyof UnderwritingOverrides)[]): ReactNode {
  const terms = ownTerms(r);
  const applies = terms !== null && (which === undefined || which.some((k) => terms[k] !== undefined));
  return (
    applies && (
      <>
        {' '}
        <abbr className="part own-terms" title={`computed with your saved what-if terms: ${ownTermsText(terms)}`} data-testid="own-terms">
          your terms
        </abbr>
      </>
    )
  );
}

/** The row's deal status and tags, as the analyst set them ("Offer · condo, scottsdale"), or nothing. */
function AnalystWork({ r }: { r: ListRow }) {
  const status = typeof r.deal_status === 'string' && r.deal_status in DEAL_STATUS_LABELS ? DEAL_STATUS_LABELS[r.deal_status as DealStatus] : null;
  const tags = Array.isArray(r.tags) ? r.tags.filter((t): t is string => typeof t === 'string') : [];
  if (!status && tags.length === 0) return null;
  return (
    <span className="part muted small analyst-work" data-testid="row-work" title="your deal status and tags (Your work)">
      {' '}
      {[status, tags.join(', ')].filter(Boolean).join(' · ')}
    </span>
  );
}

/** "est." after a figure the summary marks as estimated. */
function withEst(r: ListRow, field: string, text: string): ReactNode {
  return isEstimated(r, field) && text !== '—' ? (
    <>
      {text}{' '}
      <abbr className="est" title="estimated, not published by the source">
        est.
      </abbr>
    </>
  ) : (
    text
  );
}

/**
 * The Properties list's columns. The asking price is the price; the value is the automated
 * valuation's estimate ("$412,000 est. $380k–$445k (80%) COMPS 2026-11-20"), with "47 mo old"
 * after its date when it is as of more than 12 months ago (`value-age.ts`), its confidence and list ÷
 * value beside it ("8% under value", sorted on the server by `list_to_value`). The deal columns
 * (value, confidence, list ÷ value, rent, cap rate, cash-on-cash, monthly cash flow,
 * recommendation, price change) read optional summary fields and show once the valuation fills
 * them in; a row computed with the analyst's saved what-if terms says "your terms" beside the
 * figures they change, and its price column shows the saved price ("yours $290,000"). Which
 * columns show is the analyst's choice (`column-choice.ts`).
 */
export const COLUMNS: Column[] = [
  {
    key: 'address',
    label: 'Address',
    wraps: true,
    render: (r) => (
      <>
        {r.sample && <SampleBadge />}
        {r.address ?? r.source_id}
        {/* A property merged from several sources' records is one row: say which. */}
        {r.records && r.records.length > 1 && (
          <span className="muted" title={r.records.join(', ')} data-testid="row-sources">
            {' '}· {r.records.length} sources
          </span>
        )}
        <AnalystWork r={r} />
      </>
    ),
    value: (r) => r.address,
  },
  { key: 'zip', label: 'ZIP', render: (r) => dash(r.zip), value: (r) => r.zip },
  {
    key: 'price',
    label: 'Asking price',
    wraps: true,
    render: (r) => {
      const yours = ownTerms(r)?.price;
      return (
        <>
          <span className="part">{r.price === null ? '—' : dollars(r.price)}</span>
          {yours !== undefined && (
            <>
              {' '}
              <span className="part own-price" title="the purchase price of your saved what-if terms, which the deal figures use" data-testid="own-price">
                yours {dollars(yours)}
              </span>
            </>
          )}
        </>
      );
    },
    value: (r) => r.price,
  },
  {
    key: 'value',
    label: 'Value est. (80% range, basis, date)',
    optional: true,
    wraps: true,
    render: (r) => {
      const v = num(r.value);
      if (v === null) return '—';
      const basis = basisOf(r);
      const low = num(r.value_low);
      const high = num(r.value_high);
      const date = typeof r.value_date === 'string' ? r.value_date : null;
      const label = basis ? VALUE_BASIS_LABELS[basis] : 'basis unknown';
      const range = low !== null && high !== null ? `; ${Math.round(RANGE_LEVEL * 100)}% of real sales fall in such a range` : '';
      const age = date === null ? null : valueAgeMark(date, phoenixDay(new Date()));
      return (
        <>
          {/* Parts that never break inside, so the cell wraps between them rather than cut one. */}
          <span className="part">
            {/* Every value is an estimate, but a legacy record's asking price, which is no value at all. */}
            {basis === 'active_listing' ? dollars(v) : estimate(dollars(v), `an estimate: ${label}${date ? ` as of ${date}` : ''}${range}`)}
          </span>{' '}
          {low !== null && high !== null && (
            <>
              <span className="part muted small">
                {compactDollars(low)}–{compactDollars(high)} ({Math.round(RANGE_LEVEL * 100)}%)
              </span>{' '}
            </>
          )}
          <span className="part">
            <span className="badge" title={`basis: ${label}`}>{basis ? BASIS_SHORT[basis] : 'basis unknown'}</span>
            {date && <span className="muted small"> {date}</span>}
          </span>
          {age && (
            <>
              {' '}
              {/* Its own part, beside the date it counts from. */}
              <span className="part stale" title={`the value is as of ${date}, more than ${STALE_AFTER_MONTHS} months ago: the market has moved since`} data-testid="value-age">
                {age}
              </span>
            </>
          )}
        </>
      );
    },
    value: (r) => r.value,
  },
  {
    key: 'value_confidence',
    label: 'Confidence',
    optional: true,
    render: (r) => (typeof r.value_confidence === 'string' ? <span title="of the value: high when its 80% range is within ±10%, medium within ±20%, else low">{r.value_confidence}</span> : '—'),
    value: (r) => r.value_confidence,
  },
  {
    key: 'list_to_value',
    label: 'List ÷ value',
    optional: true,
    render: (r) => {
      const ratio = num(r.list_to_value);
      if (ratio === null) return '—';
      return <span title={`asking price ${r.price === null ? '—' : dollars(r.price)} ÷ estimated value ${num(r.value) === null ? '—' : dollars(num(r.value)!)} = ${ratio.toFixed(2)}`}>{listToValueWords(ratio)}</span>;
    },
    value: (r) => r.list_to_value,
  },
  {
    key: 'rent',
    label: 'Rent/mo',
    optional: true,
    wraps: true,
    // The analyst's own rent is no estimate: it says whose it is instead.
    render: (r) =>
      ownTerms(r)?.rent_monthly !== undefined && num(r.rent) !== null ? (
        <>
          <span className="part">{dollars(num(r.rent)!)}</span>
          {ownTermsMark(r, ['rent_monthly'])}
        </>
      ) : (
        <span className="part">{estimate(num(r.rent) === null ? '—' : dollars(num(r.rent)!), rentHow(r))}</span>
      ),
    value: (r) => r.rent,
  },
  {
    key: 'cap_rate',
    label: 'Cap',
    optional: true,
    wraps: true,
    render: (r) => (
      <>
        <span className="part">{estimate(num(r.cap_rate) === null ? '—' : percent(num(r.cap_rate)!), dealHow(r))}</span>
        {ownTermsMark(r, ['price', 'rent_monthly'])}
      </>
    ),
    value: (r) => r.cap_rate,
  },
  { key: 'cash_on_cash', label: 'CoC', optional: true, render: (r) => estimate(num(r.cash_on_cash) === null ? '—' : percent(num(r.cash_on_cash)!), dealHow(r)), value: (r) => r.cash_on_cash },
  {
    key: 'cash_flow_monthly',
    label: 'Cash flow/mo',
    optional: true,
    wraps: true,
    render: (r) => (
      <>
        <span className="part">{estimate(num(r.cash_flow_monthly) === null ? '—' : signedDollars(num(r.cash_flow_monthly)!), dealHow(r, 'after the loan, '))}</span>
        {ownTermsMark(r)}
      </>
    ),
    value: (r) => r.cash_flow_monthly,
  },
  { key: 'recommendation', label: 'Call', optional: true, render: (r) => dash(r.recommendation), value: (r) => r.recommendation },
  { key: 'price_change', label: 'Price Δ', optional: true, render: (r) => (num(r.price_change) === null ? '—' : signedDollars(num(r.price_change)!, true)), value: (r) => r.price_change },
  { key: 'bedrooms', label: 'Beds', render: (r) => withEst(r, 'bedrooms', dash(r.bedrooms)), value: (r) => r.bedrooms },
  { key: 'bathrooms', label: 'Baths', render: (r) => withEst(r, 'bathrooms', dash(r.bathrooms)), value: (r) => r.bathrooms },
  { key: 'square_feet', label: 'Sq ft', render: (r) => (r.square_feet === null ? '—' : int(r.square_feet)), value: (r) => r.square_feet },
  { key: 'year_built', label: 'Built', render: (r) => dash(r.year_built), value: (r) => r.year_built },
  { key: 'quality_score', label: 'Quality', render: (r) => (r.quality_score === null ? (r.status ?? 'new') : r.quality_score.toFixed(2)), value: (r) => r.quality_score },
  { key: 'collected_at', label: 'Collected', render: (r) => when(r.collected_at), value: (r) => r.collected_at },
];

/** The columns to show: every fixed one, and the optional ones some row fills in. */
export function visibleColumns(rows: ListRow[]): Column[] {
  return COLUMNS.filter((c) => !c.optional || rows.some((r) => r[c.key] !== undefined && r[c.key] !== null));
}

export function sortFieldOf(key: string): SortField | null {
  return (PROPERTY_SORT_FIELDS as readonly string[]).includes(key) ? (key as SortField) : null;
}

