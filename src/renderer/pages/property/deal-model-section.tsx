import { dealInputsOf } from '../../../shared/deal/from-underwriting.js';
import { STARTING_PLAN } from '../../../shared/deal/starting-plan.js';
import type { ProcessedProperty } from '../../../shared/schemas/processed-property.js';
import type { StoredUnderwriting } from '../../../shared/schemas/underwriting.js';
import { dealStartOf, type UnderwritingOverrides } from '../../../shared/underwriting/overrides.js';
import { DealModel } from './deal-model.js';
import { usePropertyDetail } from './property-context.js';

/**
 * The deal model on the stored underwriting's terms (`dealInputsOf`) with the analyst's saved
 * what-if terms in place (`dealStartOf`: rehab, capex, growth, the hold… and the strategy), or
 * why it cannot run (no price, rent or tax); with the property's saved scenarios (its analyst
 * layer) and "Save for this property" when it is open in the drawer.
 */
export function DealModelSection({ underwriting, pricing, saved }: { underwriting: StoredUnderwriting; pricing: ProcessedProperty['normalized']['pricing']; saved: UnderwritingOverrides | null }) {
  const d = usePropertyDetail();
  const u = underwriting.inputs;
  const base = dealInputsOf(u, STARTING_PLAN);
  const start = base && dealStartOf(base, saved);
  if (!start) return <p className="muted" data-testid="deal-model-missing">Deal model: needs a price, a rent and a property tax estimate ({u.tax.detail}).</p>;
  const estimates: string[] = [];
  if (u.rent.basis && u.rent.basis !== 'what_if') estimates.push('the estimated rent');
  if (u.price !== null && u.price !== pricing.list_price && u.price_basis !== 'what_if') estimates.push('the estimated value as the price');
  const scenarios = d ? { propertyId: d.id, saved: d.analyst?.scenarios ?? [], trend: u.market_trend } : undefined;
  const terms = d ? { propertyId: d.id, saved } : undefined;
  return <DealModel start={start} estimated={estimates.length ? estimates.join(' and ') : null} scenarios={scenarios} terms={terms} />;
}
