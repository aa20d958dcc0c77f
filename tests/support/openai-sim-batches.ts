import { randomBytes } from 'node:crypto';

/**
 * OpenAI's Files and Batches endpoints as the Batch guide describes them
 * (https://platform.openai.com/docs/guides/batch, https://platform.openai.com/docs/api-reference/batch):
 * a JSONL file uploaded with purpose `batch` (one `{custom_id, method, url, body}` a line,
 * `custom_id` unique, at most 50,000 lines), a batch over it with `completion_window: "24h"` only,
 * states `validating` → `in_progress` → `finalizing` → `completed` (or `failed`, `expired`,
 * `cancelling` → `cancelled`), an output file of the answered lines and an error file of the
 * others (an expired batch's unfinished lines carry `batch_expired`).
 *
 * By default each retrieve moves a batch one state on; with `hold` set, batches stay
 * `in_progress` until `finishAll()` or `expireAll()`.
 */
export interface StoredFile {
  id: string;
  purpose: string;
  filename: string;
  content: string;
  created_at: number;
}

type BatchStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';

interface StoredBatch {
  id: string;
  object: 'batch';
  endpoint: string;
  errors: { object: 'list'; data: { code: string; message: string; param: string | null; line: number | null }[] } | null;
  input_file_id: string;
  completion_window: '24h';
  status: BatchStatus;
  output_file_id: string | null;
  error_file_id: string | null;
  created_at: number;
  in_progress_at: number | null;
  expires_at: number;
  finalizing_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  expired_at: number | null;
  cancelling_at: number | null;
  cancelled_at: number | null;
  request_counts: { total: number; completed: number; failed: number };
  metadata: Record<string, string> | null;
}

