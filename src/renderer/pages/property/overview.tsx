import type { PropertyDetail } from '../../../shared/contract.js';
import { useContractMutation } from '../../api/use-bridge.js';
import { dollars } from '../../../shared/money-format.js';
import { ESTIMATE_MARK } from '../../../shared/format/figures.js';
import { VALUE_BASIS_LABELS } from '../../../shared/valuation/basis-labels.js';
import { ActionError, dash, int, when } from '../../ui/state.js';
import { UnderwritingPanel } from './underwriting-panel.js';
import { historyRows, propertyPhotos, propertySales } from '../../../shared/property-records.js';
import { PropertyRecords } from './records-list.js';
import { AnalystSection } from './analyst-section.js';
import { ReportButton } from './report-button.js';

/** "est." after a figure that is an estimate, with what it was estimated from. */
export function Est({ why }: { why: string }) {
  return (
    <abbr className="est" title={why}>
      {' '}{ESTIMATE_MARK}
    </abbr>
  );
}

/** The assessor's valuations in the payload (newest first), as year, full cash value and limited value. */
function assessments(original: unknown): { year: string; fcv: number | null; lpv: number | null }[] {
  const list = (original as { Valuations?: unknown } | null)?.Valuations;
  if (!Array.isArray(list)) return [];
  const n = (v: unknown) => (v === null || v === undefined || String(v).trim() === '' ? null : Number(String(v).trim()) || null);
  return list.map((v: Record<string, unknown>) => ({ year: String(v.TaxYear ?? '').trim(), fcv: n(v.FullCashValue), lpv: n(v.LimitedPropertyValue) }));
}

/**
 * What the property page shows of one record and the property it is part of: photos (of every
 * record), the records the property is made of, the price with its basis and date, the facts with
 * their sources ("est." on estimates), the sales (of every record, each with its sources), the
 * assessments (this record's payload) and price history (every record's) with dates, the value
 * with its evidence (comparables) and the underwriting with its what-if, the enrichment, the
 * quality reasons, the field sources, the raw payload and the listing.
 */
