import { describe, expect, it } from 'vitest';
import { featureFromCsvRow, featureFromGeoJson, foreignCrs, missingFields, ParcelFileRowError, ProjectedFileError } from '../../src/main/collectors/county-layer/file-feature.js';
import { mapCountyFeature } from '../../src/main/collectors/county-layer/mapping.js';

/** A feature's properties as the county's GeoJSON writes them: invented APN (book 900), `SIM` street. */
const properties = {
  OBJECTID: 7,
  APN: '90010007',
  APN_DASH: '900-10-007',
  PHYSICAL_ADDRESS: '1234 W SIM ELM ST   PHOENIX  85031',
  PHYSICAL_CITY: 'PHOENIX',
  PHYSICAL_ZIP: '85031',
  LIVING_SPACE: 1500,
  LAND_SIZE: 6000,
  CONST_YEAR: 1985,
  PUC: '0131',
  FCV_CUR: 300000,
  LPV_CUR: 186000,
  SALE_DATE: '05/01/2019',
  SALE_PRICE: 275000,
  Shape_Area: 6000,
};

describe('the county parcel file, feature by feature', () => {
  it.each([
    [null, null],
    [{ type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } }, null],
    [{ type: 'name', properties: { name: 'EPSG:4326' } }, null],
    [{ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4326' } }, null],
    [{ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::2223' } }, 'its coordinates are in "urn:ogc:def:crs:EPSG::2223" (NAD83 / Arizona Central (ft), Arizona State Plane), not WGS 84 longitude/latitude'],
    [{ type: 'name', properties: { name: 'EPSG:2868' } }, 'its coordinates are in "EPSG:2868" (NAD83(HARN) / Arizona Central (ft), Arizona State Plane), not WGS 84 longitude/latitude'],
    [{ type: 'name', properties: { name: 'EPSG:32612' } }, 'its coordinates are in "EPSG:32612", not WGS 84 longitude/latitude'],
    [{ type: 'link', properties: { href: 'http://x/crs' } }, expect.stringMatching(/^its "crs" names no coordinate system this import reads/)],
  ])('crs %j is %s', (crs, expected) => {
    expect(foreignCrs(crs)).toEqual(expected);
  });

  it('keeps only the layer fields the sync asks for, and reads a MultiPolygon by its first outer ring', () => {
    const ring = [[-112.1, 33.5], [-112.099, 33.5], [-112.099, 33.501], [-112.1, 33.501], [-112.1, 33.5]];
    const feature = featureFromGeoJson({ type: 'Feature', properties, geometry: { type: 'MultiPolygon', coordinates: [[ring], [ring.map(([x, y]) => [x! + 1, y!])]] } });
    expect(Object.keys(feature.attributes)).not.toContain('OBJECTID');
    expect(Object.keys(feature.attributes)).not.toContain('Shape_Area');
    const record = mapCountyFeature(feature);
    expect(record.data).toMatchObject({ parcel_number: '900-10-007', coordinates_from: 'geometry centroid', sale_price: 275000, sale_date: '2019-05-01' });
    expect(record.data.latitude).toBeCloseTo(33.5005, 5);
    expect(record.data.longitude).toBeCloseTo(-112.0995, 5);
  });

  it('reads a CSV row as the layer sends it: plain numbers in numeric fields as numbers, codes and padded money as text, empty as none', () => {
    const row = { ...Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, String(v)])), SALE_PRICE: '     275,000', DEED_DATE: '', LATITUDE: '33.5005', LONGITUDE: '-112.0995' };
    const feature = featureFromCsvRow(row);
    expect(feature.attributes).toMatchObject({ PUC: '0131', PHYSICAL_ZIP: '85031', LIVING_SPACE: 1500, CONST_YEAR: 1985, SALE_PRICE: '     275,000', DEED_DATE: null, LATITUDE: 33.5005 });
    expect(mapCountyFeature(feature).data).toMatchObject({ sale_price: 275000, property_use_code: '0131', latitude: 33.5005, coordinates_from: 'LATITUDE/LONGITUDE' });
    expect(featureFromCsvRow(row)).toEqual(featureFromGeoJson({ type: 'Feature', properties: { ...properties, SALE_PRICE: '     275,000', DEED_DATE: null, LATITUDE: 33.5005, LONGITUDE: -112.0995 }, geometry: null }));
  });

  it('names the field of a bad feature, and refuses coordinates in feet as a projected file', () => {
    expect(() => featureFromGeoJson({ type: 'Feature', properties: { ...properties, PUC: true } })).toThrow(new ParcelFileRowError('PUC', '"true", where the layer has text, a number or nothing'));
    expect(() => featureFromGeoJson({ type: 'Feature', properties: { ...properties, APN: 90010007 } })).toThrow('APN: the parcel number is "90010007", not text');
    expect(() => featureFromGeoJson({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: ['x', 1] } })).toThrow(/^geometry: its coordinates are not numbers/);
    expect(() => featureFromCsvRow({ ...Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, String(v)])), LATITUDE: '912345.2', LONGITUDE: '640123.5' })).toThrow(ProjectedFileError);
    expect(missingFields(['APN', 'PHYSICAL_ADDRESS'])).toEqual(['PHYSICAL_CITY', 'PHYSICAL_ZIP', 'LIVING_SPACE', 'LAND_SIZE', 'CONST_YEAR', 'PUC', 'FCV_CUR', 'LPV_CUR', 'SALE_DATE', 'SALE_PRICE']);
  });
});
