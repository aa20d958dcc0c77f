import fs from 'node:fs';
import path from 'node:path';
import { readFileWithinSync } from '../import/bounded-read.js';
import { SAVED_PAGE_LIMIT } from '../import/input-bounds.js';

/** Detail pages kept for the selector tester (the newest, at most this many, give or take a prune). */
const KEEP = 200;
const PRUNE_EVERY = 20;

/** What one saved page may cost when read back (input-bounds.ts). */
const SAVED_PAGE_BOUND = { bytes: SAVED_PAGE_LIMIT, what: 'a saved MLS page may hold (a real one is some hundreds of KB)' };

/**
 * The HTML of recent MLS detail pages, one file each in `<data folder>/mls-pages/`, newest kept:
 * what the selector tester runs a selector set against, including pages that failed to parse.
 */
export class PageStore {
  private saves = 0;

  constructor(private readonly dir: string) {}

  static inDataDir(dataDir: string): PageStore {
    return new PageStore(path.join(dataDir, 'mls-pages'));
  }

  save(url: string, html: string): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const name = `${url.replace(/^https?:\/\/[^/]+/, '').replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 150)}.html`;
    fs.writeFileSync(path.join(this.dir, name), `<!-- ${url} -->\n${html}`);
    // Listing and dating the folder costs a stat a file: done every few saves, not each one.
    if (++this.saves % PRUNE_EVERY === 0) this.prune();
  }

  /** The newest `limit` pages, newest first, with the URL each came from. */
  recent(limit: number): { url: string; html: string }[] {
    if (!fs.existsSync(this.dir)) return [];
    return this.files()
      .slice(0, limit)
      .map((f) => {
        const file = path.join(this.dir, f.name);
        let text: string;
        try {
          text = readFileWithinSync(file, SAVED_PAGE_BOUND).toString('utf8');
        } catch (error) {
          throw new Error(`${file}: ${(error as Error).message}`);
        }
        const url = /^<!-- (\S+) -->\n/.exec(text)?.[1] ?? f.name;
        return { url, html: text.replace(/^<!-- \S+ -->\n/, '') };
      });
  }

  private files() {
    return fs
      .readdirSync(this.dir)
      .filter((n) => n.endsWith('.html'))
      .map((name) => ({ name, at: fs.statSync(path.join(this.dir, name)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
  }

  private prune(): void {
    for (const f of this.files().slice(KEEP)) fs.rmSync(path.join(this.dir, f.name), { force: true });
  }
}
