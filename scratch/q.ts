import { mapArmlsRow } from '../src/main/collectors/armls/mapping.js';
import { armlsFixture } from '../tests/support/armls.js';
const { header, row } = armlsFixture();
const d = mapArmlsRow(Object.fromEntries(header.map((h, i) => [h, row[i]!]))).data;
console.log(d.annual_taxes, d.remodeled_year, d.view, d.premium_finishes, d.amenity_building, d.under_contract_date, d.last_list_price, d.list_date, d.original_list_price);
