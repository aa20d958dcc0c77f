import { loadRows } from './load.js';
import { qualityFeatures } from '../src/main/collectors/armls/quality-features.js';
import { parseFeatures } from '../src/main/collectors/armls/mapping.js';
import { SalesMarket } from '../src/shared/valuation/avm.js';
import type { MarketSale } from '../src/shared/valuation/types.js';

const file = process.argv[2] ?? '../shared/fixtures/armls-export/closed-sales-85251-2025.csv';
const rows = await loadRows(file);
const own = new Set(['single_family', 'multi_family']);
const sales: MarketSale[] = rows.filter(r => r.data.sale_price).map((r) => {
  const d = r.data;
  return {
    sale_id: `${d.parcel_number}|${d.sale_date}|${d.sale_price}`, property_id: `armls_export:${d.mls_number}`, parcel_number: d.parcel_number, address: d.address, zip: d.zip, city: null,
    subdivision: d.subdivision, lat: d.latitude, lon: d.longitude, property_type: r.type, dwelling_style: d.dwelling_style, square_feet: d.square_feet, bedrooms: d.bedrooms, bathrooms: d.bathrooms,
    year_built: d.year_built, lot_size: own.has(r.type) ? d.lot_size : null, pool: d.pool, garage_spaces: d.garage_spaces, hoa_monthly: d.hoa_monthly, land_lease_monthly: d.land_lease_monthly,
    interior_levels: d.interior_levels, ...(process.env.NOQ ? {} : qualityFeatures(parseFeatures(r.row.Features))), full_cash_value: null, fcv_tax_year: null, annual_taxes: process.env.NOTAX ? null : d.annual_taxes,
    date: d.sale_date, date_precision: 'day', listing: process.env.NOLIST ? null : { list_date: r.row['List Date'], original_list_price: Number(r.row['Original List Price']) || null, list_price: Number(r.row['List Price']) || null, under_contract_date: r.row['Under Contract Date'] || null }, price: d.sale_price, sources: ['armls_export'],
  } as MarketSale;
}).filter(s => !(s.price / (s.square_feet ?? 1) < 20));
const m = new SalesMarket(sales);
const dayBefore = (d: string) => new Date(Date.parse(d + 'T00:00:00Z') - 86400000).toISOString().slice(0, 10);
const res: any[] = [];
for (const s of sales) {
  const a = m.appraise(s, dayBefore(s.date), { excludedSaleIds: [s.sale_id], knownThrough: process.env.FULL ? '2030-01-01' : undefined });
  res.push({ s, a, ratio: a.value ? a.value / s.price : null });
}
const v = res.filter(r => r.ratio !== null);
const ratios = v.map(r => r.ratio).sort((a, b) => a - b);
const med = ratios[Math.floor(ratios.length / 2)];
const cod = 100 * ratios.reduce((a, r) => a + Math.abs(r - med), 0) / ratios.length / med;
const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
const wmean = v.reduce((a, r) => a + r.a.value, 0) / v.reduce((a, r) => a + r.s.price, 0);
const w10 = v.filter(r => Math.abs(r.ratio - 1) <= 0.1).length / v.length;
const inRange = v.filter(r => r.a.low <= r.s.price && r.s.price <= r.a.high).length / v.length;
const medErr = v.map(r => Math.abs(r.ratio - 1)).sort((a, b) => a - b)[Math.floor(v.length / 2)];
const bases = new Map(); for (const r of v) bases.set(r.a.basis, (bases.get(r.a.basis) ?? 0) + 1);
console.log({ n: sales.length, valued: v.length, med: med.toFixed(3), cod: cod.toFixed(1), prd: (mean / wmean).toFixed(3), w10: w10.toFixed(2), medErr: medErr.toFixed(3), inRange: inRange.toFixed(2), bases: [...bases] });
const q = [...v].sort((a, b) => a.s.price - b.s.price); const k = Math.ceil(q.length / 4);
for (let i = 0; i < 4; i++) { const g = q.slice(i * k, (i + 1) * k).map(r => r.ratio).sort((a, b) => a - b); console.log('Q' + (i + 1), g[Math.floor(g.length / 2)].toFixed(3)); }
if (process.env.SHOW) for (const r of v.sort((a,b)=>Math.abs(b.ratio-1)-Math.abs(a.ratio-1)).slice(0, 15)) console.log(r.s.price, r.a.value, r.ratio.toFixed(2), r.s.subdivision, r.s.property_type, r.s.square_feet, r.s.year_built, r.a.basis, r.a.comparables.length, r.a.comparables.slice(0,3).map((c:any)=>c.similarity+':'+c.price).join(' '));
if (process.env.COEF) { const last = res[res.length - 1].a; console.log(last.model?.r2, last.model?.coefficients.map((c: any) => `${c.name}: ${c.value} (${c.meaning})`).join('\n')); }
if (process.env.TAIL) { let k = 0; for (const r of res) { k++; if (r.ratio && Math.abs(r.ratio - 1) > 0.3) console.log(k, r.s.date, r.s.price, r.a.value, r.ratio.toFixed(2), r.s.subdivision?.slice(0,25), r.s.property_type, r.s.square_feet, r.s.year_built, r.s.hoa_monthly, r.s.land_lease_monthly, r.s.annual_taxes, r.a.basis, r.a.comparables.slice(0,4).map((c:any)=>c.kind[0]+c.similarity+':'+c.price+':'+c.adjusted_price).join(' ')); } }
if (process.env.HALF) { for (const [a,b] of [[0,47],[47,94],[94,141]]) { const g = res.slice(a,b).filter(r=>r.ratio).map(r=>r.ratio).sort((x,y)=>x-y); const md = g[Math.floor(g.length/2)]; console.log(a,b,'med',md.toFixed(3),'cod',(100*g.reduce((s,r)=>s+Math.abs(r-md),0)/g.length/md).toFixed(1)); } }
if (process.env.ADJ) { const r = res[Number(process.env.ADJ) - 1]; console.log(r.s, JSON.stringify(r.a.comparables.slice(0, 3), null, 1)); }
{
  const rs = v.map(r => r.ratio).sort((a, b) => a - b);
  const q = (p: number) => { const at = (rs.length - 1) * p; const lo = Math.floor(at); return rs[lo] + (rs[Math.ceil(at)] - rs[lo]) * (at - lo); };
  const iqr = q(0.75) - q(0.25); const lo = q(0.25) - 1.5 * iqr, hi = q(0.75) + 1.5 * iqr;
  const t = v.filter(r => r.ratio >= lo && r.ratio <= hi); const tr = t.map(r => r.ratio).sort((a, b) => a - b); const md = tr[Math.floor(tr.length / 2)];
  const cod = 100 * tr.reduce((a, r) => a + Math.abs(r - md), 0) / tr.length / md;
  const prd = (tr.reduce((a, b) => a + b, 0) / tr.length) / (t.reduce((a, r) => a + r.a.value, 0) / t.reduce((a, r) => a + r.s.price, 0));
  console.log('trimmed', v.length - t.length, 'fences', lo.toFixed(2), hi.toFixed(2), 'cod', cod.toFixed(1), 'prd', prd.toFixed(3), 'w10', (t.filter(r => Math.abs(r.ratio - 1) <= 0.1).length / t.length).toFixed(2));
}
if (process.env.SPLIT) {
  const same = v.filter(r => r.a.comparables.some((c: any) => c.reasons.some((x: string) => x.startsWith('same complex'))));
  const other = v.filter(r => !same.includes(r));
  for (const [n, g] of [['same', same], ['other', other]] as const) { const e = g.map((r: any) => Math.abs(r.ratio - 1)).sort((a: number, b: number) => a - b); console.log(n, g.length, 'medAbsErr', e[Math.floor(e.length / 2)]?.toFixed(3), 'w10', (g.filter((r: any) => Math.abs(r.ratio - 1) <= 0.1).length / g.length).toFixed(2)); }
}
if (process.env.Q1) { const q = [...v].sort((a, b) => a.s.price - b.s.price).slice(0, 35); for (const r of q) console.log(r.s.price, r.a.value, r.ratio.toFixed(2), r.s.subdivision?.slice(0, 22), r.s.property_type, r.s.square_feet, r.s.year_built, r.a.basis, r.a.comparables.slice(0, 4).map((c: any) => c.kind[0] + c.similarity.toFixed(2) + ':' + c.price + '>' + c.adjusted_price).join(' ')); }
