import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The renderer, built to dist/renderer with relative paths (served by Electron and the HTTP shell). */
export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: { outDir: path.resolve(here, '../../dist/renderer'), emptyOutDir: true, sourcemap: true },
});
