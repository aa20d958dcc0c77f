import type http from 'node:http';
import { echoPage, type Spelling } from './echoed-headers.js';
import { LocalHttpSimulator } from './local-http.js';

type Mode = 'ok' | 'zero-balance' | 'unsolvable';

/**
 * 2captcha's classic API: `in.php` takes a task and answers its id, `res.php?action=get` answers
 * `CAPCHA_NOT_READY` for the first `notReadyPolls` polls, then a token the listing simulator can
 * verify (`isValidToken`); `getbalance`, `reportbad`/`reportgood`; errors as the real service
 * words them (`ERROR_WRONG_USER_KEY`, `ERROR_ZERO_BALANCE`, `ERROR_CAPTCHA_UNSOLVABLE`).
 * `echoRequests`: the next answers are a web application firewall's block page, served with
 * HTTP 200 as some are, quoting the request line (the key is a query parameter) in `echoSpelling`.
 */
export class TwoCaptchaSimulator extends LocalHttpSimulator {
  readonly apiKey: string;
  mode: Mode = 'ok';
  notReadyPolls = 1;
  /** The next this many tasks are unsolvable, whatever the mode. */
  unsolvableNext = 0;
  balance = 2.5;
  echoRequests = 0;
  echoSpelling: Spelling = 'plain';
  readonly price = 0.00299;
  readonly submitted: { method: string; sitekey: string; pageurl: string }[] = [];
  readonly reports: { id: string; good: boolean }[] = [];
  private readonly tasks = new Map<string, { polls: number; token: string; unsolvable: boolean }>();
  private readonly issued = new Set<string>();
  private seq = 0;

  /** `apiKey`: the key it accepts (default a plain fake one). */
  constructor(options: { apiKey?: string } = {}) {
    super();
    this.apiKey = options.apiKey ?? 'sim2captchakey0123456789abcdef0';
  }

  /** Whether `token` is one this service handed out (what the site's verification asks). */
  isValidToken(token: string): boolean {
    return this.issued.has(token);
  }

  protected handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const q = url.searchParams;
    const answer = (status: number, request: string) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status, request }));
    };
    if (this.echoRequests > 0) {
      this.echoRequests -= 1;
      const page = echoPage(`${req.method ?? 'GET'} ${req.url ?? '/'}`, 200, this.echoSpelling);
      res.writeHead(200, { 'content-type': page.contentType });
      return void res.end(page.body);
    }
    if (q.get('key') !== this.apiKey) return answer(0, 'ERROR_WRONG_USER_KEY');
    if (url.pathname === '/in.php') {
      if (this.mode === 'zero-balance' || this.balance < this.price) return answer(0, 'ERROR_ZERO_BALANCE');
      const method = q.get('method') ?? '';
      const sitekey = q.get('googlekey') ?? q.get('sitekey') ?? '';
      if (!['userrecaptcha', 'hcaptcha', 'turnstile'].includes(method) || !sitekey || !q.get('pageurl')) return answer(0, 'ERROR_BAD_PARAMETERS');
      this.submitted.push({ method, sitekey, pageurl: q.get('pageurl')! });
      const id = String(7_000_000_000 + ++this.seq);
      const unsolvable = this.mode === 'unsolvable' || this.unsolvableNext > 0;
      if (this.unsolvableNext > 0) this.unsolvableNext -= 1;
      this.tasks.set(id, { polls: 0, token: `sim-captcha-token-${id}`, unsolvable });
      return answer(1, id);
    }
    if (url.pathname === '/res.php') {
      const action = q.get('action');
      if (action === 'getbalance') return answer(1, this.balance.toFixed(5));
      const id = q.get('id') ?? '';
      const task = this.tasks.get(id);
      if (action === 'reportbad' || action === 'reportgood') {
        if (!task) return answer(0, 'ERROR_WRONG_CAPTCHA_ID');
        this.reports.push({ id, good: action === 'reportgood' });
        return answer(1, 'OK_REPORT_RECORDED');
      }
      if (action !== 'get') return answer(0, 'ERROR_BAD_PARAMETERS');
      if (!task) return answer(0, 'ERROR_WRONG_CAPTCHA_ID');
      task.polls += 1;
      if (task.polls <= this.notReadyPolls) return answer(0, 'CAPCHA_NOT_READY');
      if (task.unsolvable) return answer(0, 'ERROR_CAPTCHA_UNSOLVABLE');
      if (!this.issued.has(task.token)) {
        this.issued.add(task.token);
        this.balance -= this.price;
      }
      return answer(1, task.token);
    }
    res.writeHead(404);
    res.end();
  }
}
