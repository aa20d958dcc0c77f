import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef } from 'react';
import { dollars } from '../../../shared/money-format.js';
import type { AdjustedComparable } from '../../../shared/valuation/types.js';
import { addTiles, useMapTileUrl } from '../../ui/map-tiles.js';

/** A place in WGS 84 degrees. */
export interface LatLon {
  lat: number;
  lon: number;
}

const SUBJECT_COLOUR = '#d9480f';
const COMPARABLE_COLOUR = '#2f6fde';
const EXCLUDED_COLOUR = '#8a93a3';

/**
 * The comparables on a small Leaflet map around the home valued (the Map page's library and
 * tiles: MAP_TILE_URL; without tiles the points draw on a plain background): the home in orange,
 * each comparable the value uses in blue, each one the analyst excluded hollow and grey, each
 * with its address, price and similarity on hover. Comparables without coordinates are counted.
 */
export function ComparablesMap({ subject, comparables }: { subject: LatLon | null; comparables: readonly AdjustedComparable[] }) {
  const tileUrl = useMapTileUrl();
  const box = useRef<HTMLDivElement>(null);
  const placed = comparables.filter((c) => typeof c.lat === 'number' && typeof c.lon === 'number');

  useEffect(() => {
    if (!box.current || tileUrl === null) return;
    const m = L.map(box.current, { zoomControl: true, keyboard: true, scrollWheelZoom: false });
    addTiles(m, tileUrl);
    const points: L.LatLngTuple[] = [];
    for (const c of comparables) {
      if (typeof c.lat !== 'number' || typeof c.lon !== 'number') continue;
      const colour = c.included ? COMPARABLE_COLOUR : EXCLUDED_COLOUR;
      L.circleMarker([c.lat, c.lon], { radius: 6, color: colour, weight: 2, fillColor: colour, fillOpacity: c.included ? 0.85 : 0, className: c.included ? 'comp-point' : 'comp-point comp-excluded' })
        .bindTooltip(`${c.address ?? c.parcel_number ?? c.property_id} · ${dollars(c.price)} · similarity ${c.similarity.toFixed(2)}${c.included ? '' : ' · excluded'}`)
        .addTo(m);
      points.push([c.lat, c.lon]);
    }
    if (subject) {
      L.circleMarker([subject.lat, subject.lon], { radius: 8, color: '#1d2330', weight: 2, fillColor: SUBJECT_COLOUR, fillOpacity: 1, className: 'subject-point' }).bindTooltip('This home').addTo(m);
      points.push([subject.lat, subject.lon]);
    }
    if (points.length > 0) m.fitBounds(L.latLngBounds(points), { padding: [20, 20], maxZoom: 16 });
    return () => void m.remove();
  }, [tileUrl, subject, comparables]);

  return (
    <figure className="comparables-map">
      <div ref={box} className="map" style={{ height: 260, minHeight: 0 }} role="region" aria-label="Map of the comparables around this home" />
      <figcaption className="muted small" data-testid="comparables-map-caption">
        <span style={{ color: SUBJECT_COLOUR }}>●</span> this home{subject ? '' : ' (its coordinates are unknown: not drawn)'} · <span style={{ color: COMPARABLE_COLOUR }}>●</span> comparables used ·{' '}
        <span style={{ color: EXCLUDED_COLOUR }}>○</span> excluded · {placed.length} of {comparables.length} comparables have coordinates
        {tileUrl === '' && ' · no map tiles (MAP_TILE_URL is empty)'}
      </figcaption>
    </figure>
  );
}