type Line = { custom_id: string; method: string; url: string; body: unknown };
type Answer = { status: number; body?: unknown; raw?: string };
const invalid = (status: number, message: string, param: string | null, code: string | null): Answer => ({
  status,
  body: { error: { message, type: 'invalid_request_error', param, code } },
});
const now = () => Math.floor(Date.now() / 1000);
const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export class SimulatedBatches {
  readonly files = new Map<string, StoredFile>();
  readonly batches = new Map<string, StoredBatch>();
  /** Keep batches in progress until `finishAll` or `expireAll`. */
  hold = false;
  /** Retrieves of a batch (a client's polls). */
  polls = 0;

  constructor(private readonly complete: (body: never) => { status: number; body: unknown }) {}

  async handle(method: string, path: string, raw: Buffer, contentType: string): Promise<Answer> {
    if (method === 'POST' && path === '/files') return this.upload(raw, contentType);
    let m = /^\/files\/([^/]+)(\/content)?$/.exec(path);
    if (method === 'GET' && m) {
      const file = this.files.get(m[1]!);
      if (!file) return invalid(404, `No such File object: ${m[1]}`, 'id', null);
      return m[2] ? { status: 200, raw: file.content } : { status: 200, body: fileObject(file) };
    }
    if (method === 'POST' && path === '/batches') return this.create(JSON.parse(raw.toString('utf8')) as Record<string, unknown>);
    m = /^\/batches\/([^/]+)(\/cancel)?$/.exec(path);
    if (m) {
      const batch = this.batches.get(m[1]!);
      if (!batch) return invalid(404, `No batch found with id '${m[1]}'.`, null, null);
      if (method === 'POST' && m[2]) {
        if (['validating', 'in_progress', 'finalizing'].includes(batch.status)) Object.assign(batch, { status: 'cancelled', cancelling_at: now(), cancelled_at: now() });
        return { status: 200, body: batch };
      }
      if (method === 'GET' && !m[2]) {
        this.polls += 1;
        this.advance(batch);
        return { status: 200, body: batch };
      }
    }
    return invalid(404, 'Invalid URL', null, null);
  }

  /** Run every batch in progress to the end. */
  finishAll(): void {
    for (const batch of this.batches.values()) if (batch.status === 'in_progress' || batch.status === 'validating') this.run(batch, Infinity);
  }

  /** Let the 24-hour window pass: each batch in progress answers its first `done` lines, the rest expire. */
  expireAll(done = 0): void {
    for (const batch of this.batches.values()) if (batch.status === 'in_progress' || batch.status === 'validating') this.run(batch, done);
  }

  private async upload(raw: Buffer, contentType: string): Promise<Answer> {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    const purpose = form.get('purpose');
    const file = form.get('file');
    if (typeof purpose !== 'string' || !['batch', 'assistants', 'fine-tune', 'vision', 'user_data', 'evals'].includes(purpose)) return invalid(400, "Invalid value for 'purpose'.", 'purpose', 'invalid_value');
    if (!file || typeof file === 'string') return invalid(400, "Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
    const stored: StoredFile = { id: id('file'), purpose, filename: file.name, content: await file.text(), created_at: now() };
    this.files.set(stored.id, stored);
    return { status: 200, body: fileObject(stored) };
  }

  private create(params: Record<string, unknown>): Answer {
    if (params.completion_window !== '24h') return invalid(400, `Invalid value: '${String(params.completion_window)}'. Supported values are: '24h'.`, 'completion_window', 'invalid_value');
    const file = this.files.get(String(params.input_file_id));
    if (!file) return invalid(404, `No such File object: ${String(params.input_file_id)}`, 'input_file_id', null);
    if (file.purpose !== 'batch') return invalid(400, `File ${file.id} was not uploaded with purpose 'batch'.`, 'input_file_id', 'invalid_value');
    const created = now();
    const batch: StoredBatch = {
      id: id('batch'),
      object: 'batch',
      endpoint: String(params.endpoint),
      errors: null,
      input_file_id: file.id,
      completion_window: '24h',
      status: 'validating',
      output_file_id: null,
      error_file_id: null,
      created_at: created,
      in_progress_at: null,
      expires_at: created + 86_400,
      finalizing_at: null,
      completed_at: null,
      failed_at: null,
      expired_at: null,
      cancelling_at: null,
      cancelled_at: null,
      request_counts: { total: 0, completed: 0, failed: 0 },
      metadata: (params.metadata as Record<string, string> | undefined) ?? null,
    };
    this.batches.set(batch.id, batch);
    return { status: 200, body: batch };
  }

  private lines(batch: StoredBatch): Line[] {
    return this.files
      .get(batch.input_file_id)!
      .content.split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Line);
  }

  /** Validation: every line well formed, on the batch's endpoint, with a unique `custom_id`. */
  private validate(batch: StoredBatch): boolean {
    const errors: NonNullable<StoredBatch['errors']>['data'] = [];
    const seen = new Set<string>();
    let lines: Line[] = [];
    try {
      lines = this.lines(batch);
    } catch {
      errors.push({ code: 'invalid_json_line', message: 'This line is not parseable as valid JSON.', param: null, line: null });
    }
    lines.forEach((line, i) => {
      if (seen.has(line.custom_id)) errors.push({ code: 'duplicate_custom_id', message: 'The custom_id for this request is a duplicate of another request. The custom_id parameter must be unique for each request in a batch.', param: 'custom_id', line: i + 1 });
      seen.add(line.custom_id);
      if (line.method !== 'POST' || line.url !== batch.endpoint) errors.push({ code: 'mismatched_endpoint', message: `The provided url ${line.url} does not match the batch endpoint ${batch.endpoint}.`, param: 'url', line: i + 1 });
    });
    if (lines.length > 50_000) errors.push({ code: 'too_many_tasks', message: 'The input file has more than 50,000 requests.', param: null, line: null });
    batch.request_counts.total = lines.length;
    if (errors.length === 0) return true;
    Object.assign(batch, { status: 'failed', failed_at: now(), errors: { object: 'list', data: errors } });
    return false;
  }

  private advance(batch: StoredBatch): void {
    if (batch.status === 'validating') {
      if (this.validate(batch)) Object.assign(batch, { status: 'in_progress', in_progress_at: now() });
    } else if (batch.status === 'in_progress' && !this.hold) this.run(batch, Infinity);
  }

  /** Answer the first `done` lines; the rest expire unless all were done. */
  private run(batch: StoredBatch, done: number): void {
    if (batch.status === 'validating' && !this.validate(batch)) return;
    const out: string[] = [];
    const errs: string[] = [];
    this.lines(batch).forEach((line, i) => {
      const requestId = id('req');
      if (i >= done) {
        errs.push(JSON.stringify({ id: id('batch_req'), custom_id: line.custom_id, response: null, error: { code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' } }));
        return;
      }
      const answer = this.complete(line.body as never);
      (answer.status === 200 ? out : errs).push(JSON.stringify({ id: id('batch_req'), custom_id: line.custom_id, response: { status_code: answer.status, request_id: requestId, body: answer.body }, error: null }));
    });
    const save = (content: string[], name: string) => {
      if (content.length === 0) return null;
      const file: StoredFile = { id: id('file'), purpose: 'batch_output', filename: name, content: `${content.join('\n')}\n`, created_at: now() };
      this.files.set(file.id, file);
      return file.id;
    };
    const expired = done < batch.request_counts.total;
    Object.assign(batch, {
      status: expired ? 'expired' : 'completed',
      ...(expired ? { expired_at: now() } : { finalizing_at: now(), completed_at: now() }),
      output_file_id: save(out, `${batch.id}_output.jsonl`),
      error_file_id: save(errs, `${batch.id}_error.jsonl`),
      request_counts: { total: batch.request_counts.total, completed: out.length, failed: errs.length },
    });
  }
}

function fileObject(file: StoredFile) {
  return { id: file.id, object: 'file', bytes: Buffer.byteLength(file.content), created_at: file.created_at, filename: file.filename, purpose: file.purpose, status: 'processed', expires_at: null, status_details: null };
}
