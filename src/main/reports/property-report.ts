import { createRequire } from 'node:module';
import path from 'node:path';
import pdfMake from 'pdfmake';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import type { PropertyDetail } from '../../shared/contract.js';
import { dollars } from '../../shared/money-format.js';
import { underwrite } from '../../shared/underwriting/underwrite.js';
import { VALUE_BASIS_LABELS } from '../../shared/valuation/basis-labels.js';

/** A photo of the property as the report gets it: its bytes (JPEG or PNG), or why it could not be had. */
export type ReportPhoto = { url: string; image: Buffer } | { url: string; problem: string };

const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
pdfMake.setFonts({
  DejaVu: {
    normal: path.join(fontDir, 'DejaVuSans.ttf'),
    bold: path.join(fontDir, 'DejaVuSans-Bold.ttf'),
    italics: path.join(fontDir, 'DejaVuSans-Oblique.ttf'),
    bolditalics: path.join(fontDir, 'DejaVuSans-BoldOblique.ttf'),
  },
});
// The report reads no URL or file of its own: photos come in as bytes (issue #23).
pdfMake.setUrlAccessPolicy(() => false);
pdfMake.setLocalAccessPolicy((file) => path.resolve(file).startsWith(fontDir + path.sep));

const pct = (r: number | null | undefined, digits = 1) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(digits)}%`);
const usd = (n: number | null | undefined) => (n === null || n === undefined ? '—' : dollars(n));

/**
 * A one-property report (PDF bytes) from the detail `properties.get` gives the page, as an
 * investor hands it to a partner or a lender: address, APN, facts, photos (or why each is
 * missing), the value marked as an estimate with its range, confidence, basis and date, the
 * comparables with their adjustments, the rent with its basis, the deal figures, the analyst's
 * notes, tags and deal status, and the day it was made (`madeAt`). DejaVu Sans (the
 * `dejavu-fonts-ttf` package) carries every sign the figures use (≥, ✓, ±).
 *
 * Work in progress (#23): the projection table and the shared page formatters are not in yet.
 */
export async function buildPropertyReport(d: PropertyDetail, photos: ReportPhoto[], madeAt: Date): Promise<{ filename: string; pdf: Buffer }> {
  const p = d.processed;
  const n = p?.normalized;
  const street = n?.address.street ?? (typeof d.data.address === 'string' ? d.data.address : d.source_id);
  const address = [street, n?.address.city, [n?.address.state, n?.address.zip].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const apn = typeof d.data.parcel_number === 'string' ? d.data.parcel_number : typeof d.data.apn === 'string' ? d.data.apn : '—';
  const content: Content[] = [
    { text: address, style: 'h1' },
    { text: `APN ${apn} · ${n?.details.property_type ?? '—'} · ${n?.details.bedrooms ?? '—'} beds · ${n?.details.bathrooms ?? '—'} baths · ${n?.details.square_feet ?? '—'} sq ft · built ${n?.details.year_built ?? '—'}` },
    { text: `Report made ${madeAt.toISOString().slice(0, 10)}`, italics: true },
  ];
  for (const photo of photos) {
    content.push('image' in photo ? { image: `data:image/jpeg;base64,${photo.image.toString('base64')}`, fit: [240, 180] } : { text: `Photo not included (${photo.url}): ${photo.problem}` });
  }
  const a = p?.valuation?.appraisal;
  if (a && a.value !== null) {
    content.push({ text: 'Value (an estimate)', style: 'h2' }, `${usd(a.value)} · ${Math.round(a.range_level * 100)}% range ${usd(a.low)}–${usd(a.high)} · ${a.confidence ?? '—'} confidence · ${a.basis ? VALUE_BASIS_LABELS[a.basis] : '—'} as of ${a.date ?? '—'}`);
    content.push({
      table: {
        headerRows: 1,
        body: [['Address', 'Sold', 'Price', 'Adjustments', 'Adjusted'], ...a.comparables.map((c) => [c.address ?? c.property_id, c.date, usd(c.price), c.adjustments.map((x) => `${x.factor} ${x.amount >= 0 ? '+' : '-'}${usd(Math.abs(x.amount))}`).join('\n') || 'none', usd(c.adjusted_price)])],
      },
      fontSize: 8,
    });
  }
  const inputs = p?.underwriting?.inputs;
  if (inputs) {
    const u = underwrite(inputs);
    content.push({ text: 'Rent and deal', style: 'h2' });
    content.push(`Rent ${usd(inputs.rent.monthly)} a month (${inputs.rent.basis ?? 'none'}: ${inputs.rent.detail})`);
    content.push(`Price ${usd(inputs.price)} · loan ${usd(u.loan_amount)} · NOI ${usd(u.net_operating_income)} a year · cap rate ${pct(u.cap_rate, 2)} · cash-on-cash ${pct(u.cash_on_cash, 2)} · DSCR ${u.dscr === null ? '—' : u.dscr.toFixed(2)} · cash flow ${usd(u.cash_flow_monthly)} a month`);
  }
  const layer = d.analyst;
  content.push({ text: 'Analyst', style: 'h2' }, `Status: ${layer?.status?.value ?? 'not set'} · tags: ${layer?.tags.join(', ') || 'none'}`, layer?.notes?.text ?? 'No notes.');
  const doc: TDocumentDefinitions = {
    content,
    defaultStyle: { font: 'DejaVu', fontSize: 10 },
    styles: { h1: { fontSize: 16, bold: true }, h2: { fontSize: 12, bold: true, margin: [0, 10, 0, 4] } },
    info: { title: `Property report: ${address}`, creationDate: madeAt },
  };
  return { filename: `${address.replace(/[\\/:*?"<>|]+/g, ' ').replace(/\s+/g, ' ').trim()} report.pdf`, pdf: await pdfMake.createPdf(doc).getBuffer() };
}

/**
 * The property's photo URLs (every record's, the first six, as the page shows them), each marked
 * not fetched: until the report fetches from the configured MLS site (#23), it says so per photo.
 */
export function reportPhotosNotFetched(d: PropertyDetail): ReportPhoto[] {
  return [...new Set(d.records.flatMap((r) => r.photo_urls))].slice(0, 6).map((url) => ({ url, problem: 'not fetched (the report does not fetch photos yet)' }));
}