export function PropertyOverview({ d }: { d: PropertyDetail }) {
  const reprocess = useContractMutation('processing.reprocess', ['properties.get', 'properties.list', 'queue.summary']);
  const p = d.processed;
  const data = d.data;
  const photos = propertyPhotos(d.records);
  const listing = d.records.find((r) => r.listing_url !== null)?.listing_url ?? null;
  const sources = p?.field_sources?.details ?? {};
  const details = p?.normalized.details;
  // The property's bathroom count is an estimate only when the merged count is the assessor's.
  const bathsEstimated = (details ? details.bathrooms_estimated === true : data.bathrooms_estimated === true) && sources.bathrooms !== 'analyst';
  const pricing = p?.normalized.pricing;
  const facts: [string, string, string | undefined, string | null][] = [
    ['Bedrooms', dash(details?.bedrooms ?? data.bedrooms), sources.bedrooms, null],
    ['Bathrooms', dash(details?.bathrooms ?? data.bathrooms), sources.bathrooms, bathsEstimated ? `estimated from ${dash(data.bath_fixtures)} bath fixtures ÷ 3 (the assessor publishes no bathroom count)` : null],
    ['Square feet', details?.square_feet == null ? '—' : int(details.square_feet), sources.square_feet, null],
    ['Lot (sq ft)', details?.lot_sqft == null ? '—' : int(details.lot_sqft), sources.lot_sqft, null],
    ['Year built', dash(details?.year_built ?? data.year_built), sources.year_built, null],
    ['Type', dash(details?.property_type), sources.property_type, null],
  ];
  const valuations = assessments(d.original);
  const sales = propertySales(d.records);
  const history = historyRows(d.records, when);
  return (
    <>
      <p className="muted">
        {d.source} · {d.source_id} · collected {when(d.collected_at)} · queue: <strong data-testid="detail-status">{d.queue?.status ?? 'not queued'}</strong>
        {listing && (
          <>
            {' · '}
            <a href={listing} target="_blank" rel="noreferrer">
              Listing
            </a>
          </>
        )}
      </p>
      <div className="actions">
        <button type="button" onClick={() => reprocess.mutate({ ids: [d.id] })} disabled={reprocess.isPending}>
          Reprocess
        </button>
        {reprocess.data && <span role="status">{reprocess.data.queued === 1 ? 'Queued for processing.' : 'Already queued.'}</span>}
        <ReportButton id={d.id} />
      </div>
      <ActionError error={reprocess.error} what="Reprocess" />
      <AnalystSection key={`${d.id}|${String(d.analyst?.updated_at ?? '')}`} d={d} />
      <PropertyRecords records={d.records} openedId={d.id} />
      {photos.length > 0 && (
        <ul className="photos" aria-label="Photos">
          {photos.slice(0, 6).map((u, i) => (
            <li key={u}>
              <img src={u} alt={`Photo ${i + 1} of ${photos.length}`} loading="lazy" />
            </li>
          ))}
        </ul>
      )}

      <h3>Price</h3>
      <dl className="facts" data-testid="price">
        <dt>Asking price</dt>
        <dd>{pricing?.list_price == null ? 'not listed' : <>{dollars(pricing.list_price)} <span className="muted">(the price; the value is estimated below)</span></>}</dd>
        {/* The estimated value over the living area: named for what it divides, with its basis. */}
        <dt>Value per sq ft (est.)</dt>
        <dd>
          {pricing?.price_per_sqft == null
            ? '—'
            : `$${pricing.price_per_sqft.toFixed(2)}${pricing.value_basis ? ` (${VALUE_BASIS_LABELS[pricing.value_basis]}${pricing.value_date ? ` of ${pricing.value_date}` : ''})` : ''}`}
        </dd>
      </dl>

      <h3>Facts</h3>
      <dl className="facts" data-testid="facts">
        {facts.map(([label, value, source, estimate]) => (
          <div key={label} className="fact">
            <dt>{label}</dt>
            <dd>
              {value}
              {estimate && value !== '—' && <Est why={estimate} />}
              {source && <span className="muted small"> · {source}</span>}
            </dd>
          </div>
        ))}
      </dl>

      <h3>Sales and assessments</h3>
      <table aria-label="Sales and assessments">
        <thead>
          <tr><th>When</th><th>What</th><th>Amount</th></tr>
        </thead>
        <tbody>
          {sales.map((s) => (
            <tr key={`${s.date}|${s.price}`}>
              <td>{s.date}</td>
              <td>sale ({s.sources.join(', ')})</td>
              <td>{dollars(s.price)}</td>
            </tr>
          ))}
          {valuations.map((v) => (
            <tr key={v.year}>
              <td>tax year {v.year}</td>
              <td>assessment: full cash value (limited value)</td>
              <td>
                {v.fcv === null ? '—' : dollars(v.fcv)} ({v.lpv === null ? '—' : dollars(v.lpv)})
              </td>
            </tr>
          ))}
          {history.map((h) => (
            <tr key={h.key}>
              <td>{'at' in h.when ? when(h.when.at) : (h.when.day ?? 'sale day not on record')}</td>
              <td>{h.what}</td>
              <td>{h.price === null ? '—' : dollars(h.price)}</td>
            </tr>
          ))}
          {sales.length === 0 && valuations.length === 0 && history.length === 0 && <tr><td colSpan={3} className="muted">No sales, assessments or price changes recorded.</td></tr>}
        </tbody>
      </table>

      {p ? (
        <>
          <UnderwritingPanel processed={p} />
          <h3>Quality {p.quality_score.toFixed(2)}</h3>
          <ul data-testid="quality-reasons">{p.quality_reasons.length ? p.quality_reasons.map((r) => <li key={r}>{r}</li>) : <li>No deductions.</li>}</ul>
          {p.quality_notes?.length ? <ul className="muted" data-testid="quality-notes">{p.quality_notes.map((r) => <li key={r}>{r}</li>)}</ul> : null}
          <h3>
            Enrichment <span className="muted">({p.processing_metadata.llm_model})</span>
          </h3>
          <p data-testid="description">{p.llm_enrichment.description}</p>
          <ul>{p.llm_enrichment.key_features.map((f) => <li key={f}>{f}</li>)}</ul>
          {p.llm_enrichment.investment_summary && <p>{p.llm_enrichment.investment_summary}</p>}
          <details>
            <summary>Field sources</summary>
            <pre>{JSON.stringify(p.field_sources ?? {}, null, 2)}</pre>
          </details>
        </>
      ) : (
        <p className="muted">Not processed yet.</p>
      )}
      <details>
        <summary>Raw payload</summary>
        <pre>{JSON.stringify(d.original ?? d.data, null, 2)}</pre>
      </details>
    </>
  );
}
