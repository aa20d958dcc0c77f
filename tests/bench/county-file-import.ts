import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MongoClient } from 'mongodb';
import { recordsDone } from '../../src/shared/sync-progress.js';
import { CountyLayerSimulator } from '../support/county-layer-simulator.js';
import { writeParcelGeoJson, type LayerAttributes } from '../support/county-parcel-file.js';
import { runWatchingMemory } from '../support/peak-memory.js';

/** Features a second the county parcel file import aims at (issue #22: the City of Phoenix, ~500,000 parcels, at ≥ 2,000 records a second). */
const GOAL_PER_SECOND = 2000;

/** Parcels the layer simulator invents for one ZIP code at most (APN maps 10–99 of one book, 1,000 a map). */
const PER_ZIP = 90_000;

/** ZIP codes whose invented parcels fill the file: each its own book (900 + ZIP mod 100), so no APN repeats. */
const ZIPS = ['85031', '85032', '85033', '85034', '85035', '85037', '85040', '85041'];

/** The invented parcels of the file, ZIP code by ZIP code, one ZIP code's held at a time. */
function* inventedParcels(features: number): Generator<LayerAttributes> {
  let left = features;
  for (const zip of ZIPS) {
    if (left <= 0) return;
    const count = Math.min(left, PER_ZIP);
    yield* new CountyLayerSimulator({ seed: 22, parcelsPerZip: { [zip]: count } }).parcelsOf(zip);
    left -= count;
  }
  if (left > 0) throw new Error(`the bench invents at most ${ZIPS.length * PER_ZIP} parcels`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One `phoenix-re import parcels` in its own process against database `dbName`: features a second (the run's own records ÷ its duration) and the process's peak RSS. */
async function importOnce(client: MongoClient, uri: string, dbName: string, file: string, dataDir: string): Promise<{ perSecond: number; peakMb: number; message: string }> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: uri.replace(/^(mongodb(?:\+srv)?:\/\/[^/]+)(\/[^?]*)?/, `$1/${dbName}`), PHOENIX_DATA_DIR: dataDir };
  const { code, stderr, peakMb } = await runWatchingMemory([path.resolve('bin/phoenix-re.js'), 'import', 'parcels', file], { cwd: dataDir, env, everyMs: 200 });
  const [run] = await client.db(dbName).collection('runs').find({ kind: 'import', source: 'county_layer' }).sort({ started_at: -1 }).limit(1).toArray();
  if (code !== 0 || !run?.finished_at) throw new Error(`county parcel file import bench: exit ${code}: ${stderr.slice(-500)}`);
  const seconds = (run.finished_at.getTime() - run.started_at.getTime()) / 1000;
  return { perSecond: recordsDone(run.counters) / seconds, peakMb, message: String(run.message) };
}

/**
 * Importing a county parcel file of `features` invented parcels (GeoJSON with each parcel's
 * polygon, as the county's download): `runs` first imports into fresh databases, then a re-import
 * (every parcel unchanged), each `phoenix-re import parcels` in its own process so that its peak
 * RSS is the import's. Reported as medians and as ratios to the goal (GOAL_PER_SECOND).
 */
export async function benchCountyFileImport(client: MongoClient, uri: string, features: number, runs: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-bench-parcels-'));
  const file = path.join(dir, 'Parcels.geojson');
  const dbNames = Array.from({ length: runs }, (_, i) => `bench_parcels_${Date.now()}_${i}`);
  try {
    await writeParcelGeoJson(file, inventedParcels(features));
    const mb = fs.statSync(file).size / 1e6;
    const first: { perSecond: number; peakMb: number; message: string }[] = [];
    for (const name of dbNames) first.push(await importOnce(client, uri, name, file, dir));
    const again = await importOnce(client, uri, dbNames.at(-1)!, file, dir);
    const rate = median(first.map((r) => r.perSecond));
    const peak = median(first.map((r) => r.peakMb));
    const text = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(
      `County parcel file import: ${features.toLocaleString('en-US')} features (${mb.toFixed(0)} MB GeoJSON), median of ${runs}: ${text(rate)} features/s = ${(rate / GOAL_PER_SECOND).toFixed(2)} of the goal (${text(GOAL_PER_SECOND)}/s); peak RSS ${text(peak)} MB (median); ${first[0]!.message}`,
    );
    console.log(`County parcel file re-import (unchanged): ${text(again.perSecond)} features/s = ${(again.perSecond / GOAL_PER_SECOND).toFixed(2)} of the goal; peak RSS ${text(again.peakMb)} MB; ${again.message}`);
  } finally {
    for (const name of dbNames) await client.db(name).dropDatabase().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
