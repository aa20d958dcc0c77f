import { createRequire } from 'node:module';
import path from 'node:path';
import pdfMake from 'pdfmake';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import type { PropertyDetail } from '../../shared/contract.js';
import { dealInputsOf } from '../../shared/deal/from-underwriting.js';
import { projectDeal } from '../../shared/deal/projection.js';
import { STARTING_PLAN } from '../../shared/deal/starting-plan.js';
import { cashFlowText, coverage, dollars, ESTIMATE_MARK, percent, RENT_BASIS_LABELS, rentText, signedDollars, TAX_BASIS_LABELS, VALUE_IS_ESTIMATE } from '../../shared/format/figures.js';
import { phoenixDay } from '../../shared/phoenix-time.js';
import { dealStartOf, type UnderwritingOverrides } from '../../shared/underwriting/overrides.js';
import { ownTermsText } from '../../shared/underwriting/terms-text.js';
import { underwrite, type UnderwritingInputs } from '../../shared/underwriting/underwrite.js';
import { VALUE_BASIS_LABELS } from '../../shared/valuation/basis-labels.js';
import type { AdjustedComparable, Appraisal } from '../../shared/valuation/types.js';
import { photoDataUrl, type ReportPhoto } from './report-photos.js';


const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
pdfMake.setFonts({
  DejaVu: {
    normal: path.join(fontDir, 'DejaVuSans.ttf'),
    bold: path.join(fontDir, 'DejaVuSans-Bold.ttf'),
    italics: path.join(fontDir, 'DejaVuSans-Oblique.ttf'),
    bolditalics: path.join(fontDir, 'DejaVuSans-BoldOblique.ttf'),
  },
});
// The report reads no URL or file of its own: photos come in as bytes (`report-photos.ts`, issue #23).
pdfMake.setUrlAccessPolicy(() => false);
pdfMake.setLocalAccessPolicy((file) => path.resolve(file).startsWith(fontDir + path.sep));

/**
 * The value as the page's Value section writes it (`value-section.tsx`): the estimate, its range,
 * confidence, basis and date, each part only when known.
 */
function valueParagraph(a: Appraisal): string {
  if (a.value === null) return 'No value: nothing in the sales on record can say what this home would sell for.';
  const parts = [`${dollars(a.value)} ${VALUE_IS_ESTIMATE}`];
  if (a.low !== null && a.high !== null) parts.push(`${Math.round(a.range_level * 100)}% range ${dollars(a.low)}–${dollars(a.high)}`);
  if (a.confidence) parts.push(`${a.confidence} confidence`);
  const basis = a.basis ? VALUE_BASIS_LABELS[a.basis] : null;
  return parts.join(' · ') + (basis ? ` · ${basis}` : '') + (a.date ? ` as of ${a.date}` : '');
}

