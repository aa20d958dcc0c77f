import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The rule ids and messages ESLint (the repo's eslint.config.js) gives `code` as if it were the file at `filePath`. */
async function lint(filePath: string, code: string): Promise<string[]> {
  const [result] = await new ESLint().lintText(code, { filePath });
  return result!.messages.map((m) => m.message);
}

describe('the layer rule of src/main/reports', () => {
  it('refuses electron (even its types), the renderer and the floors above the services', async () => {
    const messages = await lint(
      'src/main/reports/probe.ts',
      [
        "import { dialog } from 'electron';",
        "import type { BrowserWindow } from 'electron';",
        "import { dollars } from '../../renderer/pages/property/figures.js';",
        "import { createCore } from '../core/create-core.js';",
        'export const probe = [dialog, dollars, createCore] as unknown as BrowserWindow;',
        '',
      ].join('\n'),
    );
    expect(messages.filter((m) => m.includes('never imports electron'))).toHaveLength(2);
    expect(messages.some((m) => m.includes('never imports the renderer'))).toBe(true);
    expect(messages.some((m) => m.includes('never imports core/, config/ or a shell'))).toBe(true);
  });

  it('lets it import src/shared, as the report does', async () => {
    expect(await lint('src/main/reports/probe.ts', "import { dollars } from '../../shared/format/figures.js';\nexport const probe = dollars(1);\n")).toEqual([]);
  });
});
