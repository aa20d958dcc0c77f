import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { PropertyFilters } from '../../shared/contract.js';
import { useBridge } from '../api/use-bridge.js';
import { addTiles, useMapTileUrl } from '../ui/map-tiles.js';
import { usePropertyFilters } from '../ui/filters.js';
import { dollars } from '../../shared/money-format.js';
import { QueryState, int } from '../ui/state.js';
import { FilterForm } from './properties.js';
import { PropertyPanel, useOpenProperty } from './property/property-panel.js';

/** At most this many points are drawn (the list's filters narrow it). */
const MAX_POINTS = 5_000;
const PAGE = 500;
/** Phoenix, for an empty map. */
const PHOENIX: L.LatLngTuple = [33.4484, -112.074];

interface Point {
  id: string;
  lat: number;
  lon: number;
  label: string;
}

/** Every matching property that has coordinates, up to MAX_POINTS, through the list's filters. */
function useMapPoints(filters: PropertyFilters) {
  const bridge = useBridge();
  return useQuery({
    queryKey: ['properties.list', { map: true, filters }],
    queryFn: async () => {
      const points: Point[] = [];
      let total = 0;
      for (let page = 1; (page - 1) * PAGE < Math.min(MAX_POINTS, total || PAGE); page += 1) {
        const res = await bridge['properties.list']({ page, pageSize: PAGE, sort: { field: 'collected_at', direction: 'desc' }, filters });
        total = res.total;
        for (const r of res.items) {
          if (typeof r.lat === 'number' && typeof r.lon === 'number') points.push({ id: r.id, lat: r.lat, lon: r.lon, label: `${r.address ?? r.source_id}${r.price === null ? '' : ` · ${dollars(r.price)}`}` });
        }
        if (res.items.length < PAGE) break;
      }
      return { points, total };
    },
  });
}

/**
 * The Map page: the properties that match the list's filters, as points on a Leaflet map (tiles
 * from MAP_TILE_URL; without tiles, or offline, the points still draw on a plain background).
 * A click on a point opens its property page in the drawer (`#/map/<id>`).
 */
export function MapPage() {
  const { filters } = usePropertyFilters();
  const { openId, open, close } = useOpenProperty('map');
  const tileUrl = useMapTileUrl();
  const points = useMapPoints(filters);
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);

  useEffect(() => {
    if (!box.current || tileUrl === null) return;
    const m = L.map(box.current, { preferCanvas: false, zoomControl: true, keyboard: true }).setView(PHOENIX, 10);
    addTiles(m, tileUrl);
    map.current = m;
    layer.current = L.layerGroup().addTo(m);
    return () => {
      m.remove();
      map.current = null;
      layer.current = null;
    };
  }, [tileUrl]);

  const data = points.data;
  useEffect(() => {
    const m = map.current;
    const group = layer.current;
    if (!m || !group || !data) return;
    group.clearLayers();
    for (const p of data.points) {
      const marker = L.circleMarker([p.lat, p.lon], { radius: 6, color: '#1d2330', weight: 1, fillColor: '#2f6fde', fillOpacity: 0.85, className: 'map-point' })
        .bindTooltip(p.label)
        .on('click', () => open(p.id))
        .addTo(group);
      // Keyboard too: each point is a button named by its address (Tab, then Enter).
      const el = marker.getElement();
      if (el) {
        el.setAttribute('tabindex', '0');
        el.setAttribute('role', 'button');
        el.setAttribute('data-open-id', p.id);
        el.setAttribute('aria-label', `Open ${p.label}`);
        el.addEventListener('keydown', (e) => {
          if ((e as KeyboardEvent).key === 'Enter' || (e as KeyboardEvent).key === ' ') {
            e.preventDefault();
            open(p.id);
          }
        });
      }
    }
    // Not animated: leaving the page mid-animation made Leaflet read a removed pane ("_leaflet_pos" of undefined).
    if (data.points.length > 0) m.fitBounds(L.latLngBounds(data.points.map((p) => [p.lat, p.lon] as L.LatLngTuple)), { padding: [24, 24], maxZoom: 15, animate: false });
  }, [data, open, tileUrl]);

  return (
    <>
      <h1 tabIndex={-1}>Map</h1>
      <FilterForm />
      <QueryState query={points}>
        <p className="muted" role="status" data-testid="map-count">
          {int(data?.points.length ?? 0)} of {int(data?.total ?? 0)} matching properties have coordinates
          {tileUrl === '' && ' · no map tiles (MAP_TILE_URL is empty)'}
        </p>
      </QueryState>
      <div ref={box} className="map" role="region" aria-label="Map of the matching properties" />
      {openId && <PropertyPanel id={openId} onClose={close} />}
    </>
  );
}