/** The comparables the value used, as the page's table lists them (an excluded one marked so). */
function comparablesTable(comparables: readonly AdjustedComparable[]): Content {
  const header = ['Address', 'Beds', 'Baths', 'Sq ft', 'Built', 'Miles', 'Sold', 'Price', 'Adjustments', 'Adjusted', 'Weight'];
  const rows = comparables.map((c) => [
    c.address ?? c.parcel_number ?? c.property_id,
    String(c.bedrooms ?? '—'),
    String(c.bathrooms ?? '—'),
    c.square_feet === null ? '—' : c.square_feet.toLocaleString('en-US'),
    String(c.year_built ?? '—'),
    c.distance_miles === null ? '—' : c.distance_miles.toFixed(2),
    c.date,
    dollars(c.price),
    c.adjustments.map((x) => `${x.factor} ${signedDollars(x.amount)}`).join('\n') || 'none',
    dollars(c.adjusted_price),
    c.included ? percent(c.weight, 0) : 'excluded by the analyst',
  ]);
  return { table: { headerRows: 1, widths: ['*', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto', 92, 'auto', 'auto'], body: [header, ...rows] }, fontSize: 6.5, layout: 'lightHorizontalLines' };
}

/**
 * The underwriting as the page's figures give it (`underwriting-panel.tsx`): the same stored
 * inputs (the analyst's saved terms applied by processing) through the same `underwrite`.
 */
function dealSection(inputs: UnderwritingInputs, saved: string): Content[] {
  const u = underwrite(inputs);
  const a = inputs.assumptions;
  const line = (label: string, text: string): Content => ({ text: [{ text: `${label}: `, bold: true }, text] });
  return [
    { text: 'Rent and deal', style: 'h2' },
    ...(saved ? [{ text: `Saved terms for this property: ${saved}.`, italics: true } as Content] : []),
    line('Purchase price', dollars(inputs.price)),
    line('Rent', `${rentText(inputs.rent)} (${inputs.rent.basis ? RENT_BASIS_LABELS[inputs.rent.basis] : 'none'}: ${inputs.rent.detail})`),
    line('Property tax', `${u.expenses ? dollars(u.expenses.property_tax) : '—'} (${inputs.tax.basis ? TAX_BASIS_LABELS[inputs.tax.basis] : 'none'}: ${inputs.tax.detail})`),
    line('Operating expenses', `${u.expenses ? dollars(u.expenses.total) : '—'} a year`),
    line('NOI', `${dollars(u.net_operating_income)} a year`),
    line('Cap rate', percent(u.cap_rate, 2)),
    line('Loan', `${dollars(u.loan_amount)} at ${percent(a.interestRate, 2)} over ${a.termYears} years: ${dollars(u.monthly_principal_interest)} a month (P&I)`),
    line('Cash invested', `${dollars(u.cash_invested)} (${dollars(u.down_payment)} down + ${dollars(u.closing_costs)} closing, ${percent(a.closingCostRate)})`),
    line('Cash flow', cashFlowText(u.cash_flow_monthly, u.cash_flow_annual)),
    line('Cash-on-cash', percent(u.cash_on_cash, 2)),
    line('DSCR', coverage(u.dscr)),
    line('Recommendation', `${u.recommendation}: ${u.reasons.join('; ')}`),
  ];
}

/**
 * The year-by-year projection of holding the property on the same inputs (`dealInputsOf` with
 * `STARTING_PLAN`, the analyst's saved terms in place, `dealStartOf`, as the page's deal model
 * starts, then `projectDeal`, all `src/shared`), its plan stated, "est." when it rests on an
 * estimated rent; or why none can be made.
 */
function projectionSection(inputs: UnderwritingInputs, saved: UnderwritingOverrides | null): Content[] {
  const base = dealInputsOf(inputs, STARTING_PLAN);
  const heading: Content = { text: 'Projection', style: 'h2' };
  if (!base) return [heading, `No projection: it needs a price, a rent and a property tax estimate (${inputs.tax.detail}).`];
  const plan = dealStartOf(base, saved);
  const p = projectDeal(plan);
  const est = inputs.rent.basis && inputs.rent.basis !== 'what_if' ? ` ${ESTIMATE_MARK} (rests on the estimated rent)` : '';
  const whose = saved ? "the analyst's saved terms where set, else starting points, not estimates of this property" : 'starting points, not estimates of this property';
  return [
    heading,
    `Over ${p.years.length} years${est}. Plan (${whose}): rent and expenses growing ${percent(plan.rentGrowthRate)} and ${percent(plan.expenseGrowthRate)} a year, the value ${percent(plan.appreciationRate)} a year from ${dollars(p.startValue)}, a capital-expenditure reserve of ${percent(plan.capexRate)} of the rent, sold after ${plan.holdingYears} years at ${percent(plan.sellingCostRate)} selling costs.`,
    {
      table: {
        headerRows: 1,
        body: [
          ['Year', 'Cash flow', 'Value', 'Loan balance', 'Equity', 'Total return'],
          ...p.years.map((y) => [String(y.year), dollars(y.cashFlow), dollars(y.propertyValue), dollars(y.loanBalance), dollars(y.equity), `${dollars(y.totalReturn)}${y.totalReturnRate === null ? '' : ` (${percent(y.totalReturnRate, 1)})`}`]),
        ],
      },
      fontSize: 8,
      layout: 'lightHorizontalLines',
    },
    `IRR over the hold (sale at ${dollars(p.sale.price)} less ${dollars(p.sale.sellingCosts)} selling costs): ${p.irr === null ? `undefined: ${p.irrUndefined ?? 'no rate solves the cash flows'}` : percent(p.irr, 2)}`,
  ];
}

/**
 * A one-property report (PDF bytes) from the detail `properties.get` gives the page, as an
 * investor hands it to a partner or a lender: address, APN, facts, photos (or why each is
 * missing), the value marked as an estimate with its range, confidence, basis and date, the
 * comparables with their adjustments, the rent with its basis, the deal figures and the
 * year-by-year projection with its IRR, the analyst's notes, tags and deal status, and the day it
 * was made (`madeAt`, Phoenix's day). Every figure is written by the page's own formatters
 * (`src/shared/format/figures.ts`) from the same inputs, so the two cannot disagree. DejaVu Sans
 * (the `dejavu-fonts-ttf` package) carries every sign the figures use (≥, ✓, ±).
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
    { text: `Report made ${phoenixDay(madeAt)}`, italics: true },
  ];
  content.push(...photoRows(await readablePhotos(photos)));
  const a = p?.valuation?.appraisal;
  if (a) {
    content.push({ text: 'Value', style: 'h2' }, valueParagraph(a), ...a.evidence.map((e) => ({ text: e, fontSize: 8 })));
    if (n?.pricing.list_price != null) content.push(`Asking price ${dollars(n.pricing.list_price)} (the price, not the value)`);
    content.push({ text: 'Comparable sales', style: 'h3' }, a.comparables.length ? comparablesTable(a.comparables) : 'No comparable sales were used.');
  }
  const inputs = p?.underwriting?.inputs;
  if (inputs) content.push(...dealSection(inputs, p?.underwriting_overrides ? ownTermsText(p.underwriting_overrides) : ''), ...projectionSection(inputs, p?.underwriting_overrides ?? null));
  const layer = d.analyst;
  content.push({ text: "Analyst's notes", style: 'h2' }, `Status: ${layer?.status?.value ?? 'not set'} · tags: ${layer?.tags.join(', ') || 'none'}`, layer?.notes?.text ?? 'No notes.');
  const doc: TDocumentDefinitions = {
    content,
    defaultStyle: { font: 'DejaVu', fontSize: 10 },
    styles: { h1: { fontSize: 16, bold: true }, h2: { fontSize: 12, bold: true, margin: [0, 10, 0, 4] }, h3: { fontSize: 10, bold: true, margin: [0, 6, 0, 2] } },
    info: { title: `Property report: ${address}`, creationDate: madeAt },
    footer: (page, pages) => ({ text: `${address} · report made ${phoenixDay(madeAt)} · page ${page} of ${pages}`, fontSize: 7, alignment: 'center', margin: [0, 10, 0, 0] }),
  };
  return { filename: `${address.replace(/[\\/:*?"<>|]+/g, ' ').replace(/\s+/g, ' ').trim()} report.pdf`, pdf: await pdfMake.createPdf(doc).getBuffer() };
}

/** The photos three to a row (each fitted into 160 × 120 pt), then a line for each one not included and why. */
function photoRows(photos: readonly ReportPhoto[]): Content[] {
  const images = photos.flatMap((p) => ('image' in p ? [{ width: 160, image: photoDataUrl(p), fit: [160, 120] as [number, number] }] : []));
  const rows: Content[] = [];
  for (let k = 0; k < images.length; k += 3) rows.push({ columns: images.slice(k, k + 3), columnGap: 8, margin: [0, 6, 0, 0] });
  for (const p of photos) if (!('image' in p)) rows.push({ text: `Photo not included (${p.url}): ${p.problem}`, fontSize: 8 });
  return rows;
}

/**
 * The photos as pdfmake can embed them: a JPEG or PNG by its magic bytes may still be cut short
 * or corrupt, which would fail the whole document, so each is laid out alone first and one that
 * fails says so instead.
 */
async function readablePhotos(photos: readonly ReportPhoto[]): Promise<ReportPhoto[]> {
  return Promise.all(
    photos.map(async (photo) => {
      if (!('image' in photo)) return photo;
      try {
        await pdfMake.createPdf({ content: [{ image: photoDataUrl(photo), fit: [24, 18] }], defaultStyle: { font: 'DejaVu' } }).getBuffer();
        return photo;
      } catch {
        return { url: photo.url, problem: `not an image the report can read (a cut-short or corrupt ${photo.format.toUpperCase()})` };
      }
    }),
  );
}
