import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { InputTooLargeError, answerTextWithin } from '../import/bounded-read.js';

export type CaptchaKind = 'recaptcha' | 'hcaptcha' | 'turnstile';

const METHODS: Record<CaptchaKind, { method: string; keyParam: string }> = {
  recaptcha: { method: 'userrecaptcha', keyParam: 'googlekey' },
  hcaptcha: { method: 'hcaptcha', keyParam: 'sitekey' },
  turnstile: { method: 'turnstile', keyParam: 'sitekey' },
};

const answerSchema = z.object({ status: z.number().int(), request: z.string() });

/** Errors that end the run: nothing will work until the analyst acts. */
const FATAL = new Set(['ERROR_WRONG_USER_KEY', 'ERROR_KEY_DOES_NOT_EXIST', 'ERROR_ZERO_BALANCE', 'IP_BANNED']);

export class CaptchaError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Retrying cannot help (bad key, no balance): stop the run. */
    readonly fatal: boolean,
  ) {
    super(message);
    this.name = 'CaptchaError';
  }
}

const EXPLAIN: Record<string, string> = {
  ERROR_WRONG_USER_KEY: '2captcha refused the key (ERROR_WRONG_USER_KEY). Check TWOCAPTCHA_API_KEY.',
  ERROR_KEY_DOES_NOT_EXIST: '2captcha does not know the key (ERROR_KEY_DOES_NOT_EXIST). Check TWOCAPTCHA_API_KEY.',
  ERROR_ZERO_BALANCE: '2captcha balance is zero (ERROR_ZERO_BALANCE): top up the account to solve CAPTCHAs.',
  ERROR_CAPTCHA_UNSOLVABLE: '2captcha could not solve this CAPTCHA (ERROR_CAPTCHA_UNSOLVABLE).',
  IP_BANNED: '2captcha banned this IP (IP_BANNED).',
};

/**
 * 2captcha's classic API (`in.php`, `res.php`, `json=1`): submit, poll every `pollMs` while
 * `CAPCHA_NOT_READY`, report good or bad solutions, read the balance. Errors become
 * CaptchaErrors saying what to do; the key never appears in one.
 */
export class TwoCaptchaClient {
  constructor(private readonly options: { baseUrl: string; apiKey: string | undefined; pollMs: number; timeoutMs?: number }) {}

  private async call(path: 'in.php' | 'res.php', params: Record<string, string>, signal?: AbortSignal): Promise<z.infer<typeof answerSchema>> {
    if (!this.options.apiKey) throw new CaptchaError('NO_KEY', 'TWOCAPTCHA_API_KEY is not set: CAPTCHAs cannot be solved.', true);
    const url = new URL(`/${path}`, this.options.baseUrl);
    for (const [k, v] of Object.entries({ ...params, key: this.options.apiKey, json: '1' })) url.searchParams.set(k, v);
    const res = await fetch(url, { signal: signal ?? AbortSignal.timeout(30_000) });
    const text = await answerTextWithin(res, 'twocaptcha', `/${path}`).catch((error: Error) => {
      throw error instanceof InputTooLargeError ? new CaptchaError('TOO_LARGE', error.message, false) : error;
    });
    if (!res.ok) throw new CaptchaError(`HTTP_${res.status}`, `2captcha ${path} answered HTTP ${res.status}`, false);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new CaptchaError('BAD_ANSWER', `2captcha ${path} answered with something that is not JSON: ${text.slice(0, 100)}`, false);
    }
    const parsed = answerSchema.safeParse(body);
    if (!parsed.success) throw new CaptchaError('BAD_ANSWER', `2captcha ${path} answered an unexpected shape: ${text.slice(0, 100)}`, false);
    return parsed.data;
  }

  private error(code: string): CaptchaError {
    return new CaptchaError(code, EXPLAIN[code] ?? `2captcha answered ${code}`, FATAL.has(code));
  }

  /** Solve a challenge on `pageUrl`: the token to put in the page. */
  async solve(kind: CaptchaKind, siteKey: string, pageUrl: string, signal?: AbortSignal): Promise<{ id: string; token: string }> {
    const { method, keyParam } = METHODS[kind];
    const submitted = await this.call('in.php', { method, [keyParam]: siteKey, pageurl: pageUrl }, signal);
    if (submitted.status !== 1) throw this.error(submitted.request);
    const id = submitted.request;
    const deadline = Date.now() + (this.options.timeoutMs ?? 180_000);
    for (;;) {
      await sleep(this.options.pollMs, undefined, { signal });
      const answer = await this.call('res.php', { action: 'get', id }, signal);
      if (answer.status === 1) return { id, token: answer.request };
      if (answer.request !== 'CAPCHA_NOT_READY') throw this.error(answer.request);
      if (Date.now() > deadline) throw new CaptchaError('TIMEOUT', `2captcha did not solve CAPTCHA ${id} in time`, false);
    }
  }

  /** Tell 2captcha a token did not work (refunded) or did. */
  async report(id: string, good: boolean): Promise<void> {
    const answer = await this.call('res.php', { action: good ? 'reportgood' : 'reportbad', id });
    if (answer.status !== 1 && answer.request !== 'OK_REPORT_RECORDED') throw this.error(answer.request);
  }

  /** The account balance in dollars. */
  async balance(): Promise<number> {
    const answer = await this.call('res.php', { action: 'getbalance' });
    if (answer.status !== 1) throw this.error(answer.request);
    const value = Number(answer.request);
    if (!Number.isFinite(value)) throw new CaptchaError('BAD_ANSWER', `2captcha balance is not a number: ${answer.request}`, false);
    return value;
  }
}
