import L from 'leaflet';
import { useContractQuery } from '../api/use-bridge.js';

/**
 * The map tiles' URL template (the MAP_TILE_URL setting, `{z}/{x}/{y}`): '' when none is set
 * (points draw on a plain background), null until the settings are read.
 */
export function useMapTileUrl(): string | null {
  const settings = useContractQuery('settings.get');
  return settings.data ? (settings.data.settings.find((s) => s.env === 'MAP_TILE_URL')?.input ?? '') : null;
}

/** The tiles of `url` on `map`, credited to OpenStreetMap; nothing when `url` is empty. */
export function addTiles(map: L.Map, url: string): void {
  if (url) L.tileLayer(url, { maxZoom: 19, attribution: '© OpenStreetMap contributors' }).addTo(map);
}
