import { createReadStream } from 'node:fs';
import { csvRecords } from '../src/main/collectors/import/csv-records.js';
import { mapArmlsRow } from '../src/main/collectors/armls/mapping.js';
import { rawPropertyType } from '../src/main/processing/property-type.js';

export async function loadRows(file: string) {
  const stream = createReadStream(file, { encoding: 'utf8' });
  let header: string[] | null = null;
  const out: any[] = [];
  for await (const rec of csvRecords(stream)) {
    if (!header) { header = rec.fields; continue; }
    const row = Object.fromEntries(header.map((h, i) => [h, rec.fields[i] ?? '']));
    try { const m = mapArmlsRow(row); out.push({ row, data: m.data, type: rawPropertyType(m.data as any) }); } catch (e) { console.error('bad', (e as Error).message); }
  }
  return out;
}
if (process.argv[2] === 'summary') {
  const rows = await loadRows('../shared/fixtures/armls-export/closed-sales-85251-2025.csv');
  const by = (f: (r: any) => string) => { const m = new Map<string, number>(); for (const r of rows) m.set(f(r), (m.get(f(r)) ?? 0) + 1); return [...m].sort((a, b) => b[1] - a[1]).slice(0, 25); };
  console.log(by((r) => r.type));
  console.log(by((r) => `${r.row['Dwelling Type']}/${r.row['Dwelling Styles']}`));
  console.log(by((r) => r.data.subdivision ?? '-'));
  console.log(rows.slice(0,3).map(r=>({...r.data, unread_values: undefined, description: undefined})));
  console.log(rows.map(r=>[r.data.sale_price, r.data.square_feet, Math.round(r.data.sale_price/r.data.square_feet), r.type, r.data.year_built, r.data.hoa_monthly, r.data.land_lease_monthly, r.data.pool, r.data.subdivision?.slice(0,20)].join(',')).join('\n'));
}
