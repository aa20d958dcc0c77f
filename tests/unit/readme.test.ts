import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTING_DEFS, SETTING_KEYS } from '../../src/shared/settings.js';
import { METHOD_NAMES } from '../../src/shared/contract.js';

const readme = fs.readFileSync('README.md', 'utf8');

describe('README', () => {
  it('documents every setting and every contract method', () => {
    for (const key of SETTING_KEYS) expect(readme, SETTING_DEFS[key].env).toContain(`| \`${SETTING_DEFS[key].env}\` |`);
    for (const method of METHOD_NAMES) expect(readme).toContain(`\`${method}\``);
  });

  it('gives the two commands', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test ');
  });
});
