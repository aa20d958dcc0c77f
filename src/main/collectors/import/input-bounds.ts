/**
 * What one value, one row and one file of an import may cost, so that no file can exhaust the
 * console's memory (issue #24: one quoted value of 600 MB took `import armls` to 4.4 GB and
 * killed `serve`). Each bound is far above what real files hold and is refused with a message
 * naming the file, row and column; a file is measured by `stat` and read as a stream, never held
 * whole to check it.
 *
 * Real sizes (the shared fixtures): an ARMLS export row is 4.6 KB on average and 6.6 KB at most,
 * its longest value `Features` 6 KB (`closed-sales-85251-2025.csv`, 142 rows, 654 KB); a saved
 * assessor `/parcel` answer is 57 KB at most (`maricopa-assessor/parcels/`); HUD's national SAFMR
 * table is about 51,000 rows of under 300 bytes.
 */

const KB = 1024;
const MB = 1024 * KB;

/**
 * Characters one CSV value may hold: 1 MB, 170 times the longest real ARMLS value (`Features`,
 * 6 KB). A longer one is refused with its row and column and the row is not imported.
 */
export const CSV_VALUE_LIMIT = 1 * MB;

/**
 * Characters one CSV row (all its values) may hold: 4 MB, 600 times the longest real ARMLS row.
 * It also keeps a stored record (the mapped data and the original row) far under MongoDB's 16 MB
 * document limit.
 */
export const CSV_ROW_LIMIT = 4 * MB;

/** Columns one CSV row may have: 1,000, ten times an ARMLS export's (88 and 99 in the real ones). */
export const CSV_COLUMN_LIMIT = 1000;

/**
 * Bytes an ARMLS export file may have: 512 MB, about 110,000 rows of the real size. A larger
 * export is split (by ZIP code or by date) and imported file by file.
 */
export const ARMLS_FILE_LIMIT = 512 * MB;

/**
 * Bytes a HUD SAFMR table may have for `rents import`: 32 MB, twice HUD's national table (about
 * 51,000 rows of under 300 bytes). It is read whole to parse, so the bound is what it may cost.
 */
export const SAFMR_FILE_LIMIT = 32 * MB;

/** Bytes one SAFMR row may have: 64 KB, some 200 times a real row (csv-parse's `max_record_size`). */
export const SAFMR_ROW_LIMIT = 64 * KB;

/**
 * Characters of records an import holds before storing them as one batch: 16 MB. With the
 * batches in flight (two being stored, one being read), an import holds at most about 50 MB of
 * rows whatever their size; real rows fill a batch by its row count long before this.
 */
export const IMPORT_BATCH_CHARS = 16 * MB;

/** A size in words: `1 MB`, `512 MB`, `64 KB`, `1.2 GB`, `900 bytes` (binary units, as file managers on Windows show them). */
export function sizeText(bytes: number): string {
  const units: [number, string][] = [
    [1024 * MB, 'GB'],
    [MB, 'MB'],
    [KB, 'KB'],
  ];
  for (const [unit, name] of units) {
    if (bytes >= unit) {
      const n = bytes / unit;
      return `${Number.isInteger(n) ? n : n.toFixed(1)} ${name}`;
    }
  }
  return `${bytes} bytes`;
}

/**
 * Bytes one saved assessor `/parcel` file (`import assessor`) may have: 8 MB, 140 times the
 * largest real answer (57 KB, `maricopa-assessor/parcels/`). It is read whole to parse.
 */
export const PARCEL_FILE_LIMIT = 8 * MB;

/**
 * Bytes the settings file (`<data folder>/settings.json`) may have at start-up: 1 MB. A real one
 * holds a few dozen settings in under 4 KB.
 */
export const SETTINGS_FILE_LIMIT = 1 * MB;

/**
 * Bytes one saved MLS page may have when read back for the selector
 * tester (`<data folder>/mls-pages/`): 16 MB. A real listing page is some hundreds of KB with its scripts inlined.
 */
export const SAVED_PAGE_LIMIT = 16 * MB;

/**
 * Bytes one upstream answer may have, by service, read as a stream and refused once passed (a
 * broken or hostile upstream sending 1 GB costs at most the bound). Each is far above what the
 * service sends: an assessor `/parcel` answer is under 60 KB and a search page under 20 KB; a
 * page of the county's parcel layer is 1,000 parcels of some 30 attributes (under 1 MB; with
 * polygon geometry a few MB); a
 * WebShare proxy-list page of 100 proxies is about 40 KB; a 2captcha answer (a token) is under
 * 10 KB; an LLM chat completion is its output tokens (some KB); a Batch API result file is a few
 * KB a request, for the few thousand requests a batch holds.
 */
export const UPSTREAM_ANSWER_LIMITS = {
  maricopa_api: { bytes: 8 * MB, service: 'The Maricopa assessor API', real: 'a real /parcel answer is under 60 KB' },
  county_layer: { bytes: 64 * MB, service: "The county's parcel layer", real: 'a real page of 1,000 parcels without geometry is under 1 MB' },
  webshare: { bytes: 8 * MB, service: 'WebShare', real: 'a real proxy-list page is about 40 KB' },
  twocaptcha: { bytes: 1 * MB, service: '2captcha', real: 'a real answer is under 10 KB' },
  llm: { bytes: 16 * MB, service: 'The LLM server', real: 'a real completion is some KB' },
  llm_batch_file: { bytes: 256 * MB, service: 'The LLM server (a Batch API result file)', real: 'a real result line is a few KB' },
} as const;

/** Which upstream an answer comes from (UPSTREAM_ANSWER_LIMITS). */
export type Upstream = keyof typeof UPSTREAM_ANSWER_LIMITS;
